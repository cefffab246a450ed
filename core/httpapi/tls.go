package httpapi

import (
	"cmp"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/pem"
	"errors"
	"fmt"
	"io/fs"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"
)

// The service's TLS certificate and its private key are two files beside
// the database, in the folder dir given to LoadOrCreateCert:
//
//	frontdesk-tls.crt  the self-signed certificate, PEM, mode 0644
//	frontdesk-tls.key  its ECDSA P-256 private key, PEM (PKCS #8), mode 0600
//
// A backup of the folder keeps them with the database, so a restored
// service presents the certificate its clients remember.
const (
	CertFile = "frontdesk-tls.crt"
	KeyFile  = "frontdesk-tls.key"
)

// certValidity is how long a new certificate is valid: clients trust it
// by its fingerprint, not by its dates, so it is made to outlast the
// installation rather than to be renewed (a new one would make every
// client refuse the service until told).
const certValidity = 20 * 365 * 24 * time.Hour

// LoadOrCreateCert returns the service's certificate from dir and its
// fingerprint (Fingerprint). At the first start, when neither file is
// there, it makes a self-signed one whose names are hosts (names or IP
// addresses) and the machine's hostname, localhost, 127.0.0.1 and ::1;
// later starts load it, whatever hosts are given then: the clients pin
// the certificate, and a new one would be refused by all of them.
//
// A damaged file, a key that is not the certificate's, or one of the two
// files without the other is an error saying which file, never replaced
// silently.
func LoadOrCreateCert(dir string, hosts []string) (cert tls.Certificate, fingerprint string, err error) {
	certPath, keyPath := filepath.Join(dir, CertFile), filepath.Join(dir, KeyFile)
	certThere, err := exists(certPath)
	if err != nil {
		return tls.Certificate{}, "", err
	}
	keyThere, err := exists(keyPath)
	if err != nil {
		return tls.Certificate{}, "", err
	}
	switch {
	case certThere && keyThere:
		return loadCert(certPath, keyPath)
	case certThere:
		return tls.Certificate{}, "", fmt.Errorf("TLS certificate %s is there without its key %s: restore the key from a backup, or remove the certificate to make a new pair (every client will then refuse the service until it trusts the new one)", certPath, keyPath)
	case keyThere:
		return tls.Certificate{}, "", fmt.Errorf("TLS key %s is there without its certificate %s: restore the certificate from a backup, or remove the key to make a new pair (every client will then refuse the service until it trusts the new one)", keyPath, certPath)
	}
	return createCert(certPath, keyPath, hosts)
}

func exists(path string) (bool, error) {
	_, err := os.Stat(path)
	switch {
	case err == nil:
		return true, nil
	case errors.Is(err, fs.ErrNotExist):
		return false, nil
	}
	return false, err
}

func loadCert(certPath, keyPath string) (tls.Certificate, string, error) {
	cert, err := tls.LoadX509KeyPair(certPath, keyPath)
	if err != nil {
		return tls.Certificate{}, "", fmt.Errorf("load the TLS certificate %s and its key %s: %w (restore both from a backup, or remove both to make a new pair: every client will then refuse the service until it trusts the new one)", certPath, keyPath, err)
	}
	if cert.Leaf == nil {
		if cert.Leaf, err = x509.ParseCertificate(cert.Certificate[0]); err != nil {
			return tls.Certificate{}, "", fmt.Errorf("TLS certificate %s: %w", certPath, err)
		}
	}
	return cert, Fingerprint(cert.Leaf), nil
}

func createCert(certPath, keyPath string, hosts []string) (tls.Certificate, string, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return tls.Certificate{}, "", fmt.Errorf("make a TLS key: %w", err)
	}
	serial, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 127))
	if err != nil {
		return tls.Certificate{}, "", fmt.Errorf("make a TLS certificate: %w", err)
	}
	hostname, _ := os.Hostname()
	dns, ips := certNames(append(slices.Clone(hosts), hostname, "localhost", "127.0.0.1", "::1"))
	now := time.Now()
	tmpl := &x509.Certificate{
		SerialNumber:          serial,
		Subject:               pkix.Name{Organization: []string{"Frontdesk"}, CommonName: "Frontdesk service on " + cmp.Or(hostname, "localhost")},
		NotBefore:             now.Add(-time.Hour), // a client whose clock is a little behind
		NotAfter:              now.Add(certValidity),
		KeyUsage:              x509.KeyUsageDigitalSignature,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true,
		DNSNames:              dns,
		IPAddresses:           ips,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return tls.Certificate{}, "", fmt.Errorf("make a TLS certificate: %w", err)
	}
	keyDER, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		return tls.Certificate{}, "", fmt.Errorf("make a TLS key: %w", err)
	}
	// The key first: a certificate never names a key that is not on disk.
	if err := writeFileAtomic(keyPath, pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: keyDER}), 0o600); err != nil {
		return tls.Certificate{}, "", err
	}
	if err := writeFileAtomic(certPath, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o644); err != nil {
		return tls.Certificate{}, "", err
	}
	return loadCert(certPath, keyPath)
}

// certNames sorts hosts into DNS names and IP addresses, each once; a
// "HOST:PORT" counts as its host.
func certNames(hosts []string) (dns []string, ips []net.IP) {
	for _, h := range hosts {
		h = strings.TrimSpace(h)
		if host, _, err := net.SplitHostPort(h); err == nil {
			h = host
		}
		h = strings.TrimSuffix(strings.TrimPrefix(h, "["), "]")
		if h == "" {
			continue
		}
		if ip := net.ParseIP(h); ip != nil {
			if !slices.ContainsFunc(ips, ip.Equal) {
				ips = append(ips, ip)
			}
			continue
		}
		h = strings.ToLower(h)
		if !slices.Contains(dns, h) {
			dns = append(dns, h)
		}
	}
	return dns, ips
}

// writeFileAtomic writes b to path with mode perm through a temporary
// file in the same folder and a rename: a crash leaves the old file or
// the new one, never a part of it.
func writeFileAtomic(path string, b []byte, perm os.FileMode) error {
	dir := filepath.Dir(path)
	f, err := os.CreateTemp(dir, "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	tmp := f.Name()
	fail := func(err error) error {
		f.Close()
		os.Remove(tmp)
		return fmt.Errorf("write %s: %w", path, err)
	}
	// CreateTemp makes the file 0600: nobody else can read it before
	// this chmod, whatever the umask.
	if err := f.Chmod(perm); err != nil {
		return fail(err)
	}
	if _, err := f.Write(b); err != nil {
		return fail(err)
	}
	if err := f.Sync(); err != nil {
		return fail(err)
	}
	if err := f.Close(); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := os.Rename(tmp, path); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("write %s: %w", path, err)
	}
	// The rename itself is durable once the folder is synced.
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
	return nil
}

// Fingerprint is how people and the known services file name a
// certificate: "SHA256:" and the unpadded standard base64 of the SHA-256
// of its DER bytes, like OpenSSH's key fingerprints.
func Fingerprint(cert *x509.Certificate) string {
	sum := sha256.Sum256(cert.Raw)
	return "SHA256:" + base64.RawStdEncoding.EncodeToString(sum[:])
}

// checkFingerprint says whether fp is written as Fingerprint writes one.
func checkFingerprint(fp string) error {
	b64, ok := strings.CutPrefix(fp, "SHA256:")
	if ok {
		if b, err := base64.RawStdEncoding.DecodeString(b64); err == nil && len(b) == sha256.Size {
			return nil
		}
	}
	return fmt.Errorf("fingerprint %q: want SHA256: and 43 characters, as the service shows it", fp)
}

// ServeTLS answers on ln over TLS 1.3 with cert until ctx ends, like
// Serve. Nobody on it is the command line: every caller but hello and
// login must log in with a staff account, and failed logins are limited
// per network address.
func (s *Server) ServeTLS(ctx context.Context, ln net.Listener, cert tls.Certificate) error {
	cfg := &tls.Config{
		MinVersion:   tls.VersionTLS13,
		Certificates: []tls.Certificate{cert},
		// HTTP/1.1, as on the socket: one request per connection at a
		// time, kept alive between calls.
		NextProtos: []string{"http/1.1"},
	}
	return s.Serve(ctx, tls.NewListener(ln, cfg), PeerPolicy{Unix: false})
}
