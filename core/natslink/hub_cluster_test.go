package natslink

import (
	"bytes"
	"context"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/nats-io/nats.go/jetstream"
)

// lockedBuffer is a bytes.Buffer for several goroutines.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// freePort is a port nobody listens on now.
func freePort(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

func copyFile(t *testing.T, from, to string) {
	t.Helper()
	b, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Dir(to), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(to, b, 0o600); err != nil {
		t.Fatal(err)
	}
}

// TestHubCluster: three hubs on loopback form a cluster whose stream and
// buckets have three replicas, a site reaches it through any of them,
// and an event stays when the hub it was published to stops.
func TestHubCluster(t *testing.T) {
	if testing.Short() {
		t.Skip("a cluster of three hubs takes seconds: not with -short")
	}
	root := t.TempDir()
	stores := []string{filepath.Join(root, "a"), filepath.Join(root, "b"), filepath.Join(root, "c")}
	// The first store's certificate and sites, copied to the others, as
	// docs/federation.md says.
	if err := os.MkdirAll(stores[0], 0o700); err != nil {
		t.Fatal(err)
	}
	lyon, err := AddSite(stores[0], "lyon", false, "", false)
	if err != nil {
		t.Fatal(err)
	}
	hq, err := AddSite(stores[0], "hq", true, "", false)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range stores[1:] {
		for _, f := range []string{hubCertFile, hubKeyFile, filepath.Join(sitesDir, "lyon.json"), filepath.Join(sitesDir, "hq.json")} {
			copyFile(t, filepath.Join(stores[0], f), filepath.Join(s, f))
		}
	}
	routes := []string{freePort(t), freePort(t), freePort(t)}
	hubs := make([]*Hub, 3)
	// What the hubs say, shown if the test fails.
	var logs lockedBuffer
	defer func() {
		if t.Failed() {
			t.Logf("the hubs said:\n%s", logs.String())
		}
	}()
	for i := range hubs {
		var others []string
		for j, r := range routes {
			if j != i {
				others = append(others, "nats://"+r)
			}
		}
		h, err := StartHub(HubConfig{Store: stores[i], Listen: "127.0.0.1:0", Name: string(rune('a' + i)),
			Cluster: routes[i], Routes: others, Log: slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelWarn}))})
		if err != nil {
			t.Fatal(err)
		}
		defer h.Close()
		hubs[i] = h
	}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	for _, h := range hubs {
		if err := h.Ready(ctx); err != nil {
			t.Fatal(err)
		}
	}

	// A hub with a certificate of its own is no hub of this cluster.
	before := hubs[1].srv.NumRoutes()
	intruder, err := StartHub(HubConfig{Store: filepath.Join(root, "intruder"), Listen: "127.0.0.1:0", Name: "x",
		Cluster: freePort(t), Routes: []string{"nats://" + routes[1]}})
	if err != nil {
		t.Fatal(err)
	}
	time.Sleep(2 * time.Second)
	if n := intruder.srv.NumRoutes(); n != 0 {
		t.Errorf("a hub with another certificate: got %d routes, want none", n)
	}
	if after := hubs[1].srv.NumRoutes(); after != before {
		t.Errorf("routes of a hub of the cluster: got %d, want %d", after, before)
	}
	intruder.Close()

	branch := dialSite(t, hubs[0], lyon)
	if _, err := branch.js.Publish(ctx, EventsSubject("lyon"), []byte(`{}`), jetstream.WithMsgID("lyon:1")); err != nil {
		t.Fatal(err)
	}
	st, err := branch.js.Stream(ctx, "KV_"+DirectoryBucket)
	if err != nil {
		t.Fatal(err)
	}
	if r := st.CachedInfo().Config.Replicas; r != 3 {
		t.Errorf("directory replicas: got %d, want 3", r)
	}
	hubs[0].Close()

	// The first answers after a hub stops may be lost while the others
	// learn where the new connection is: each request is tried again.
	central := dialSite(t, hubs[1], hq)
	var info *jetstream.StreamInfo
	for {
		try, cancel := context.WithTimeout(ctx, 2*time.Second)
		events, err := central.js.Stream(try, EventsStream)
		if err == nil {
			info, err = events.Info(try)
		}
		cancel()
		if err == nil && info.State.Msgs == 1 {
			break
		}
		select {
		case <-ctx.Done():
			t.Fatalf("the event after its hub stopped: got %+v, %v, want one message", info, err)
		case <-time.After(100 * time.Millisecond):
		}
	}
	if r := info.Config.Replicas; r != 3 {
		t.Errorf("events replicas: got %d, want 3", r)
	}
}
