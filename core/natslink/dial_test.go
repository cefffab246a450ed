package natslink

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"fmt"
	"math/big"
	"testing"
	"time"

	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nkeys"
)

// authority is a company's own certificate authority and a server
// certificate it signed for names.
func authority(t *testing.T, names ...string) (caPEM string, leaf tls.Certificate) {
	t.Helper()
	caKey, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	ca := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "Company CA"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign,
	}
	caDER, err := x509.CreateCertificate(rand.Reader, ca, ca, &caKey.PublicKey, caKey)
	if err != nil {
		t.Fatal(err)
	}
	ca, _ = x509.ParseCertificate(caDER)
	key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(2), Subject: pkix.Name{CommonName: "nats"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		DNSNames: names,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, ca, &key.PublicKey, caKey)
	if err != nil {
		t.Fatal(err)
	}
	return string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: caDER})),
		tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}
}

// TestDialOwnAuthority: on a company's own NATS whose certificate its
// authority signed, Dial trusts the authority of hub_ca for the names
// it signed, and only them.
func TestDialOwnAuthority(t *testing.T) {
	caPEM, leaf := authority(t, "localhost")
	kp, _ := nkeys.CreateUser()
	seed, _ := kp.Seed()
	pub, _ := kp.PublicKey()
	srv, err := server.NewServer(&server.Options{
		Host: "127.0.0.1", Port: server.RANDOM_PORT, NoLog: true, NoSigs: true,
		TLSConfig: &tls.Config{Certificates: []tls.Certificate{leaf}, MinVersion: tls.VersionTLS12},
		Nkeys:     []*server.NkeyUser{{Nkey: pub}},
	})
	if err != nil {
		t.Fatal(err)
	}
	srv.Start()
	defer srv.Shutdown()
	if !srv.ReadyForConnections(5 * time.Second) {
		t.Fatal("no server")
	}
	c := Creds{Site: "lyon", Seed: string(seed), HubCA: caPEM}
	p := srv.Addr().String()[len("127.0.0.1:"):]
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	nc, err := Dial(ctx, fmt.Sprintf("tls://localhost:%s", p), c)
	if err != nil {
		t.Fatalf("the name the authority signed: %v", err)
	}
	nc.Close()
	if nc, err := Dial(ctx, fmt.Sprintf("tls://127.0.0.1:%s", p), c); err == nil {
		nc.Close()
		t.Fatal("a name the authority did not sign: got connected, want refused")
	}
	other, _ := authority(t, "localhost")
	c.HubCA = other
	if nc, err := Dial(ctx, fmt.Sprintf("tls://localhost:%s", p), c); err == nil {
		nc.Close()
		t.Fatal("another authority: got connected, want refused")
	}
}
