package storage_test

import (
	"bytes"
	"context"
	"encoding/binary"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"frontdesk/core"
	"frontdesk/storage"
)

// chainDB is a database with n events and n audit entries, and the
// hashes they were written with, by sequence number.
func chainDB(t *testing.T, n int) (*storage.DB, map[uint64]string, map[uint64]string) {
	t.Helper()
	db := openAt(t, tempPath(t))
	events, audit := map[uint64]string{}, map[uint64]string{}
	at := time.Date(2026, 11, 24, 8, 0, 0, 0, time.UTC)
	update(t, db, func(tx core.Tx) error {
		for i := range n {
			e := core.Event{At: at.Add(time.Duration(i) * time.Minute), Reader: "r", Card: "em:0102B0A5FD", Result: core.Granted}
			if err := tx.AppendEvent(&e); err != nil {
				return err
			}
			events[e.Seq] = e.Hash
			a := core.AuditEntry{At: e.At, Actor: "bob", Action: "grant.add", Object: "grants/g1"}
			if err := tx.AppendAudit(&a); err != nil {
				return err
			}
			audit[a.Seq] = a.Hash
		}
		return nil
	})
	return db, events, audit
}

// reopen closes db, changes its file with bbolt directly as an intruder
// would, and opens it again.
func reopen(t *testing.T, db *storage.DB, fn func(*bolt.Tx) error) *storage.DB {
	t.Helper()
	rawUpdate(t, db, fn)
	return openAt(t, db.Path())
}

// rewriteEvent changes event seq with change and, with recompute, chains
// every event from it on again, as someone who knows the hash would.
func rewriteEvent(seq uint64, recompute bool, change func(*core.Event)) func(*bolt.Tx) error {
	return func(btx *bolt.Tx) error {
		b := btx.Bucket([]byte("events"))
		prev := ""
		c := b.Cursor()
		for k, v := c.Seek(u64be(seq)); k != nil; k, v = c.Next() {
			var e core.Event
			if err := jsonDecode(v, &e); err != nil {
				return err
			}
			if e.Seq == seq {
				change(&e)
			}
			if !recompute {
				if e.Seq == seq {
					return b.Put(bytes.Clone(k), jsonEncode(e))
				}
				continue
			}
			if e.Seq != seq {
				e.PrevHash = prev
			}
			e.Hash = core.EventHash(e)
			prev = e.Hash
			if err := b.Put(bytes.Clone(k), jsonEncode(e)); err != nil {
				return err
			}
		}
		return btx.Bucket([]byte("meta")).Put([]byte("last_hash"), []byte(prev))
	}
}

func u64be(v uint64) []byte { return binary.BigEndian.AppendUint64(nil, v) }

// TestCheckChain: the walk finds the first entry that is missing, changed,
// or no longer the one anchored, and reads the hashes asked for.
func TestCheckChain(t *testing.T) {
	const n = 10
	tests := []struct {
		name    string
		tamper  func(*bolt.Tx) error
		chain   storage.Chain
		from    uint64 // anchored entry, with its original hash
		broken  uint64
		why     string
		rewrote bool // the hash of the last entry changed
	}{
		{name: "intact", chain: storage.EventLog},
		{name: "intact from an anchor", chain: storage.EventLog, from: 6},
		{name: "intact audit trail from an anchor", chain: storage.AuditTrail, from: 3},
		{name: "an event changed", chain: storage.EventLog, broken: 4, why: "event 4: hash does not match its content",
			tamper: rewriteEvent(4, false, func(e *core.Event) { e.Result = core.DeniedNoAccess })},
		{name: "an event changed, the chain recomputed", chain: storage.EventLog, rewrote: true,
			tamper: rewriteEvent(4, true, func(e *core.Event) { e.Result = core.DeniedNoAccess })},
		{name: "the chain recomputed past an anchor", chain: storage.EventLog, from: 6, broken: 6, rewrote: true,
			why:    "event 6: its hash is",
			tamper: rewriteEvent(4, true, func(e *core.Event) { e.Person = "mallory" })},
		{name: "the chain recomputed before an anchor", chain: storage.EventLog, from: 3, broken: 0, rewrote: true,
			tamper: rewriteEvent(4, true, func(e *core.Event) { e.Person = "mallory" })},
		{name: "an event deleted", chain: storage.EventLog, broken: 7, why: "event 7: missing",
			tamper: func(btx *bolt.Tx) error { return btx.Bucket([]byte("events")).Delete(u64be(7)) }},
		{name: "the anchored event deleted", chain: storage.EventLog, from: 7, broken: 7, why: "event 7: missing",
			tamper: func(btx *bolt.Tx) error { return btx.Bucket([]byte("events")).Delete(u64be(7)) }},
		{name: "cut before the anchor", chain: storage.EventLog, from: 9, broken: 9, why: "event 9: missing: the event log ends at 8",
			tamper: func(btx *bolt.Tx) error {
				b := btx.Bucket([]byte("events"))
				b.Delete(u64be(9))
				return b.Delete(u64be(10))
			}},
		{name: "an event undecodable", chain: storage.EventLog, broken: 2, why: "event 2: cannot be decoded",
			tamper: func(btx *bolt.Tx) error { return btx.Bucket([]byte("events")).Put(u64be(2), []byte("{")) }},
		{name: "an audit entry changed", chain: storage.AuditTrail, broken: 5, why: "audit entry 5: hash does not match its content",
			tamper: func(btx *bolt.Tx) error {
				b := btx.Bucket([]byte("audit"))
				return b.Put(u64be(5), bytes.Replace(b.Get(u64be(5)), []byte("bob"), []byte("eve"), 1))
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			db, events, audit := chainDB(t, n)
			hashes := events
			if tt.chain == storage.AuditTrail {
				hashes = audit
			}
			if tt.tamper != nil {
				db = reopen(t, db, tt.tamper)
			}
			from := storage.Link{}
			if tt.from != 0 {
				from = storage.Link{Seq: tt.from, Hash: hashes[tt.from]}
			}
			st, err := db.CheckChain(context.Background(), tt.chain, from, 1, 5, n, n+1)
			if err != nil {
				t.Fatal(err)
			}
			if st.Broken != tt.broken || !strings.Contains(st.Why, tt.why) {
				t.Fatalf("got broken %d %q, want %d %q", st.Broken, st.Why, tt.broken, tt.why)
			}
			if st.Broken == 0 && st.Why != "" {
				t.Fatalf("not broken but %q", st.Why)
			}
			if last := st.Last; last.Seq == n && (last.Hash == hashes[n]) == tt.rewrote {
				t.Fatalf("last entry %d %s: rewritten %v, want %v", last.Seq, last.Hash, last.Hash != hashes[n], tt.rewrote)
			}
			if _, ok := st.Hashes[n+1]; ok {
				t.Fatalf("a hash for entry %d, which does not exist", n+1)
			}
			if tt.tamper == nil {
				// The walk reads from the anchor on.
				for _, seq := range []uint64{1, 5, n} {
					if got, want := st.Hashes[seq], hashes[seq]; seq >= tt.from && got != want || seq < tt.from && got != "" {
						t.Fatalf("hash of %d: got %q, want %q from %d on", seq, got, want, tt.from)
					}
				}
			}
		})
	}
}

func TestCheckEmptyChain(t *testing.T) {
	db := openAt(t, tempPath(t))
	st, err := db.CheckChain(context.Background(), storage.EventLog, storage.Link{})
	if err != nil || st.Last != (storage.Link{}) || st.Broken != 0 {
		t.Fatalf("got %+v, %v, want an empty intact chain", st, err)
	}
}

// TestSiteID: made at random with the database, kept in the file, copied
// by backups; a file from before schema 4 gets one when it is upgraded, so
// that a read-only open (a report on a full disk) has it too.
func TestSiteID(t *testing.T) {
	db := openAt(t, tempPath(t))
	id, err := db.SiteID(false)
	if err != nil || !regexp.MustCompile(`^[0-9a-f]{16}$`).MatchString(id) {
		t.Fatalf("SiteID of a new database: got %q, %v", id, err)
	}
	if again, _ := db.SiteID(true); again != id {
		t.Fatalf("a second SiteID: %q, then %q", id, again)
	}
	backup := filepath.Join(t.TempDir(), "backup.db")
	if err := db.Backup(backup); err != nil {
		t.Fatal(err)
	}
	if got, _ := openAt(t, backup).SiteID(false); got != id {
		t.Fatalf("the backup's site: %q, want %q", got, id)
	}
	if other, _ := openAt(t, tempPath(t)).SiteID(false); other == id {
		t.Fatal("two databases drew the same site identity")
	}

	// A schema 3 file without one gets it at its upgrade, also when it
	// is first opened read-only.
	path := db.Path()
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	old := openAt(t, path)
	rawUpdate(t, old, func(btx *bolt.Tx) error {
		meta := btx.Bucket([]byte("meta"))
		if err := meta.Delete([]byte("site_id")); err != nil {
			return err
		}
		return meta.Put([]byte("schema"), binary.BigEndian.AppendUint64(nil, 3))
	})
	if err := old.Close(); err != nil {
		t.Fatal(err)
	}
	ro, err := storage.Open(path, storage.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer ro.Close()
	if got, err := ro.SiteID(false); err != nil || !regexp.MustCompile(`^[0-9a-f]{16}$`).MatchString(got) || got == id {
		t.Fatalf("SiteID after the upgrade: got %q, %v, want a new identity", got, err)
	}
}

// BenchmarkCheckChain walks a log of 100,000 events: from its start (a
// database's first checkpoint, and verify --checkpoint) and from an anchor
// a day's taps (5,000) from its end (each later checkpoint).
func BenchmarkCheckChain(b *testing.B) {
	const n, day = 100_000, 5_000
	db, err := storage.Open(filepath.Join(b.TempDir(), "bench.db"), storage.Options{NoSync: true})
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	at := time.Date(2026, 11, 24, 8, 0, 0, 0, time.UTC)
	var anchor storage.Link
	for start := 0; start < n; start += 10_000 {
		err := db.Update(func(tx core.Tx) error {
			for i := start; i < start+10_000; i++ {
				e := core.Event{At: at.Add(time.Duration(i) * time.Second), Reader: "main-in", Door: "main", Card: "em:0102B0A5FD",
					Person: "p" + strings.Repeat("x", i%7), Result: core.Granted, Explanation: "level Staff, schedule Office hours, Tue 07:00-19:00"}
				if err := tx.AppendEvent(&e); err != nil {
					return err
				}
				if i == n-day {
					anchor = storage.Link{Seq: e.Seq, Hash: e.Hash}
				}
			}
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
	}
	for _, bb := range []struct {
		name string
		from storage.Link
	}{{"from-start", storage.Link{}}, {"last-day", anchor}} {
		b.Run(bb.name, func(b *testing.B) {
			for b.Loop() {
				st, err := db.CheckChain(context.Background(), storage.EventLog, bb.from)
				if err != nil || st.Broken != 0 || st.Last.Seq != n {
					b.Fatalf("got %+v, %v", st, err)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(b.N), "ms/walk")
		})
	}
}

// TestCheckChainStopsWithItsContext: a long walk ends soon after its
// context does, so that the running app stops on time.
func TestCheckChainStopsWithItsContext(t *testing.T) {
	db, _, _ := chainDB(t, 5000)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := db.CheckChain(ctx, storage.EventLog, storage.Link{}); err == nil || !strings.Contains(err.Error(), "canceled") {
		t.Fatalf("a walk with its context ended: got %v, want it cancelled", err)
	}
}
