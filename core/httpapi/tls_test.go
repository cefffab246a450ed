package httpapi_test

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"errors"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"frontdesk/core"
	"frontdesk/core/httpapi"
	"frontdesk/storage/storagetest"
)

// tlsSite is a small site with one person; tlsEngine adds a receptionist
// account, rita.
const tlsSite = `{
  "site": {"name": "North Office", "timezone": "Europe/Paris"},
  "zones": [{"id": "outside", "name": "Outside"}, {"id": "office", "name": "Office", "work": true}],
  "departments": [{"id": "staff", "name": "Staff"}],
  "people": [{"id": "ann", "name": "Ann", "started": "2026-01-01", "department": "staff", "cards": ["em:0100000001"]}]
}`

const tlsPassword = "correct horse battery"

// tlsEngine is a real engine on a real bbolt file with tlsSite and the
// receptionist account rita.
func tlsEngine(tb testing.TB) *core.Engine {
	tb.Helper()
	e, err := core.NewEngine(storagetest.MustOpen(tb), time.Now, nil)
	if err != nil {
		tb.Fatal(err)
	}
	f, err := core.ReadSiteFile(strings.NewReader(tlsSite))
	if err != nil {
		tb.Fatal(err)
	}
	cli := core.CommandLine("test")
	if err := e.Import(cli, f); err != nil {
		tb.Fatal(err)
	}
	if _, err := e.AddAccount(cli, core.AccountInfo{Username: "rita", Roles: []string{core.RoleReceptionist}}, tlsPassword); err != nil {
		tb.Fatal(err)
	}
	return e
}

// tlsService is an API server answering over TLS on loopback.
type tlsService struct {
	addr, fp string
	stop     func()
}

// serveTLS serves e over TLS on addr ("127.0.0.1:0" for any port) with
// the certificate of certDir, made there if missing, until stop or the
// test's end.
func serveTLS(tb testing.TB, e *core.Engine, addr, certDir string) *tlsService {
	tb.Helper()
	cert, fp, err := httpapi.LoadOrCreateCert(certDir, nil)
	if err != nil {
		tb.Fatal(err)
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		tb.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- httpapi.NewServer(e, httpapi.Options{}).ServeTLS(ctx, ln, cert) }()
	stopped := false
	stop := func() {
		if stopped {
			return
		}
		stopped = true
		cancel()
		if err := <-done; err != nil {
			tb.Errorf("ServeTLS: %v", err)
		}
	}
	tb.Cleanup(stop)
	return &tlsService{addr: ln.Addr().String(), fp: fp, stop: stop}
}

// pinnedHTTP is a plain HTTP client of a service whose certificate is fp.
func pinnedHTTP(fp string) *http.Client {
	return &http.Client{Transport: &http.Transport{
		MaxIdleConnsPerHost: 4,
		TLSClientConfig: &tls.Config{
			MinVersion:         tls.VersionTLS13,
			InsecureSkipVerify: true,
			VerifyConnection: func(cs tls.ConnectionState) error {
				if httpapi.Fingerprint(cs.PeerCertificates[0]) != fp {
					return errors.New("not the service's certificate")
				}
				return nil
			},
		},
	}}
}

// rawTLSCall sends one request and returns the status and the error kind
// of the answer ("" for a success).
func rawTLSCall(t *testing.T, hc *http.Client, method, url, token string, body any) (int, string) {
	t.Helper()
	var r io.Reader = http.NoBody
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			t.Fatal(err)
		}
		r = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, url, r)
	if err != nil {
		t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := hc.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var e struct {
		Error *httpapi.Error `json:"error"`
	}
	json.NewDecoder(resp.Body).Decode(&e)
	if e.Error == nil {
		return resp.StatusCode, ""
	}
	return resp.StatusCode, e.Error.Kind
}

func filePerm(t *testing.T, path string) os.FileMode {
	t.Helper()
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	return fi.Mode().Perm()
}

func TestLoadOrCreateCert(t *testing.T) {
	dir := t.TempDir()
	cert, fp, err := httpapi.LoadOrCreateCert(dir, []string{"Desk.Example", "192.168.1.20", "desk.example:7443"})
	if err != nil {
		t.Fatal(err)
	}
	certPath, keyPath := filepath.Join(dir, "frontdesk-tls.crt"), filepath.Join(dir, "frontdesk-tls.key")
	if m := filePerm(t, certPath); m != 0o644 {
		t.Errorf("certificate mode %v, want 0644", m)
	}
	if m := filePerm(t, keyPath); m != 0o600 {
		t.Errorf("key mode %v, want 0600", m)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 2 {
		t.Errorf("files in the folder: %v, want the certificate and its key only", entries)
	}

	// The fingerprint is the SHA-256 of the DER certificate in the file.
	pemBytes, err := os.ReadFile(certPath)
	if err != nil {
		t.Fatal(err)
	}
	block, _ := pem.Decode(pemBytes)
	if block == nil || block.Type != "CERTIFICATE" {
		t.Fatalf("certificate file: %q", pemBytes)
	}
	sum := sha256.Sum256(block.Bytes)
	if want := "SHA256:" + base64.RawStdEncoding.EncodeToString(sum[:]); fp != want {
		t.Errorf("fingerprint %s, want %s", fp, want)
	}
	if len(fp) != len("SHA256:")+43 || strings.Contains(fp, "=") {
		t.Errorf("fingerprint %q: want SHA256: and 43 characters", fp)
	}
	leaf := cert.Leaf
	if leaf == nil {
		t.Fatal("no parsed leaf")
	}
	if got := httpapi.Fingerprint(leaf); got != fp {
		t.Errorf("Fingerprint(leaf) %s, want %s", got, fp)
	}

	hostname, _ := os.Hostname()
	for _, name := range []string{"desk.example", "localhost", strings.ToLower(hostname)} {
		if name != "" && !slices.Contains(leaf.DNSNames, name) {
			t.Errorf("DNS names %v lack %s", leaf.DNSNames, name)
		}
	}
	if n := len(leaf.DNSNames); n != len(slices.Compact(slices.Sorted(slices.Values(leaf.DNSNames)))) {
		t.Errorf("DNS names %v: some twice", leaf.DNSNames)
	}
	for _, ip := range []string{"192.168.1.20", "127.0.0.1", "::1"} {
		if !slices.ContainsFunc(leaf.IPAddresses, net.ParseIP(ip).Equal) {
			t.Errorf("IP addresses %v lack %s", leaf.IPAddresses, ip)
		}
	}
	if err := leaf.VerifyHostname("desk.example"); err != nil {
		t.Errorf("VerifyHostname: %v", err)
	}
	if least := time.Now().AddDate(19, 0, 0); leaf.NotAfter.Before(least) {
		t.Errorf("valid until %v, want at least 19 years", leaf.NotAfter)
	}
	if pub, ok := leaf.PublicKey.(*ecdsa.PublicKey); !ok || pub.Curve != elliptic.P256() {
		t.Errorf("public key %T, want ECDSA P-256", leaf.PublicKey)
	}
	if !slices.Contains(leaf.ExtKeyUsage, x509.ExtKeyUsageServerAuth) || leaf.IsCA {
		t.Errorf("usage %v, CA %v: want a server certificate, not a CA", leaf.ExtKeyUsage, leaf.IsCA)
	}

	// A later start loads the same certificate, whatever names it is given.
	keyBefore, _ := os.ReadFile(keyPath)
	again, fp2, err := httpapi.LoadOrCreateCert(dir, []string{"other.example"})
	if err != nil {
		t.Fatal(err)
	}
	if fp2 != fp || !bytes.Equal(again.Certificate[0], cert.Certificate[0]) {
		t.Errorf("second start: fingerprint %s, want the first one %s", fp2, fp)
	}
	if keyAfter, _ := os.ReadFile(keyPath); !bytes.Equal(keyAfter, keyBefore) {
		t.Error("second start rewrote the key")
	}

	// Another folder, another certificate.
	if _, fp3, err := httpapi.LoadOrCreateCert(t.TempDir(), nil); err != nil || fp3 == fp {
		t.Errorf("another folder: %s, %v; want another certificate", fp3, err)
	}
}

// TestLoadOrCreateCertRefusesDamage: a damaged, mismatched or half pair
// is an error naming the file, and nothing is replaced.
func TestLoadOrCreateCertRefusesDamage(t *testing.T) {
	otherDir := t.TempDir()
	if _, _, err := httpapi.LoadOrCreateCert(otherDir, nil); err != nil {
		t.Fatal(err)
	}
	otherKey, err := os.ReadFile(filepath.Join(otherDir, httpapi.KeyFile))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		damage func(certPath, keyPath string) error
		// says is a file name the error must name.
		says string
	}{
		{"damaged key", func(_, key string) error {
			return os.WriteFile(key, []byte("-----BEGIN PRIVATE KEY-----\nbm90IGEga2V5\n-----END PRIVATE KEY-----\n"), 0o600)
		}, httpapi.KeyFile},
		{"truncated key", func(_, key string) error {
			b, err := os.ReadFile(key)
			if err != nil {
				return err
			}
			return os.WriteFile(key, b[:len(b)/2], 0o600)
		}, httpapi.KeyFile},
		{"damaged certificate", func(cert, _ string) error {
			return os.WriteFile(cert, []byte("garbage\n"), 0o644)
		}, httpapi.CertFile},
		{"key of another certificate", func(_, key string) error {
			return os.WriteFile(key, otherKey, 0o600)
		}, httpapi.KeyFile},
		{"key missing", func(_, key string) error { return os.Remove(key) }, httpapi.KeyFile},
		{"certificate missing", func(cert, _ string) error { return os.Remove(cert) }, httpapi.CertFile},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			if _, _, err := httpapi.LoadOrCreateCert(dir, nil); err != nil {
				t.Fatal(err)
			}
			certPath, keyPath := filepath.Join(dir, httpapi.CertFile), filepath.Join(dir, httpapi.KeyFile)
			if err := tt.damage(certPath, keyPath); err != nil {
				t.Fatal(err)
			}
			certBefore, certErr := os.ReadFile(certPath)
			keyBefore, keyErr := os.ReadFile(keyPath)
			_, _, err := httpapi.LoadOrCreateCert(dir, nil)
			if err == nil {
				t.Fatal("loaded; want an error")
			}
			if !strings.Contains(err.Error(), tt.says) {
				t.Errorf("error %q does not name %s", err, tt.says)
			}
			certAfter, certErr2 := os.ReadFile(certPath)
			keyAfter, keyErr2 := os.ReadFile(keyPath)
			if !bytes.Equal(certAfter, certBefore) || (certErr == nil) != (certErr2 == nil) {
				t.Error("the certificate file was replaced")
			}
			if !bytes.Equal(keyAfter, keyBefore) || (keyErr == nil) != (keyErr2 == nil) {
				t.Error("the key file was replaced")
			}
		})
	}
}

// TestServeTLSVersion: the service speaks TLS 1.3 and nothing older.
func TestServeTLSVersion(t *testing.T) {
	svc := serveTLS(t, tlsEngine(t), "127.0.0.1:0", t.TempDir())
	cfg := &tls.Config{InsecureSkipVerify: true, MaxVersion: tls.VersionTLS12}
	if c, err := tls.Dial("tcp", svc.addr, cfg); err == nil {
		c.Close()
		t.Error("TLS 1.2 handshake succeeded; want refused")
	}
	cfg.MaxVersion = tls.VersionTLS13
	c, err := tls.Dial("tcp", svc.addr, cfg)
	if err != nil {
		t.Fatalf("TLS 1.3: %v", err)
	}
	defer c.Close()
	if v := c.ConnectionState().Version; v != tls.VersionTLS13 {
		t.Errorf("version %x, want TLS 1.3", v)
	}
}
