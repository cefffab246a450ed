package storage_test

import (
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"frontdesk/core"
	"frontdesk/storage"
	"frontdesk/storage/storagetest"
)

func TestOpenCreatesFolder(t *testing.T) {
	path := filepath.Join(t.TempDir(), "a", "b", "frontdesk.db")
	db := openAt(t, path)
	if got, want := db.Path(), path; got != want {
		t.Errorf("got %v, want %v", got, want)
	}
	if _, err := os.Stat(path); err != nil {
		t.Errorf("got %v, want the file to exist", err)
	}
}

func TestOpenTwiceIsInUse(t *testing.T) {
	db := storagetest.MustOpen(t)
	const timeout = 200 * time.Millisecond
	start := time.Now()
	second, err := storage.Open(db.Path(), storage.Options{Timeout: timeout})
	elapsed := time.Since(start)
	if err == nil {
		second.Close()
		t.Fatalf("got no error, want %v", storage.ErrInUse)
	}
	if !errors.Is(err, storage.ErrInUse) {
		t.Errorf("got %v, want an error matching %v", err, storage.ErrInUse)
	}
	if got, want := err.Error(), fmt.Sprintf("database %s is already open by another Frontdesk", db.Path()); got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	if elapsed > timeout+time.Second {
		t.Errorf("got an answer after %v, want it within %v", elapsed, timeout)
	}
	// The first one still works.
	update(t, db, func(tx core.Tx) error { return tx.PutSite(core.Site{Name: "HQ"}) })
}

func TestCloseTwice(t *testing.T) {
	db := openAt(t, tempPath(t))
	for i := range 2 {
		if err := db.Close(); err != nil {
			t.Errorf("close %d: got %v, want nil", i+1, err)
		}
	}
}

func TestSchemaVersion(t *testing.T) {
	db := storagetest.MustOpen(t)
	var got uint64
	rawUpdate(t, db, func(btx *bolt.Tx) error {
		got = binary.BigEndian.Uint64(btx.Bucket([]byte("meta")).Get([]byte("schema")))
		return nil
	})
	if want := uint64(1); got != want {
		t.Errorf("schema: got %v, want %v", got, want)
	}

	// Reopening a current file changes nothing.
	db = openAt(t, db.Path())
	rawUpdate(t, db, func(btx *bolt.Tx) error {
		return btx.Bucket([]byte("meta")).Put([]byte("schema"), binary.BigEndian.AppendUint64(nil, 2))
	})
	_, err := storage.Open(db.Path(), storage.Options{})
	if !errors.Is(err, storage.ErrNewerSchema) {
		t.Fatalf("got %v, want an error matching %v", err, storage.ErrNewerSchema)
	}
	if !strings.Contains(err.Error(), "schema 2") {
		t.Errorf("got %q, want it to name schema 2", err)
	}
}

func TestOpenRefusesForeignFile(t *testing.T) {
	path := tempPath(t)
	bdb, err := bolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := bdb.Update(func(btx *bolt.Tx) error {
		_, err := btx.CreateBucket([]byte("someone-else"))
		return err
	}); err != nil {
		t.Fatal(err)
	}
	bdb.Close()
	if _, err := storage.Open(path, storage.Options{}); err == nil || !strings.Contains(err.Error(), "not a Frontdesk database") {
		t.Errorf("got %v, want a \"not a Frontdesk database\" error", err)
	}
}

func TestReopenKeepsEverything(t *testing.T) {
	path := tempPath(t)
	db := openAt(t, path)
	at := time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC)
	var lastHash string
	update(t, db, func(tx core.Tx) error {
		if err := tx.PutSite(core.Site{Name: "HQ", Timezone: "Europe/Paris"}); err != nil {
			return err
		}
		if err := tx.Put(core.KindPerson, "ann", core.Person{ID: "ann", Name: "Ann"}); err != nil {
			return err
		}
		if err := tx.Put(core.KindCard, "em:0102B0A5FD", core.Card{Code: "em:0102B0A5FD", Person: "ann", State: core.CardActive}); err != nil {
			return err
		}
		for i := range 3 {
			e := core.Event{At: at.Add(time.Duration(i) * time.Minute), Person: "ann", Door: "main", Result: core.Granted}
			if err := tx.AppendEvent(&e); err != nil {
				return err
			}
			lastHash = e.Hash
		}
		return tx.PutPresence(core.Presence{Person: "ann", Zone: "office", Since: at, Seq: 3})
	})
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}

	db = openAt(t, path)
	update(t, db, func(tx core.Tx) error {
		site, err := tx.Site()
		if err != nil {
			return err
		}
		if got, want := site.Name, "HQ"; got != want {
			t.Errorf("site name: got %v, want %v", got, want)
		}
		cards, err := tx.CardsMatching(mustCode(t, "dec:0045131261"))
		if err != nil {
			return err
		}
		if got, want := len(cards), 1; got != want {
			t.Errorf("cards: got %v, want %v", got, want)
		}
		p, err := tx.Presence("ann")
		if err != nil {
			return err
		}
		if got, want := p.Zone, "office"; got != want {
			t.Errorf("presence: got %v, want %v", got, want)
		}
		e := core.Event{At: at.Add(time.Hour), Person: "ann", Door: "main", Result: core.Granted}
		if err := tx.AppendEvent(&e); err != nil {
			return err
		}
		if got, want := e.Seq, uint64(4); got != want {
			t.Errorf("seq after reopen: got %v, want %v", got, want)
		}
		if got, want := e.PrevHash, lastHash; got != want {
			t.Errorf("prev hash after reopen: got %v, want %v", got, want)
		}
		return nil
	})
	r, err := db.Verify()
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Problems) != 0 || r.Events != 4 || r.Cards != 1 {
		t.Errorf("verify: got %+v, want 4 events, 1 card, no problems", r)
	}
}
