package httpapi

import (
	"context"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"encoding/base64"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strings"

	"frontdesk/core/tlscert"
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
	p := tlscert.Pair{Cert: filepath.Join(dir, CertFile), Key: filepath.Join(dir, KeyFile), Name: "Frontdesk service"}
	return p.LoadOrCreate(hosts)
}

// Fingerprint is how people and the known services file name a
// certificate: "SHA256:" and the unpadded standard base64 of the SHA-256
// of its DER bytes, like OpenSSH's key fingerprints.
func Fingerprint(cert *x509.Certificate) string { return tlscert.Fingerprint(cert) }

// writeFileAtomic writes b to path with mode perm through a temporary
// file and a rename (tlscert.WriteFile).
func writeFileAtomic(path string, b []byte, perm os.FileMode) error {
	return tlscert.WriteFile(path, b, perm)
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
