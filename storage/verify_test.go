package storage_test

import (
	"bytes"
	"encoding/binary"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"
	berrors "go.etcd.io/bbolt/errors"

	"frontdesk/core"
	"frontdesk/storage"
	"frontdesk/storage/storagetest"
)

const annCard = "em:0102B0A5FD"

// fill stores a small site: two cards, two grants, five events and the
// five audit entries of their changes.
func fill(t testing.TB, db *storage.DB) {
	t.Helper()
	update(t, db, func(tx core.Tx) error {
		for _, c := range []core.Card{
			{Code: annCard, Person: "ann", State: core.CardActive},
			{Code: "uid:04A22B1A", Person: "bob", State: core.CardActive},
		} {
			if err := tx.Put(core.KindCard, c.Code, c); err != nil {
				return err
			}
		}
		for _, g := range []core.Grant{
			{ID: "g1", Person: "ann", Door: "lab", Kind: core.GrantPermanent},
			{ID: "g2", Person: "bob", Door: "main", Kind: core.GrantOnce, Uses: 2},
		} {
			if err := tx.Put(core.KindGrant, g.ID, g); err != nil {
				return err
			}
		}
		for i := range 5 {
			e := core.Event{At: t0.Add(time.Duration(i) * time.Minute), Reader: "main-in", Door: "main",
				Card: annCard, Person: "ann", Result: core.Granted, Explanation: "level Staff"}
			if err := tx.AppendEvent(&e); err != nil {
				return err
			}
		}
		for i, object := range []string{"cards/" + annCard, "cards/uid:04A22B1A", "grants/g1", "grants/g2", ""} {
			a := core.AuditEntry{At: t0.Add(time.Duration(i) * time.Second), Actor: "bob", ActorKind: core.ActorAccount,
				Action: "site.import", Object: object, After: []byte(`{"n":1}`)}
			if err := tx.AppendAudit(&a); err != nil {
				return err
			}
		}
		return nil
	})
}

func seqKey(seq uint64) []byte { return binary.BigEndian.AppendUint64(nil, seq) }

// timeKey mirrors the index's encoding of an instant.
func timeKey(at time.Time) []byte {
	return binary.BigEndian.AppendUint64(nil, uint64(at.UnixNano())^1<<63)
}

func TestVerifyClean(t *testing.T) {
	db := storagetest.MustOpen(t)
	r, err := db.Verify()
	if err != nil {
		t.Fatal(err)
	}
	if r.Events != 0 || r.Cards != 0 || r.Audit != 0 || len(r.Problems) != 0 {
		t.Errorf("empty: got %+v, want nothing", r)
	}
	fill(t, db)
	r, err = db.Verify()
	if err != nil {
		t.Fatal(err)
	}
	if r.Events != 5 || r.Cards != 2 || r.Audit != 5 || len(r.Problems) != 0 {
		t.Errorf("filled: got %+v, want 5 events, 2 cards, 5 audit entries, no problems", r)
	}
}

func TestVerifyFindsTampering(t *testing.T) {
	annIndexKey := mustCode(t, annCard).IndexKeys()[1]
	tests := []struct {
		name   string
		tamper func(*bolt.Tx) error
		want   []string // prefixes of the problems, in order
	}{
		{"event result changed", func(btx *bolt.Tx) error {
			b := btx.Bucket([]byte("events"))
			v := bytes.Clone(b.Get(seqKey(3)))
			i := bytes.Index(v, []byte(`"granted"`))
			v[i+1] = 'G' // one byte
			return b.Put(seqKey(3), v)
		}, []string{"event 3: hash does not match its content"}},
		{"event rehashed but not its successor", func(btx *bolt.Tx) error {
			b := btx.Bucket([]byte("events"))
			var e core.Event
			if err := jsonDecode(b.Get(seqKey(2)), &e); err != nil {
				return err
			}
			e.Result = core.DeniedNoAccess
			e.Hash = core.EventHash(e)
			return b.Put(seqKey(2), jsonEncode(e))
		}, []string{"event 3: prev_hash does not match event 2"}},
		{"event deleted", func(btx *bolt.Tx) error {
			return btx.Bucket([]byte("events")).Delete(seqKey(3))
		}, []string{
			"event 3 is missing",
			"event 4: prev_hash does not match event 2",
			"events_by_time: entry", "events_by_person: entry", "events_by_door: entry",
		}},
		{"time index entry deleted", func(btx *bolt.Tx) error {
			return btx.Bucket([]byte("events_by_time")).Delete(append(timeKey(t0.Add(time.Minute)), seqKey(2)...))
		}, []string{"event 2: missing from events_by_time"}},
		{"person index entry dangling", func(btx *bolt.Tx) error {
			return btx.Bucket([]byte("events_by_person")).Put(append([]byte("zoe\x00"), append(timeKey(t0), seqKey(99)...)...), []byte{})
		}, []string{`events_by_person: entry "zoe\x00`}},
		{"door index entry for the wrong door", func(btx *bolt.Tx) error {
			return btx.Bucket([]byte("events_by_door")).Put(append([]byte("lab\x00"), append(timeKey(t0), seqKey(1)...)...), []byte{})
		}, []string{`events_by_door: entry "lab\x00`}},
		{"card index entry deleted", func(btx *bolt.Tx) error {
			return btx.Bucket([]byte("cards_by_code")).Delete([]byte(annIndexKey + "\x00" + annCard))
		}, []string{`card "em:0102B0A5FD": missing from cards_by_code under "` + annIndexKey + `"`}},
		{"card index entry dangling", func(btx *bolt.Tx) error {
			return btx.Bucket([]byte("cards_by_code")).Put([]byte(annIndexKey+"\x00em:0702B0A5FD"), []byte{})
		}, []string{`cards_by_code: entry "` + annIndexKey + `\x00em:0702B0A5FD" points to missing card "em:0702B0A5FD"`}},
		{"card person index stale", func(btx *bolt.Tx) error {
			return btx.Bucket([]byte("cards_by_person")).Put([]byte("bob\x00"+annCard), []byte{})
		}, []string{`cards_by_person: entry "bob\x00em:0102B0A5FD": card "em:0102B0A5FD" belongs to "ann"`}},
		{"grant index entry deleted", func(btx *bolt.Tx) error {
			return btx.Bucket([]byte("grants_by_door")).Delete([]byte("lab\x00ann\x00g1"))
		}, []string{`grant "g1": missing from grants_by_door`}},
		{"grant index entry stale", func(btx *bolt.Tx) error {
			return btx.Bucket([]byte("grants_by_person")).Put([]byte("zoe\x00main\x00g2"), []byte{})
		}, []string{`grants_by_person: entry "zoe\x00main\x00g2" does not match grant "g2"`}},
		{"last hash changed", func(btx *bolt.Tx) error {
			return btx.Bucket([]byte("meta")).Put([]byte("last_hash"), []byte("beef"))
		}, []string{"meta: last_hash does not match event 5"}},
		{"audit action changed", func(btx *bolt.Tx) error {
			b := btx.Bucket([]byte("audit"))
			v := bytes.Replace(b.Get(seqKey(3)), []byte(`"site.import"`), []byte(`"site.imp0rt"`), 1)
			return b.Put(seqKey(3), v)
		}, []string{"audit entry 3: hash does not match its content"}},
		{"audit entry rehashed but not its successor", func(btx *bolt.Tx) error {
			b := btx.Bucket([]byte("audit"))
			var a core.AuditEntry
			if err := jsonDecode(b.Get(seqKey(2)), &a); err != nil {
				return err
			}
			a.Actor = "eve"
			a.Hash = core.AuditHash(a)
			return b.Put(seqKey(2), jsonEncode(a))
		}, []string{"audit entry 3: prev_hash does not match audit entry 2"}},
		{"audit entry deleted", func(btx *bolt.Tx) error {
			return btx.Bucket([]byte("audit")).Delete(seqKey(3))
		}, []string{"audit entry 3 is missing", "audit entry 4: prev_hash does not match audit entry 2"}},
		{"audit entries deleted", func(btx *bolt.Tx) error {
			b := btx.Bucket([]byte("audit"))
			if err := b.Delete(seqKey(2)); err != nil {
				return err
			}
			return b.Delete(seqKey(3))
		}, []string{"audit entries 2 to 3 are missing", "audit entry 4: prev_hash does not match audit entry 1"}},
		{"last audit entry deleted", func(btx *bolt.Tx) error {
			return btx.Bucket([]byte("audit")).Delete(seqKey(5))
		}, []string{
			"meta: audit_last_seq is 5 but the last audit entry is 4",
			"meta: audit_last_hash does not match audit entry 4",
			"audit: bucket sequence is 5 but the last audit entry is 4",
		}},
		{"audit entry not JSON", func(btx *bolt.Tx) error {
			return btx.Bucket([]byte("audit")).Put(seqKey(2), []byte("{"))
		}, []string{"audit entry 2: cannot be decoded"}},
		{"audit last hash changed", func(btx *bolt.Tx) error {
			return btx.Bucket([]byte("meta")).Put([]byte("audit_last_hash"), []byte("beef"))
		}, []string{"meta: audit_last_hash does not match audit entry 5"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			db := storagetest.MustOpen(t)
			fill(t, db)
			rawUpdate(t, db, tt.tamper)
			db = openAt(t, db.Path())
			r, err := db.Verify()
			if err != nil {
				t.Fatal(err)
			}
			if len(r.Problems) != len(tt.want) {
				t.Fatalf("got %q, want %d problems starting %q", r.Problems, len(tt.want), tt.want)
			}
			for i, want := range tt.want {
				if !strings.HasPrefix(r.Problems[i], want) {
					t.Errorf("problem %d: got %q, want it to start with %q", i, r.Problems[i], want)
				}
			}
		})
	}
}

func TestBackup(t *testing.T) {
	db := storagetest.MustOpen(t)
	fill(t, db)
	// Taps go on during the backup.
	var stop atomic.Bool
	var wg sync.WaitGroup
	wg.Go(func() {
		for i := 0; !stop.Load(); i++ {
			e := core.Event{At: t0.Add(time.Duration(i) * time.Second), Door: "main", Person: "bob", Result: core.Granted}
			if err := db.Batch(func(tx core.Tx) error { return tx.AppendEvent(&e) }); err != nil {
				t.Errorf("append during backup: %v", err)
				return
			}
		}
	})
	path := filepath.Join(t.TempDir(), "backups", "copy.db")
	err := db.Backup(path)
	stop.Store(true)
	wg.Wait()
	if err != nil {
		t.Fatalf("backup: %v", err)
	}
	if matches, _ := filepath.Glob(filepath.Join(filepath.Dir(path), ".*")); len(matches) != 0 {
		t.Errorf("got leftovers %v, want none", matches)
	}

	cp := openAt(t, path)
	r, err := cp.Verify()
	if err != nil {
		t.Fatal(err)
	}
	if r.Events < 5 || r.Cards != 2 || len(r.Problems) != 0 {
		t.Errorf("copy: got %+v, want at least 5 events, 2 cards, no problems", r)
	}
	view(t, cp, func(tx core.Tx) error {
		cards, err := tx.CardsMatching(mustCode(t, "w26:176:42493"))
		if len(cards) != 1 {
			t.Errorf("copy: got cards %v, want ann's", cardCodes(cards))
		}
		return err
	})

	// Backing up again replaces the copy.
	if err := db.Backup(path); err != nil {
		t.Errorf("second backup: %v", err)
	}
	if err := db.Backup(db.Path()); err == nil {
		t.Errorf("backup onto itself: got no error, want one")
	}
}

func TestOpenRemovesStaleVerifySnapshot(t *testing.T) {
	db := storagetest.MustOpen(t)
	stale := filepath.Join(filepath.Dir(db.Path()), "."+filepath.Base(db.Path())+".verify-123")
	if err := os.WriteFile(stale, []byte("half a snapshot"), 0o600); err != nil {
		t.Fatal(err)
	}
	db.Close()
	openAt(t, db.Path())
	if _, err := os.Stat(stale); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("got %v, want the snapshot removed", err)
	}
}

func TestVerifyDoesNotStopTaps(t *testing.T) {
	db := storagetest.MustOpen(t)
	fill(t, db)
	done := make(chan struct{})
	go func() {
		defer close(done)
		if _, err := db.Verify(); err != nil {
			t.Errorf("verify: %v", err)
		}
	}()
	e := core.Event{At: t0, Door: "main", Result: core.DeniedUnknownCard}
	if err := db.Batch(func(tx core.Tx) error { return tx.AppendEvent(&e) }); err != nil {
		t.Errorf("append during verify: %v", err)
	}
	<-done
}

func TestVerifyClosed(t *testing.T) {
	db := storagetest.MustOpen(t)
	db.Close()
	if _, err := db.Verify(); err == nil {
		t.Errorf("got no error, want one")
	}
	if err := db.View(func(core.Tx) error { return nil }); !errors.Is(err, berrors.ErrDatabaseNotOpen) {
		t.Errorf("view: got %v, want %v", err, berrors.ErrDatabaseNotOpen)
	}
}
