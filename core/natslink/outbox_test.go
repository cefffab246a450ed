package natslink_test

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"frontdesk/core"
	"frontdesk/core/natslink"
	"frontdesk/storage"
)

// eventsHub is an embedded nats-server with JetStream on loopback, with
// no authentication, that a test can stop and start again on the same
// port and store.
type eventsHub struct {
	tb   testing.TB
	dir  string
	port int
	srv  *server.Server
}

// startEventsHub starts a hub with the stream and buckets of
// docs/federation.md; it is shut down when the test ends.
func startEventsHub(tb testing.TB) *eventsHub {
	tb.Helper()
	h := &eventsHub{tb: tb, dir: tb.TempDir(), port: -1}
	h.start()
	h.port = h.srv.Addr().(*net.TCPAddr).Port
	tb.Cleanup(h.stop)
	nc := connectSite(tb, h.url())
	js, err := jetstream.New(nc)
	if err != nil {
		tb.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := natslink.EnsureStreams(ctx, js, 1); err != nil {
		tb.Fatalf("EnsureStreams: %v", err)
	}
	return h
}

func (h *eventsHub) start() {
	h.tb.Helper()
	srv, err := server.NewServer(&server.Options{Host: "127.0.0.1", Port: h.port, JetStream: true,
		StoreDir: h.dir, NoLog: true, NoSigs: true})
	if err != nil {
		h.tb.Fatalf("hub: %v", err)
	}
	srv.Start()
	if !srv.ReadyForConnections(10 * time.Second) {
		h.tb.Fatal("hub not ready in 10s")
	}
	h.srv = srv
}

// stop shuts the hub down, as a power cut of the hub's machine would
// end its connections; harmless when it is down.
func (h *eventsHub) stop() {
	if h.srv != nil {
		h.srv.Shutdown()
		h.srv.WaitForShutdown()
		h.srv = nil
	}
}

func (h *eventsHub) url() string { return fmt.Sprintf("nats://127.0.0.1:%d", h.port) }

// connectSite connects to url as a site does: reconnecting forever, soon.
func connectSite(tb testing.TB, url string) *nats.Conn {
	tb.Helper()
	nc, err := nats.Connect(url, nats.MaxReconnects(-1), nats.ReconnectWait(50*time.Millisecond),
		nats.ReconnectJitter(0, 0))
	if err != nil {
		tb.Fatalf("connect %s: %v", url, err)
	}
	tb.Cleanup(nc.Close)
	return nc
}

// openSiteDB opens a real database file of the test, without fsync for speed
// when nosync.
func openSiteDB(tb testing.TB, nosync bool) *storage.DB {
	tb.Helper()
	db, err := storage.Open(filepath.Join(tb.TempDir(), "site.db"), storage.Options{NoSync: nosync})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { _ = db.Close() })
	return db
}

var tapsStart = time.Date(2026, 12, 1, 7, 0, 0, 0, time.UTC)

// logTaps appends n taps to db's event log, numbered from its last.
func logTaps(tb testing.TB, db *storage.DB, n int) {
	tb.Helper()
	last, err := db.LastSeq()
	if err != nil {
		tb.Fatal(err)
	}
	for done := 0; done < n; {
		chunk := min(n-done, 5000)
		err := db.Update(func(tx core.Tx) error {
			for i := range chunk {
				k := int(last) + done + i
				e := core.Event{At: tapsStart.Add(time.Duration(k) * time.Second), Reader: "front-in", Door: "front",
					Direction: core.In, Card: fmt.Sprintf("em:%010X", k%5000), Person: fmt.Sprintf("p%d", k%1000),
					Result: core.Granted, Explanation: "level Staff, schedule Office hours"}
				if err := tx.AppendEvent(&e); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			tb.Fatal(err)
		}
		done += chunk
	}
}

// upSite is a running branch (its outbox) or central site (its ingest).
type upSite struct {
	db     *storage.DB
	outbox *natslink.Outbox
	stop   func()
}

// startOutbox starts id's outbox on db, over its own connection to url.
func startOutbox(tb testing.TB, url, id string, db *storage.DB) *upSite {
	tb.Helper()
	ob, err := natslink.NewOutbox(connectSite(tb, url), id, db, natslink.OutboxOptions{Retry: 100 * time.Millisecond, Logger: slog.New(slog.NewTextHandler(tb.Output(), nil)),
		AckTimeout: 2 * time.Second})
	if err != nil {
		tb.Fatal(err)
	}
	return &upSite{db: db, outbox: ob, stop: runUntilStopped(tb, ob.Run)}
}

// startIngest starts the central site's ingest into db.
func startIngest(tb testing.TB, url string, db *storage.DB) *upSite {
	tb.Helper()
	in, err := natslink.NewIngest(connectSite(tb, url), "hq", db, natslink.IngestOptions{Retry: 100 * time.Millisecond, Logger: slog.New(slog.NewTextHandler(tb.Output(), nil)),
		AckWait: 2 * time.Second})
	if err != nil {
		tb.Fatal(err)
	}
	return &upSite{db: db, stop: runUntilStopped(tb, in.Run)}
}

// runUntilStopped runs fn on a goroutine until the returned stop, or the test's end.
func runUntilStopped(tb testing.TB, fn func(context.Context) error) (stop func()) {
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	wg.Go(func() {
		if err := fn(ctx); err != nil {
			tb.Errorf("run: %v", err)
		}
	})
	var once sync.Once
	stop = func() { once.Do(func() { cancel(); wg.Wait() }) }
	tb.Cleanup(stop)
	return stop
}

// eventually polls cond until it holds, or fails the test after d.
func eventually(tb testing.TB, d time.Duration, what string, cond func() bool) {
	tb.Helper()
	end := time.Now().Add(d)
	for !cond() {
		if time.Now().After(end) {
			tb.Fatalf("not in %s: %s", d, what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// checkArrived checks that the central site holds exactly the branch's
// events 1..n of site, each once, in seq order, with its chain intact and
// the very content the branch logged.
func checkArrived(tb testing.TB, central, branch *storage.DB, id string, n int) {
	tb.Helper()
	eventually(tb, 30*time.Second, fmt.Sprintf("%d events of %s at the central site", n, id), func() bool {
		marks, err := central.SiteMarks()
		for _, m := range marks {
			if m.Site == id {
				return err == nil && m.Count >= uint64(n) && m.Last >= uint64(n)
			}
		}
		return false
	})
	var want []core.Event
	if err := branch.View(func(tx core.Tx) error {
		return tx.Events(core.EventQuery{}, func(e core.Event) error { want = append(want, e); return nil })
	}); err != nil {
		tb.Fatal(err)
	}
	i := 0
	err := central.SiteEvents(id, 1, func(e core.Event) error {
		if i >= len(want) {
			return fmt.Errorf("event %d more than the branch logged", e.Seq)
		}
		if e.Seq != uint64(i+1) {
			return fmt.Errorf("event %d where %d was due: lost or reordered", e.Seq, i+1)
		}
		if a, b := asJSON(e), asJSON(want[i]); a != b {
			return fmt.Errorf("event %d: got %s, want %s", e.Seq, a, b)
		}
		i++
		return nil
	})
	if err != nil {
		tb.Fatal(err)
	}
	if i != n || len(want) != n {
		tb.Fatalf("central holds %d events of %s, the branch logged %d, want %d", i, id, len(want), n)
	}
	st, err := central.CheckChain(context.Background(), storage.SiteChain(id), storage.Link{})
	if err != nil || st.Broken != 0 {
		tb.Fatalf("chain of %s at the central site: %+v, %v", id, st, err)
	}
}

func asJSON(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

// streamSeqs lists the seqs of site's events as the stream holds them,
// in stream order.
func streamSeqs(tb testing.TB, url, id string) []uint64 {
	tb.Helper()
	js, err := jetstream.New(connectSite(tb, url))
	if err != nil {
		tb.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	cons, err := js.OrderedConsumer(ctx, natslink.EventsStream, jetstream.OrderedConsumerConfig{
		FilterSubjects: []string{natslink.EventsSubject(id)}})
	if err != nil {
		tb.Fatal(err)
	}
	info, err := cons.Info(ctx)
	if err != nil {
		tb.Fatal(err)
	}
	var seqs []uint64
	for pending := info.NumPending; uint64(len(seqs)) < pending; {
		batch, err := cons.Fetch(1000, jetstream.FetchMaxWait(2*time.Second))
		if err != nil {
			tb.Fatal(err)
		}
		for m := range batch.Messages() {
			var e core.Event
			if err := json.Unmarshal(m.Data(), &e); err != nil {
				tb.Fatal(err)
			}
			if got, want := m.Headers().Get(nats.MsgIdHdr), fmt.Sprintf("%s:%d:%s", id, e.Seq, e.Hash[:16]); got != want {
				tb.Fatalf("message id %q, want %q", got, want)
			}
			seqs = append(seqs, e.Seq)
		}
		if batch.Error() != nil {
			tb.Fatal(batch.Error())
		}
	}
	return seqs
}

// TestEventsUpOnceInOrder sends a branch's 10,000 taps, some logged while
// the outbox runs, up to the central site.
func TestEventsUpOnceInOrder(t *testing.T) {
	hub := startEventsHub(t)
	central := startIngest(t, hub.url(), openSiteDB(t, false))
	branchDB := openSiteDB(t, false)
	logTaps(t, branchDB, 6000)
	branch := startOutbox(t, hub.url(), "lyon", branchDB)
	for range 4 {
		logTaps(t, branchDB, 1000)
		branch.outbox.Notify()
	}
	checkArrived(t, central.db, branchDB, "lyon", 10000)
	eventually(t, 10*time.Second, "the acknowledged seq recorded", func() bool {
		acked, err := branchDB.OutboxAcked()
		return err == nil && acked == 10000 && branch.outbox.Acked() == 10000
	})
	seqs := streamSeqs(t, hub.url(), "lyon")
	if len(seqs) != 10000 {
		t.Fatalf("the stream holds %d events, want 10000", len(seqs))
	}
	for i, s := range seqs {
		if s != uint64(i+1) {
			t.Fatalf("stream position %d holds event %d, want %d", i+1, s, i+1)
		}
	}
	// The branch's own events read with its site; those at the central
	// site with theirs.
	if err := branchDB.View(func(tx core.Tx) error {
		e, err := tx.LastEvent()
		if err == nil && e.Site != "lyon" {
			err = fmt.Errorf("own event %d reads with site %q, want lyon", e.Seq, e.Site)
		}
		return err
	}); err != nil {
		t.Error(err)
	}
}

// TestEventsUpThroughOutages stops the hub while a branch sends its
// backlog, logs taps while it is down, starts it again; then stops the
// branch's outbox half-way and starts a new one on the same file: the
// central site holds every event once, in order.
func TestEventsUpThroughOutages(t *testing.T) {
	hub := startEventsHub(t)
	central := startIngest(t, hub.url(), openSiteDB(t, false))
	branchDB := openSiteDB(t, false)
	logTaps(t, branchDB, 10000)
	branch := startOutbox(t, hub.url(), "lyon", branchDB)
	eventually(t, 30*time.Second, "a part of the backlog acknowledged", func() bool { return branch.outbox.Acked() > 2000 })
	hub.stop()
	logTaps(t, branchDB, 2000) // the doors keep deciding
	branch.outbox.Notify()
	time.Sleep(300 * time.Millisecond)
	hub.start()
	branch.outbox.Notify()
	eventually(t, 30*time.Second, "more sent after the outage", func() bool { return branch.outbox.Acked() > 11000 })
	branch.stop()
	logTaps(t, branchDB, 500)
	again := startOutbox(t, hub.url(), "lyon", branchDB)
	again.outbox.Notify()
	checkArrived(t, central.db, branchDB, "lyon", 12500)
	if seqs := streamSeqs(t, hub.url(), "lyon"); len(seqs) != 12500 {
		t.Errorf("the stream holds %d events of lyon, want 12500: the hub stored duplicates", len(seqs))
	}
}

// TestOutboxWindows sends with windows from one event in flight to more
// than the log holds: the stream holds each event once, in seq order.
func TestOutboxWindows(t *testing.T) {
	for _, window := range []int{1, 7, 4096} {
		t.Run(fmt.Sprint("window=", window), func(t *testing.T) {
			hub := startEventsHub(t)
			db := openSiteDB(t, true)
			logTaps(t, db, 1500)
			ob, err := natslink.NewOutbox(connectSite(t, hub.url()), "lyon", db, natslink.OutboxOptions{Window: window})
			if err != nil {
				t.Fatal(err)
			}
			runUntilStopped(t, ob.Run)
			eventually(t, 30*time.Second, "every event acknowledged", func() bool { return ob.Acked() == 1500 })
			seqs := streamSeqs(t, hub.url(), "lyon")
			for i, s := range seqs {
				if s != uint64(i+1) {
					t.Fatalf("stream position %d holds event %d", i+1, s)
				}
			}
			if len(seqs) != 1500 {
				t.Fatalf("the stream holds %d events, want 1500", len(seqs))
			}
		})
	}
	for _, bad := range []string{"", "ly.on", "ly on", "lyon>", "all", strings.Repeat("a", 65)} {
		if _, err := natslink.NewOutbox(nil, bad, nil, natslink.OutboxOptions{}); err == nil {
			t.Errorf("NewOutbox(%q): no error", bad)
		}
	}
}

// TestEventsUpResentAfterACrash: a branch that crashed before it
// recorded what the hub acknowledged (here, its file as a copy made
// before it sent anything) sends everything again: the hub keeps each
// event once, and so does the central site.
func TestEventsUpResentAfterACrash(t *testing.T) {
	hub := startEventsHub(t)
	central := startIngest(t, hub.url(), openSiteDB(t, false))
	branchDB := openSiteDB(t, false)
	logTaps(t, branchDB, 3000)
	copyPath := filepath.Join(t.TempDir(), "before.db")
	if err := branchDB.Backup(copyPath); err != nil {
		t.Fatal(err)
	}
	branch := startOutbox(t, hub.url(), "lyon", branchDB)
	checkArrived(t, central.db, branchDB, "lyon", 3000)
	branch.stop()

	crashed, err := storage.Open(copyPath, storage.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = crashed.Close() })
	if acked, _ := crashed.OutboxAcked(); acked != 0 {
		t.Fatalf("the copy records %d acknowledged, want 0", acked)
	}
	again := startOutbox(t, hub.url(), "lyon", crashed)
	eventually(t, 30*time.Second, "everything sent again", func() bool { return again.outbox.Acked() == 3000 })
	if n := len(streamSeqs(t, hub.url(), "lyon")); n != 3000 {
		t.Errorf("the stream holds %d events, want 3000", n)
	}
	checkArrived(t, central.db, crashed, "lyon", 3000)
}

// TestEventMsgIDTakesTheHash: an event's message id names its site and
// seq and ends with the start of its hash, so two events of the same site
// and seq that differ have different ids: another site cannot take an
// event's id before it is sent.
func TestEventMsgIDTakesTheHash(t *testing.T) {
	a := []byte(`{"seq":7,"hash":"0123456789abcdef0123456789abcdef","result":"granted"}`)
	b := []byte(`{"seq":7,"hash":"fedcba98765432100123456789abcdef","result":"granted"}`)
	if got := natslink.EventMsgID("lyon", 7, a); got != "lyon:7:0123456789abcdef" {
		t.Errorf("id %q, want lyon:7:0123456789abcdef", got)
	}
	if natslink.EventMsgID("lyon", 7, a) == natslink.EventMsgID("lyon", 7, b) {
		t.Error("two different events of lyon's seq 7 have one id")
	}
}
