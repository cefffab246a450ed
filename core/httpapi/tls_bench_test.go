package httpapi_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"frontdesk/core/httpapi"
)

// BenchmarkTLSPersonRead is one staff call over TLS on loopback, on a
// kept-alive connection: budget p99 ≤ 5 ms. The call is GET /v1/me (who
// the session is and their permissions), a read of one account and its
// person's rights, until the people routes come.
func BenchmarkTLSPersonRead(b *testing.B) {
	svc := serveTLS(b, tlsEngine(b), "127.0.0.1:0", b.TempDir())
	benchPersonRead(b, pinnedHTTP(svc.fp), "https://"+svc.addr)
}

// BenchmarkUnixPersonRead is BenchmarkTLSPersonRead on the Unix socket:
// budget p99 ≤ 2 ms.
func BenchmarkUnixPersonRead(b *testing.B) {
	e := tlsEngine(b)
	path := filepath.Join(b.TempDir(), "frontdesk.db.sock")
	ln, err := httpapi.Listen(path, -1)
	if err != nil {
		b.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		done <- httpapi.NewServer(e, httpapi.Options{}).Serve(ctx, ln, httpapi.PeerPolicy{Unix: true, OwnerUID: os.Getuid(), GroupGID: os.Getgid()})
	}()
	b.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			b.Errorf("Serve: %v", err)
		}
	})
	hc := &http.Client{Transport: &http.Transport{
		DialContext: func(ctx context.Context, _, _ string) (net.Conn, error) {
			var d net.Dialer
			return d.DialContext(ctx, "unix", path)
		},
		MaxIdleConnsPerHost: 4,
	}}
	benchPersonRead(b, hc, "http://frontdesk")
}

// benchPersonRead logs rita in, then reads /v1/me with her session
// through hc, and reports the calls' p50 and p99.
func benchPersonRead(b *testing.B, hc *http.Client, base string) {
	defer hc.CloseIdleConnections()
	body, _ := json.Marshal(httpapi.LoginRequest{Username: "rita", Password: tlsPassword})
	resp, err := hc.Post(base+"/v1/login", "application/json", bytes.NewReader(body))
	if err != nil {
		b.Fatal(err)
	}
	var login httpapi.LoginReply
	err = json.NewDecoder(resp.Body).Decode(&login)
	resp.Body.Close()
	if err != nil || login.Token == "" {
		b.Fatalf("login: %s, %v", resp.Status, err)
	}
	req, err := http.NewRequest(http.MethodGet, base+"/v1/me", nil)
	if err != nil {
		b.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+login.Token)
	read := func() {
		resp, err := hc.Do(req)
		if err != nil {
			b.Fatal(err)
		}
		var me httpapi.Me
		err = json.NewDecoder(resp.Body).Decode(&me)
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK || err != nil || me.Actor.Name != "rita" {
			b.Fatalf("GET /v1/me: %s, %v, %+v", resp.Status, err, me)
		}
	}
	read() // the connection kept alive for the calls measured
	var lat []time.Duration
	for b.Loop() {
		start := time.Now()
		read()
		lat = append(lat, time.Since(start))
	}
	slices.Sort(lat)
	at := func(p float64) float64 {
		return float64(lat[min(len(lat)-1, int(p*float64(len(lat))))]) / float64(time.Microsecond)
	}
	b.ReportMetric(at(0.50), "p50-µs")
	b.ReportMetric(at(0.99), "p99-µs")
}
