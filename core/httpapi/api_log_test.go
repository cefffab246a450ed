package httpapi

import (
	"encoding/binary"
	"errors"
	"fmt"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"frontdesk/core"
	"frontdesk/storage"
)

// appendEvents appends n events to the log of s, spread over its doors,
// readers and people, one a second from t0: the log of a busy day.
func appendEvents(t testing.TB, s *site, n int) {
	t.Helper()
	readers := []struct{ reader, door string }{{"main-in", "main"}, {"main-out", "main"}, {"lab-in", "lab"}, {"lab-out", "lab"}, {"desk", ""}}
	people := []string{"ann", "bob", "carol", "eve", "frank", ""}
	err := s.db.Update(func(tx core.Tx) error {
		for i := range n {
			r, p := readers[i%len(readers)], people[i%len(people)]
			ev := core.Event{At: t0.Add(time.Duration(i) * time.Second).UTC(), Reader: r.reader, Door: r.door, Person: p,
				Card: fmt.Sprintf("em:%010x", i), Result: core.DeniedNoAccess, Explanation: fmt.Sprintf("event %d of a busy day", i)}
			if p == "" {
				ev.Result = core.DeniedUnknownCard
			}
			if err := tx.AppendEvent(&ev); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// collectEvents reads the events q selects through api.
func collectEvents(api attendanceAPI, a core.Actor, q core.EventQuery) ([]core.Event, error) {
	var out []core.Event
	err := api.Events(a, q, func(ev core.Event) error {
		out = append(out, ev)
		return nil
	})
	return out, err
}

// TestEventsStream reads thousands of events through the service, as
// the command line and as a boss who sees only her doors: the same
// events as in process, in the same order.
func TestEventsStream(t *testing.T) {
	const n = 5000
	clock := &testClock{t: t0}
	s := newSite(t, clock.now, siteOptions{})
	appendEvents(t, s, n)
	srv := NewServer(s.engine, Options{})
	cli := dial(t, serve(t, srv, trusted()))
	bob, bobActor := login(t, serve(t, srv, stranger()), "bob", bobPassword)
	cliActor := commandLine(t, cli)
	for _, tt := range []struct {
		name   string
		client *Client
		a      core.Actor
		q      core.EventQuery
		want   int // at least
	}{
		{"all", cli, cliActor, core.EventQuery{}, n},
		{"newest", cli, cliActor, core.EventQuery{Reverse: true, Limit: 100}, 100},
		{"door", cli, cliActor, core.EventQuery{Door: "lab"}, 2 * n / 5},
		{"person", cli, cliActor, core.EventQuery{Person: "ann", From: t0.Add(time.Hour), To: t0.Add(2 * time.Hour)}, (n - 3600) / 6},
		{"boss", bob, bobActor, core.EventQuery{}, 4 * n / 5},
		{"boss newest", bob, bobActor, core.EventQuery{Reverse: true, Limit: 7}, 7},
	} {
		t.Run(tt.name, func(t *testing.T) {
			want, err := collectEvents(s.engine, tt.a, tt.q)
			if err != nil {
				t.Fatal(err)
			}
			start := time.Now()
			got, err := collectEvents(tt.client, tt.a, tt.q)
			took := time.Since(start)
			if err != nil {
				t.Fatal(err)
			}
			if len(want) < tt.want {
				t.Fatalf("in process: got %d events, want at least %d", len(want), tt.want)
			}
			if d := sameValue(got, want); d != "" {
				t.Error(d)
			}
			t.Logf("%d events in %v", len(got), took)
		})
	}
}

// TestEventsCallbackStopsTheStream: the callback's error stops the walk;
// the client stops reading and returns that error, and goes on working.
func TestEventsCallbackStopsTheStream(t *testing.T) {
	clock := &testClock{t: t0}
	s := newSite(t, clock.now, siteOptions{})
	appendEvents(t, s, 5000)
	cli := dial(t, serve(t, NewServer(s.engine, Options{}), trusted()))
	a := commandLine(t, cli)
	stop := errors.New("enough for this page")
	var got []core.Event
	err := cli.Events(a, core.EventQuery{}, func(ev core.Event) error {
		if len(got) == 10 {
			return stop
		}
		got = append(got, ev)
		return nil
	})
	if err != stop {
		t.Errorf("got error %v, want the callback's", err)
	}
	if len(got) != 10 || got[0].Seq != 1 || got[9].Seq != 10 {
		t.Errorf("got %d events, want the first 10", len(got))
	}
	if evs, err := collectEvents(cli, a, core.EventQuery{Reverse: true, Limit: 3}); err != nil || len(evs) != 3 || evs[0].Seq != 5000 {
		t.Errorf("after a stop: got %d events, %v; want the last 3", len(evs), err)
	}
}

// damageEvents makes the events seqs of the database at path unreadable,
// as a bad disk or a stray program would: their records are no longer
// JSON, their index entries stay.
func damageEvents(t testing.TB, path string, seqs ...uint64) {
	t.Helper()
	bdb, err := bolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer bdb.Close()
	err = bdb.Update(func(tx *bolt.Tx) error {
		b := tx.Bucket([]byte("events"))
		for _, seq := range seqs {
			k := binary.BigEndian.AppendUint64(nil, seq)
			if b.Get(k) == nil {
				return fmt.Errorf("no event %d", seq)
			}
			if err := b.Put(k, []byte(`{"seq": garbled`)); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestEventsUnreadable: events that cannot be read reach the client as
// they leave the engine: the others as lines, then an error that is the
// engine's *core.UnreadableEvents (matching core.ErrDamaged, with its
// message), so a screen shows the others and names these.
func TestEventsUnreadable(t *testing.T) {
	clock := &testClock{t: t0}
	dir := t.TempDir()
	s := newSite(t, clock.now, siteOptions{dir: dir})
	appendEvents(t, s, 50)
	path := s.db.Path()
	s.db.Close()
	damageEvents(t, path, 7, 8, 30)
	db, err := storage.Open(path, storage.Options{})
	if err != nil {
		t.Fatalf("open the damaged database: %v", err)
	}
	t.Cleanup(func() { db.Close() })
	s = loadSite(t, db, clock.now, siteOptions{empty: true})
	cli := dial(t, serve(t, NewServer(s.engine, Options{}), trusted()))
	a := commandLine(t, cli)
	for _, tt := range []struct {
		name   string
		q      core.EventQuery
		events int
	}{
		{"some", core.EventQuery{}, 47},
		{"only damaged", core.EventQuery{From: t0.Add(6 * time.Second), To: t0.Add(8 * time.Second)}, 0},
	} {
		t.Run(tt.name, func(t *testing.T) {
			want, wantErr := collectEvents(s.engine, a, tt.q)
			got, err := collectEvents(cli, a, tt.q)
			if len(want) != tt.events {
				t.Fatalf("in process: got %d events, want %d", len(want), tt.events)
			}
			if d := sameValue(got, want); d != "" {
				t.Error(d)
			}
			if d := sameError(err, wantErr); d != "" {
				t.Error(d)
			}
			var u *core.UnreadableEvents
			if !errors.As(err, &u) || !errors.Is(err, core.ErrDamaged) {
				t.Fatalf("got %T %v, want a *core.UnreadableEvents", err, err)
			}
			var wantU *core.UnreadableEvents
			errors.As(wantErr, &wantU)
			if d := sameValue(u, wantU); d != "" {
				t.Error(d)
			}
		})
	}
}
