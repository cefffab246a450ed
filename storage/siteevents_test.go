package storage_test

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"frontdesk/core"
	"frontdesk/storage"
	"frontdesk/storage/storagetest"
)

// branchLog appends n taps to db's event log and returns them as the log
// reads them back.
func branchLog(t testing.TB, db *storage.DB, n int) []core.Event {
	t.Helper()
	at := time.Date(2026, 12, 1, 8, 0, 0, 0, time.UTC)
	update(t, db, func(tx core.Tx) error {
		for i := range n {
			e := core.Event{At: at.Add(time.Duration(i) * time.Second), Reader: "r1", Door: "front",
				Card: fmt.Sprintf("%06d", i), Person: fmt.Sprintf("p%d", i%7), Result: core.Granted,
				Explanation: "granted"}
			if err := tx.AppendEvent(&e); err != nil {
				return err
			}
		}
		return nil
	})
	var evs []core.Event
	view(t, db, func(tx core.Tx) error {
		return tx.Events(core.EventQuery{}, func(e core.Event) error { evs = append(evs, e); return nil })
	})
	if len(evs) != n {
		t.Fatalf("branch log holds %d events, want %d", len(evs), n)
	}
	return evs
}

// siteSeqs lists the seqs of site's events stored at db.
func siteSeqs(t testing.TB, db *storage.DB, site string, from uint64) []uint64 {
	t.Helper()
	var seqs []uint64
	err := db.SiteEvents(site, from, func(e core.Event) error {
		if e.Site != site {
			t.Errorf("event %d of %s reads with site %q", e.Seq, site, e.Site)
		}
		seqs = append(seqs, e.Seq)
		return nil
	})
	if err != nil {
		t.Fatalf("SiteEvents(%s): %v", site, err)
	}
	return seqs
}

func TestPutSiteEvents(t *testing.T) {
	evs := branchLog(t, storagetest.MustOpen(t), 6)
	tampered := evs[2]
	tampered.Result, tampered.Explanation = core.DeniedCardBlocked, "denied"
	tests := []struct {
		name     string
		site     string
		batch    []core.Event
		wantErr  error
		conflict uint64 // the seq a *SiteConflictError names
		want     []uint64
	}{
		{name: "first three", site: "lyon", batch: evs[:3], want: []uint64{1, 2, 3}},
		{name: "the same again: stored once", site: "lyon", batch: evs[:3], want: []uint64{1, 2, 3}},
		{name: "overlapping, resent after a lost ack", site: "lyon", batch: evs[1:5], want: []uint64{1, 2, 3, 4, 5}},
		{name: "tampered seq 3 with a new one: nothing stored", site: "lyon",
			batch: []core.Event{evs[5], tampered}, wantErr: core.ErrConflict, conflict: 3, want: []uint64{1, 2, 3, 4, 5}},
		{name: "another site, same seqs", site: "lyon-2", batch: evs[:2], want: []uint64{1, 2}},
		{name: "bad site id", site: "ly.on", batch: evs[:1], wantErr: core.ErrInvalid},
		{name: "empty site id", site: "", batch: evs[:1], wantErr: core.ErrInvalid},
		{name: "all is no site's id", site: "all", batch: evs[:1], wantErr: core.ErrInvalid},
		{name: "an event of another site", site: "nice", batch: []core.Event{func() core.Event {
			e := evs[0]
			e.Site = "lyon"
			return e
		}()}, wantErr: core.ErrInvalid},
		{name: "seq 0", site: "nice", batch: []core.Event{{}}, wantErr: core.ErrInvalid},
	}
	db := storagetest.MustOpen(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := db.PutSiteEvents(tt.site, tt.batch)
			if !errors.Is(err, tt.wantErr) || (tt.wantErr == nil) != (err == nil) {
				t.Fatalf("PutSiteEvents: got %v, want %v", err, tt.wantErr)
			}
			if tt.conflict != 0 {
				var ce *storage.SiteConflictError
				if !errors.As(err, &ce) || ce.Site != tt.site || ce.Seq != tt.conflict {
					t.Fatalf("got %#v, want a conflict of %s event %d", err, tt.site, tt.conflict)
				}
			}
			if tt.want == nil {
				return
			}
			if got := siteSeqs(t, db, tt.site, 1); fmt.Sprint(got) != fmt.Sprint(tt.want) {
				t.Errorf("stored seqs: got %v, want %v", got, tt.want)
			}
			last, err := db.SiteLastSeq(tt.site)
			if err != nil || last != tt.want[len(tt.want)-1] {
				t.Errorf("SiteLastSeq: got %d, %v, want %d", last, err, tt.want[len(tt.want)-1])
			}
		})
	}
	if got := siteSeqs(t, db, "lyon", 4); fmt.Sprint(got) != "[4 5]" {
		t.Errorf("lyon from 4: got %v, want [4 5]", got)
	}
	marks, err := db.SiteMarks()
	if err != nil {
		t.Fatal(err)
	}
	if got, want := fmt.Sprint(marks), "[{lyon 5 5} {lyon-2 2 2}]"; got != want {
		t.Errorf("SiteMarks: got %v, want %s", got, want)
	}
	if last, err := db.SiteLastSeq("nowhere"); err != nil || last != 0 {
		t.Errorf("SiteLastSeq of a site never heard of: got %d, %v, want 0", last, err)
	}
}

// TestSiteEventsKeepBranchBytes checks that the central site stores the
// very bytes of the branch's log: the chain verifies, and a site's id is
// not stored with its events.
func TestSiteEventsKeepBranchBytes(t *testing.T) {
	branch := storagetest.MustOpen(t)
	if err := branch.SetFederationSite("lyon"); err != nil {
		t.Fatal(err)
	}
	evs := branchLog(t, branch, 20)
	for _, e := range evs {
		if e.Site != "lyon" {
			t.Fatalf("own event %d reads with site %q, want lyon", e.Seq, e.Site)
		}
	}
	raw := map[uint64][]byte{}
	if err := branch.RawEvents(0, 100, func(seq uint64, data []byte) error { raw[seq] = data; return nil }); err != nil {
		t.Fatal(err)
	}
	if len(raw) != 20 || bytes.Contains(raw[1], []byte(`"site"`)) {
		t.Fatalf("raw events: %d, first %s", len(raw), raw[1])
	}
	central := openAt(t, tempPath(t))
	if err := central.PutSiteEvents("lyon", evs); err != nil {
		t.Fatal(err)
	}
	st, err := central.CheckChain(context.Background(), storage.SiteChain("lyon"), storage.Link{})
	if err != nil || st.Broken != 0 || st.Last.Seq != 20 || st.Last.Hash != evs[19].Hash {
		t.Fatalf("chain of lyon: %+v, %v", st, err)
	}
	rawUpdate(t, central, func(btx *bolt.Tx) error {
		for seq, want := range raw {
			k := binary.BigEndian.AppendUint64([]byte("lyon\x00"), seq)
			if got := btx.Bucket([]byte("site_events")).Get(k); !bytes.Equal(got, want) {
				t.Errorf("event %d: stored %s, branch has %s", seq, got, want)
			}
		}
		return nil
	})
}

func TestCheckSiteChain(t *testing.T) {
	evs := branchLog(t, storagetest.MustOpen(t), 5)
	changed := func(i int, f func(*core.Event)) []core.Event {
		out := append([]core.Event(nil), evs...)
		f(&out[i])
		return out
	}
	tests := []struct {
		name   string
		events []core.Event
		broken uint64
		fault  string
	}{
		{"intact", evs, 0, ""},
		{"a changed explanation", changed(2, func(e *core.Event) { e.Explanation = "who knows" }), 3, "hash_mismatch"},
		{"an event missing", append(append([]core.Event(nil), evs[:2]...), evs[3:]...), 3, "missing"},
		{"rehashed, unchained", changed(3, func(e *core.Event) { e.PrevHash = "00"; e.Hash = core.EventHash(*e) }), 4, "prev_mismatch"},
		{"the first missing", evs[1:], 1, "missing"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			db := storagetest.MustOpen(t)
			// A neighbour with an intact chain, whose keys sort right
			// after: the walk must stay within lyon's.
			if err := db.PutSiteEvents("lyon0", evs); err != nil {
				t.Fatal(err)
			}
			if err := db.PutSiteEvents("lyon", tt.events); err != nil {
				t.Fatal(err)
			}
			st, err := db.CheckChain(context.Background(), storage.SiteChain("lyon"), storage.Link{})
			if err != nil {
				t.Fatal(err)
			}
			if st.Broken != tt.broken || st.Fault != tt.fault {
				t.Errorf("got broken %d (%s: %s), want %d (%s)", st.Broken, st.Fault, st.Why, tt.broken, tt.fault)
			}
			if st.Last.Seq != 5 {
				t.Errorf("last: got %d, want 5", st.Last.Seq)
			}
		})
	}
	db := storagetest.MustOpen(t)
	if st, err := db.CheckChain(context.Background(), storage.SiteChain("nowhere"), storage.Link{}); err != nil || st.Broken != 0 || st.Last.Seq != 0 {
		t.Errorf("a site without events: %+v, %v", st, err)
	}
	if _, err := db.CheckChain(context.Background(), storage.SiteChain("no.where"), storage.Link{}); !errors.Is(err, core.ErrInvalid) {
		t.Errorf("a bad site id: got %v, want ErrInvalid", err)
	}
}

func TestOutboxMeta(t *testing.T) {
	db := storagetest.MustOpen(t)
	for _, step := range []struct {
		set, want uint64
	}{{0, 0}, {10, 10}, {7, 10}, {12, 12}} {
		if err := db.SetOutboxAcked(step.set); err != nil {
			t.Fatal(err)
		}
		if got, err := db.OutboxAcked(); err != nil || got != step.want {
			t.Errorf("after SetOutboxAcked(%d): got %d, %v, want %d", step.set, got, err, step.want)
		}
	}
	if err := db.SetFederationSite("lyon"); err != nil {
		t.Fatal(err)
	}
	if got, _ := db.OutboxAcked(); got != 0 {
		t.Errorf("a new site id sends everything again: acked %d, want 0", got)
	}
	if err := db.SetOutboxAcked(3); err != nil {
		t.Fatal(err)
	}
	if err := db.SetFederationSite("lyon"); err != nil {
		t.Errorf("the same id again: %v", err)
	}
	if err := db.SetFederationSite("nice"); !errors.Is(err, core.ErrConflict) {
		t.Errorf("another id once events were sent: got %v, want ErrConflict", err)
	}
	if err := db.SetFederationSite("bad id"); !errors.Is(err, core.ErrInvalid) {
		t.Errorf("a bad id: got %v, want ErrInvalid", err)
	}
	if id, err := db.FederationSite(); err != nil || id != "lyon" {
		t.Errorf("FederationSite: got %q, %v, want lyon", id, err)
	}
	if got, _ := db.OutboxAcked(); got != 3 {
		t.Errorf("acked: got %d, want 3", got)
	}
}

// TestSiteEventsQuery: a query of another site's events held here
// selects by time, person and door, in time order, newest first when
// reversed, the first Limit of the walk; and EventSites lists the sites.
func TestSiteEventsQuery(t *testing.T) {
	evs := branchLog(t, storagetest.MustOpen(t), 30)
	db := storagetest.MustOpen(t)
	if err := db.PutSiteEvents("lyon", evs); err != nil {
		t.Fatal(err)
	}
	if err := db.PutSiteEvents("nice", evs[:2]); err != nil {
		t.Fatal(err)
	}
	if err := db.SetFederationSite("hq"); err != nil {
		t.Fatal(err)
	}
	at := evs[0].At
	tests := []struct {
		name string
		q    core.EventQuery
		want string
	}{
		{"all", core.EventQuery{}, "30 1..30"},
		{"from, to", core.EventQuery{From: at.Add(10 * time.Second), To: at.Add(15 * time.Second)}, "5 11..15"},
		{"person", core.EventQuery{Person: "p3"}, "4 4..25"},
		{"first 3", core.EventQuery{Limit: 3}, "3 1..3"},
		{"latest 3", core.EventQuery{Limit: 3, Reverse: true}, "3 30..28"},
		{"door elsewhere", core.EventQuery{Door: "back"}, "0"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var seqs []uint64
			err := db.View(func(tx core.Tx) error {
				return tx.SiteEvents("lyon", tt.q, func(e core.Event) error {
					if e.Site != "lyon" {
						t.Errorf("event %d: site %q, want lyon", e.Seq, e.Site)
					}
					seqs = append(seqs, e.Seq)
					return nil
				})
			})
			if err != nil {
				t.Fatal(err)
			}
			got := fmt.Sprint(len(seqs))
			if len(seqs) > 0 {
				got += fmt.Sprintf(" %d..%d", seqs[0], seqs[len(seqs)-1])
			}
			if got != tt.want {
				t.Errorf("got %s, want %s", got, tt.want)
			}
		})
	}
	err := db.View(func(tx core.Tx) error {
		own, others, err := tx.EventSites()
		if got := fmt.Sprintln(own, others); err != nil || got != "hq [lyon nice]\n" {
			t.Errorf("got %s %v, want hq [lyon nice]", got, err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
