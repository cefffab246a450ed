package storage_test

import (
	"encoding/binary"
	"errors"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
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
	if want := uint64(6); got != want {
		t.Errorf("schema: got %v, want %v", got, want)
	}

	// Reopening a current file changes nothing.
	db = openAt(t, db.Path())
	rawUpdate(t, db, func(btx *bolt.Tx) error {
		return btx.Bucket([]byte("meta")).Put([]byte("schema"), binary.BigEndian.AppendUint64(nil, 7))
	})
	_, err := storage.Open(db.Path(), storage.Options{})
	if !errors.Is(err, storage.ErrNewerSchema) {
		t.Fatalf("got %v, want an error matching %v", err, storage.ErrNewerSchema)
	}
	if !strings.Contains(err.Error(), "schema 7") {
		t.Errorf("got %q, want it to name schema 7", err)
	}
}

// roles returns the stored roles by id.
func roles(t testing.TB, db *storage.DB) map[string]core.Role {
	t.Helper()
	out := map[string]core.Role{}
	view(t, db, func(tx core.Tx) error {
		return tx.List(core.KindRole, func(id string, decode func(any) error) error {
			var r core.Role
			if err := decode(&r); err != nil {
				return err
			}
			out[id] = r
			return nil
		})
	})
	return out
}

func TestNewDatabaseHasBuiltinRoles(t *testing.T) {
	db := storagetest.MustOpen(t)
	got := roles(t, db)
	builtin := core.BuiltinRoles()
	if len(got) != len(builtin) || len(builtin) != 4 {
		t.Errorf("got roles %v, want the 4 built-in ones", slices.Sorted(maps.Keys(got)))
	}
	for _, want := range builtin {
		if g, w := jsonOf(t, got[want.ID]), jsonOf(t, want); g != w {
			t.Errorf("role %s: got %v, want %v", want.ID, g, w)
		}
	}
	view(t, db, func(tx core.Tx) error {
		n, err := tx.Count(core.KindAccount)
		if n != 0 {
			t.Errorf("accounts: got %d, want none", n)
		}
		return err
	})

	// The seeding runs once: a built-in role deleted stays deleted.
	update(t, db, func(tx core.Tx) error { return tx.Delete(core.KindRole, core.RoleBoss) })
	db.Close()
	db = openAt(t, db.Path())
	if _, ok := roles(t, db)[core.RoleBoss]; ok {
		t.Errorf("got role %s back after reopening, want it to stay deleted", core.RoleBoss)
	}
	assertClean(t, db)
}

// v1Buckets are the buckets of schema 1.
var v1Buckets = []string{"meta", "zones", "schedules", "holidays", "shifts", "doors", "devices",
	"access_levels", "departments", "people", "cards", "grants",
	"cards_by_code", "cards_by_person", "grants_by_person", "grants_by_door",
	"events", "events_by_time", "events_by_person", "events_by_door",
	"presence", "last_decision"}

// writeV1 writes a schema-1 database at path, as the first Frontdesk left
// it: ann and one event of hers, no roles, accounts or audit trail. extra,
// if not nil, changes it further.
func writeV1(t testing.TB, path string, extra func(*bolt.Tx) error) {
	t.Helper()
	bdb, err := bolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer bdb.Close()
	err = bdb.Update(func(btx *bolt.Tx) error {
		for _, name := range v1Buckets {
			if _, err := btx.CreateBucket([]byte(name)); err != nil {
				return err
			}
		}
		meta := btx.Bucket([]byte("meta"))
		if err := meta.Put([]byte("schema"), seqKey(1)); err != nil {
			return err
		}
		if err := btx.Bucket([]byte("people")).Put([]byte("ann"), jsonEncode(core.Person{ID: "ann", Name: "Ann"})); err != nil {
			return err
		}
		e := core.Event{Seq: 1, At: t0, Door: "main", Person: "ann", Result: core.Granted}
		e.Hash = core.EventHash(e)
		events := btx.Bucket([]byte("events"))
		if err := events.SetSequence(1); err != nil {
			return err
		}
		tk := append(timeKey(t0), seqKey(1)...)
		for _, kv := range []struct{ bucket, key, value []byte }{
			{[]byte("events"), seqKey(1), jsonEncode(e)},
			{[]byte("events_by_time"), tk, []byte{}},
			{[]byte("events_by_person"), append([]byte("ann\x00"), tk...), []byte{}},
			{[]byte("events_by_door"), append([]byte("main\x00"), tk...), []byte{}},
			{[]byte("meta"), []byte("last_seq"), seqKey(1)},
			{[]byte("meta"), []byte("last_hash"), []byte(e.Hash)},
		} {
			if err := btx.Bucket(kv.bucket).Put(kv.key, kv.value); err != nil {
				return err
			}
		}
		if extra != nil {
			return extra(btx)
		}
		return nil
	})
	if err != nil {
		t.Fatalf("write schema 1 file: %v", err)
	}
}

func TestMigrateFromSchema1(t *testing.T) {
	t.Run("no roles", func(t *testing.T) {
		path := tempPath(t)
		writeV1(t, path, nil)
		db := openAt(t, path)
		var schema uint64
		rawUpdate(t, db, func(btx *bolt.Tx) error {
			schema = binary.BigEndian.Uint64(btx.Bucket([]byte("meta")).Get([]byte("schema")))
			return nil
		})
		if schema != 6 {
			t.Errorf("schema: got %d, want 6", schema)
		}
		db = openAt(t, path)
		got := roles(t, db)
		for _, want := range core.BuiltinRoles() {
			if g, w := jsonOf(t, got[want.ID]), jsonOf(t, want); g != w {
				t.Errorf("role %s: got %v, want %v", want.ID, g, w)
			}
		}
		// What the file held is still there, and the new parts work.
		update(t, db, func(tx core.Tx) error {
			var ann core.Person
			if err := tx.Get(core.KindPerson, "ann", &ann); err != nil {
				return err
			}
			e := core.Event{At: t0.Add(time.Minute), Door: "main", Person: "ann", Result: core.Granted}
			if err := tx.AppendEvent(&e); err != nil {
				return err
			}
			if e.Seq != 2 {
				t.Errorf("event seq: got %d, want 2", e.Seq)
			}
			a := auditEntry(t0, "account.add")
			if err := tx.AppendAudit(&a); err != nil {
				return err
			}
			if a.Seq != 1 || a.PrevHash != "" {
				t.Errorf("first audit entry: got seq %d, prev hash %q, want 1 and none", a.Seq, a.PrevHash)
			}
			return tx.Put(core.KindAccount, "bob", core.Account{Username: "bob", Roles: []string{core.RoleAdmin}})
		})
		r, err := db.Verify()
		if err != nil {
			t.Fatal(err)
		}
		if r.Events != 2 || r.Audit != 1 || len(r.Problems) != 0 {
			t.Errorf("verify: got %+v, want 2 events, 1 audit entry, no problems", r)
		}
	})

	t.Run("roles already there", func(t *testing.T) {
		path := tempPath(t)
		custom := core.Role{ID: "guard", Name: "Guard", Permissions: []core.Permission{core.PermDoorsOpen}}
		edited := core.Role{ID: core.RoleAdmin, Name: "Owner", Permissions: []core.Permission{core.PermRolesEdit}}
		writeV1(t, path, func(btx *bolt.Tx) error {
			b, err := btx.CreateBucket([]byte("roles"))
			if err != nil {
				return err
			}
			if err := b.Put([]byte(custom.ID), jsonEncode(custom)); err != nil {
				return err
			}
			return b.Put([]byte(edited.ID), jsonEncode(edited))
		})
		db := openAt(t, path)
		got := roles(t, db)
		want := map[string]core.Role{custom.ID: custom, edited.ID: edited}
		for _, r := range core.BuiltinRoles() {
			if r.ID != core.RoleAdmin {
				want[r.ID] = r
			}
		}
		if g, w := jsonOf(t, got), jsonOf(t, want); g != w {
			t.Errorf("got %v, want %v", g, w)
		}
		assertClean(t, db)
	})
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

// TestMigrateWidensReceptionist: schema 5 gives the built-in receptionist
// the feed, the devices and "Open now" when its role is as it was built
// in (in any order); a role edited on purpose, and the other roles, stay.
func TestMigrateWidensReceptionist(t *testing.T) {
	before := core.ReceptionistPermissionsBefore5()
	shuffled := slices.Clone(before)
	slices.Reverse(shuffled)
	edited := append(slices.Clone(before), core.PermReportsPrint)
	for _, tc := range []struct {
		name  string
		perms []core.Permission
		want  []core.Permission
	}{
		{"as built in", before, core.ReceptionistPermissions()},
		{"as built in, another order", shuffled, core.ReceptionistPermissions()},
		{"edited", edited, edited},
		{"narrowed", before[:2], before[:2]},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := tempPath(t)
			writeV1(t, path, nil)
			db := openAt(t, path)
			rawUpdate(t, db, func(btx *bolt.Tx) error {
				r := core.Role{ID: core.RoleReceptionist, Name: "Receptionist", Permissions: tc.perms}
				if err := btx.Bucket([]byte("roles")).Put([]byte(r.ID), jsonEncode(r)); err != nil {
					return err
				}
				return btx.Bucket([]byte("meta")).Put([]byte("schema"), binary.BigEndian.AppendUint64(nil, 4))
			})
			db = openAt(t, path)
			got := roles(t, db)
			if g := got[core.RoleReceptionist].Permissions; !slices.Equal(g, tc.want) {
				t.Errorf("receptionist: got %v, want %v", g, tc.want)
			}
			if g, w := jsonOf(t, got[core.RoleBoss]), jsonOf(t, core.BuiltinRoles()[2]); g != w {
				t.Errorf("boss changed: %v, want %v", g, w)
			}
		})
	}
}

// TestMigrateAddsTimeBank: schema 6 adds the bucket of time bank
// corrections to a file of schema 5, whose objects stay as they were.
func TestMigrateAddsTimeBank(t *testing.T) {
	db := storagetest.MustOpen(t)
	path := db.Path()
	if err := db.Update(func(tx core.Tx) error {
		return tx.Put(core.KindPerson, "ann", core.Person{ID: "ann", Name: "Ann"})
	}); err != nil {
		t.Fatal(err)
	}
	db.Close()
	db = openAt(t, path)
	rawUpdate(t, db, func(btx *bolt.Tx) error {
		if err := btx.DeleteBucket([]byte(core.KindBalance)); err != nil {
			return err
		}
		return btx.Bucket([]byte("meta")).Put([]byte("schema"), binary.BigEndian.AppendUint64(nil, 5))
	})
	db = openAt(t, path)
	adj := core.BalanceAdjustment{ID: "b1", Person: "ann", Date: core.Date{Year: 2026, Month: 11, Day: 30}, Minutes: -120, Reason: "paid out"}
	err := db.Update(func(tx core.Tx) error { return tx.Put(core.KindBalance, adj.ID, adj) })
	if err != nil {
		t.Fatalf("store a correction after the migration: %v", err)
	}
	err = db.View(func(tx core.Tx) error {
		var p core.Person
		if err := tx.Get(core.KindPerson, "ann", &p); err != nil || p.Name != "Ann" {
			t.Errorf("ann after the migration: %+v, %v", p, err)
		}
		var got core.BalanceAdjustment
		if err := tx.Get(core.KindBalance, "b1", &got); err != nil || got.Minutes != -120 {
			t.Errorf("b1: %+v, %v", got, err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestWritesDoNotWaitForLongReads: a commit that makes the file outgrow
// what bbolt has mapped maps it anew, which waits for every read in
// progress; a report that reads for minutes would hold every tap's
// commit (and the door) that long. Megabytes are written here while a
// read stays open, and must be committed all the same.
func TestWritesDoNotWaitForLongReads(t *testing.T) {
	db := storagetest.MustOpen(t)
	reading, release := make(chan struct{}), make(chan struct{})
	readDone := make(chan error, 1)
	go func() {
		readDone <- db.View(func(core.Tx) error {
			close(reading)
			<-release
			return nil
		})
	}()
	<-reading
	defer func() {
		close(release)
		if err := <-readDone; err != nil {
			t.Error(err)
		}
	}()
	written := make(chan error, 1)
	go func() {
		big := strings.Repeat("x", 256<<10)
		for i := range 48 { // 12 MiB: several times what a new file maps
			if err := db.Update(func(tx core.Tx) error {
				return tx.Put(core.KindDepartment, fmt.Sprintf("d%02d", i), core.Department{ID: fmt.Sprintf("d%02d", i), Name: big})
			}); err != nil {
				written <- err
				return
			}
		}
		written <- nil
	}()
	select {
	case err := <-written:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("the writes waited for a read in progress")
	}
}
