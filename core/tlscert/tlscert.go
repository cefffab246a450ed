// Package tlscert keeps a self-signed TLS certificate and its key in two
// files, made at the first start and loaded at every later one: the
// service's API over TLS (core/httpapi) and the federation hub
// (core/natslink) present one each, and their clients pin it.
package tlscert

import (
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

// Pair names the two files of a certificate: Cert, the self-signed
// certificate (PEM, mode 0644), and Key, its ECDSA P-256 private key
// (PEM, PKCS #8, mode 0600). Name is what the certificate says it is
// ("Frontdesk service"): its common name is Name and " on " the host.
type Pair struct {
	Cert, Key string
	Name      string
}

// validity is how long a new certificate is valid: clients trust it by
// its fingerprint, not by its dates, so it is made to outlast the
// installation rather than to be renewed (a new one would make every
// client refuse it until told).
const validity = 20 * 365 * 24 * time.Hour

// LoadOrCreate returns the certificate of p and its fingerprint
// (Fingerprint). At the first start, when neither file is there, it
// makes a self-signed one whose names are hosts (names or IP addresses,
// "HOST:PORT" counting as HOST) and the machine's hostname, localhost,
// 127.0.0.1 and ::1; later starts load it, whatever hosts are given then:
// the clients pin the certificate, and a new one would be refused by all
// of them.
//
// A damaged file, a key that is not the certificate's, or one of the two
// files without the other is an error saying which file, never replaced
// silently.
func (p Pair) LoadOrCreate(hosts []string) (cert tls.Certificate, fingerprint string, err error) {
	certThere, err := exists(p.Cert)
	if err != nil {
		return tls.Certificate{}, "", err
	}
	keyThere, err := exists(p.Key)
	if err != nil {
		return tls.Certificate{}, "", err
	}
	switch {
	case certThere && keyThere:
		return p.load()
	case certThere:
		return tls.Certificate{}, "", fmt.Errorf("TLS certificate %s is there without its key %s: restore the key from a backup, or remove the certificate to make a new pair (every client will then refuse the service until it trusts the new one)", p.Cert, p.Key)
	case keyThere:
		return tls.Certificate{}, "", fmt.Errorf("TLS key %s is there without its certificate %s: restore the certificate from a backup, or remove the key to make a new pair (every client will then refuse the service until it trusts the new one)", p.Key, p.Cert)
	}
	return p.create(hosts)
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

func (p Pair) load() (tls.Certificate, string, error) {
	cert, err := tls.LoadX509KeyPair(p.Cert, p.Key)
	if err != nil {
		return tls.Certificate{}, "", fmt.Errorf("load the TLS certificate %s and its key %s: %w (restore both from a backup, or remove both to make a new pair: every client will then refuse the service until it trusts the new one)", p.Cert, p.Key, err)
	}
	if cert.Leaf == nil {
		if cert.Leaf, err = x509.ParseCertificate(cert.Certificate[0]); err != nil {
			return tls.Certificate{}, "", fmt.Errorf("TLS certificate %s: %w", p.Cert, err)
		}
	}
	return cert, Fingerprint(cert.Leaf), nil
}

func (p Pair) create(hosts []string) (tls.Certificate, string, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return tls.Certificate{}, "", fmt.Errorf("make a TLS key: %w", err)
	}
	serial, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 127))
	if err != nil {
		return tls.Certificate{}, "", fmt.Errorf("make a TLS certificate: %w", err)
	}
	hostname, _ := os.Hostname()
	if hostname == "" {
		hostname = "localhost"
	}
	dns, ips := names(append(slices.Clone(hosts), hostname, "localhost", "127.0.0.1", "::1"))
	now := time.Now()
	tmpl := &x509.Certificate{
		SerialNumber:          serial,
		Subject:               pkix.Name{Organization: []string{"Frontdesk"}, CommonName: p.Name + " on " + hostname},
		NotBefore:             now.Add(-time.Hour), // a client whose clock is a little behind
		NotAfter:              now.Add(validity),
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
	if err := WriteFile(p.Key, pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: keyDER}), 0o600); err != nil {
		return tls.Certificate{}, "", err
	}
	if err := WriteFile(p.Cert, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o644); err != nil {
		return tls.Certificate{}, "", err
	}
	return p.load()
}

// names sorts hosts into DNS names and IP addresses, each once; a
// "HOST:PORT" counts as its host.
func names(hosts []string) (dns []string, ips []net.IP) {
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

// WriteFile writes b to path with mode perm through a temporary file in
// the same folder and a rename: a crash leaves the old file or the new
// one, never a part of it, and nobody else can read the file before it
// has its mode.
func WriteFile(path string, b []byte, perm os.FileMode) error {
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
