package storage_test

import (
	"encoding/json"
	"errors"
	"slices"
	"sync"
	"testing"
	"time"

	"frontdesk/core"
	"frontdesk/storage/storagetest"
)

// auditEntry is a grant change by bob at at.
func auditEntry(at time.Time, action string) core.AuditEntry {
	return core.AuditEntry{At: at, Actor: "bob", ActorKind: core.ActorAccount, Action: action,
		Object: "grants/g1", After: json.RawMessage(`{"id":"g1","person":"ann","door":"lab"}`)}
}

func TestAuditChain(t *testing.T) {
	db := storagetest.MustOpen(t)
	paris, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		t.Fatal(err)
	}
	var got []core.AuditEntry
	for i := range 3 {
		e := auditEntry(t0.In(paris).Add(time.Duration(i)*time.Minute), "grant.add")
		update(t, db, func(tx core.Tx) error { return tx.AppendAudit(&e) })
		got = append(got, e)
	}
	prev := ""
	for i, e := range got {
		if e.Seq != uint64(i+1) {
			t.Errorf("entry %d: seq: got %v, want %v", i, e.Seq, i+1)
		}
		if e.PrevHash != prev {
			t.Errorf("entry %d: prev hash: got %v, want %v", i, e.PrevHash, prev)
		}
		if h := core.AuditHash(e); e.Hash != h {
			t.Errorf("entry %d: hash: got %v, want %v", i, e.Hash, h)
		}
		if e.At.Location() != time.UTC {
			t.Errorf("entry %d: at: got %v, want UTC", i, e.At.Location())
		}
		prev = e.Hash
	}
	var stored []core.AuditEntry
	view(t, db, func(tx core.Tx) error {
		return tx.Audit(core.AuditQuery{}, func(e core.AuditEntry) error {
			stored = append(stored, e)
			return nil
		})
	})
	if g, w := jsonOf(t, stored), jsonOf(t, got); g != w {
		t.Errorf("stored: got %v, want %v", g, w)
	}
	r, err := db.Verify()
	if err != nil {
		t.Fatal(err)
	}
	if r.Audit != 3 || len(r.Problems) != 0 {
		t.Errorf("verify: got %+v, want 3 audit entries, no problems", r)
	}
}

// The hash covers what is stored: JSON that encoding rewrites (spaces,
// HTML characters) and invalid UTF-8 must not look tampered with.
func TestAuditHashesWhatIsStored(t *testing.T) {
	db := storagetest.MustOpen(t)
	e := core.AuditEntry{At: t0, Actor: "bo\xffb", ActorKind: core.ActorAccount, Action: "door.edit",
		Object: "doors/main", Before: json.RawMessage("{\n  \"name\": \"<Main> & co\"\n}"),
		After: json.RawMessage(`{ "name" : "Main" }`)}
	update(t, db, func(tx core.Tx) error { return tx.AppendAudit(&e) })
	if h := core.AuditHash(e); e.Hash != h {
		t.Errorf("hash: got %v, want %v", e.Hash, h)
	}
	if got, want := string(e.After), `{"name":"Main"}`; got != want {
		t.Errorf("after: got %s, want %s", got, want)
	}
	view(t, db, func(tx core.Tx) error {
		return tx.Audit(core.AuditQuery{}, func(s core.AuditEntry) error {
			if g, w := jsonOf(t, s), jsonOf(t, e); g != w {
				t.Errorf("stored: got %v, want %v", g, w)
			}
			return nil
		})
	})
	assertClean(t, db)
}

func TestAuditQuery(t *testing.T) {
	db := storagetest.MustOpen(t)
	// Appended out of time order: the clock may be set back.
	update(t, db, func(tx core.Tx) error {
		for _, at := range []time.Time{
			t0.Add(2 * time.Hour), // 1
			t0,                    // 2
			t0.Add(time.Hour),     // 3
			t0.Add(time.Hour),     // 4: same instant as 3
			t0.Add(3 * time.Hour), // 5
		} {
			e := auditEntry(at, "grant.add")
			if err := tx.AppendAudit(&e); err != nil {
				return err
			}
		}
		return nil
	})
	tests := []struct {
		name string
		q    core.AuditQuery
		want []uint64
	}{
		{"all", core.AuditQuery{}, []uint64{1, 2, 3, 4, 5}},
		{"from", core.AuditQuery{From: t0.Add(time.Hour)}, []uint64{1, 3, 4, 5}},
		{"to excluded", core.AuditQuery{To: t0.Add(time.Hour)}, []uint64{2}},
		{"from to", core.AuditQuery{From: t0.Add(time.Hour), To: t0.Add(3 * time.Hour)}, []uint64{1, 3, 4}},
		{"empty range", core.AuditQuery{From: t0, To: t0}, nil},
		{"other zone", core.AuditQuery{From: t0.In(time.FixedZone("UTC+1", 3600)).Add(time.Hour)}, []uint64{1, 3, 4, 5}},
		{"limit", core.AuditQuery{Limit: 2}, []uint64{1, 2}},
		{"limit after filter", core.AuditQuery{From: t0.Add(time.Hour), Limit: 2}, []uint64{1, 3}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []uint64
			view(t, db, func(tx core.Tx) error {
				return tx.Audit(tt.q, func(e core.AuditEntry) error {
					got = append(got, e.Seq)
					return nil
				})
			})
			if !slices.Equal(got, tt.want) {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
	t.Run("callback error", func(t *testing.T) {
		stop := errors.New("stop")
		n := 0
		err := db.View(func(tx core.Tx) error {
			return tx.Audit(core.AuditQuery{}, func(core.AuditEntry) error {
				n++
				return stop
			})
		})
		if !errors.Is(err, stop) || n != 1 {
			t.Errorf("got %v after %d entries, want %v after 1", err, n, stop)
		}
	})
}

// The engine appends the entry in the Update that makes the change, next
// to index writes that are held until the end of the transaction.
func TestAuditInsideUpdate(t *testing.T) {
	db := storagetest.MustOpen(t)
	update(t, db, func(tx core.Tx) error {
		g := core.Grant{ID: "g1", Person: "ann", Door: "lab", Kind: core.GrantPermanent}
		if err := tx.Put(core.KindGrant, g.ID, g); err != nil {
			return err
		}
		after, ok, err := tx.Raw(core.KindGrant, g.ID)
		if err != nil || !ok {
			t.Fatalf("raw: got %v %v, want the grant", ok, err)
		}
		e := core.AuditEntry{At: t0, Actor: "bob", Action: "grant.add", Object: "grants/g1", After: after}
		if err := tx.AppendAudit(&e); err != nil {
			return err
		}
		n := 0
		if err := tx.Audit(core.AuditQuery{}, func(core.AuditEntry) error { n++; return nil }); err != nil {
			return err
		}
		if n != 1 {
			t.Errorf("entries seen in the transaction: got %d, want 1", n)
		}
		return nil
	})

	// A failed Update leaves no entry behind.
	refused := errors.New("refused")
	err := db.Update(func(tx core.Tx) error {
		e := auditEntry(t0, "grant.delete")
		if err := tx.AppendAudit(&e); err != nil {
			return err
		}
		return refused
	})
	if !errors.Is(err, refused) {
		t.Fatalf("got %v, want %v", err, refused)
	}
	update(t, db, func(tx core.Tx) error {
		e := auditEntry(t0, "grant.delete")
		if err := tx.AppendAudit(&e); err != nil {
			return err
		}
		if e.Seq != 2 {
			t.Errorf("seq after a rollback: got %d, want 2", e.Seq)
		}
		return nil
	})
	assertClean(t, db)
}

func TestAuditBatchConcurrent(t *testing.T) {
	db := storagetest.MustOpen(t)
	const writers, each = 8, 10
	var wg sync.WaitGroup
	errs := make(chan error, writers*each)
	for range writers {
		wg.Go(func() {
			for i := range each {
				errs <- db.Batch(func(tx core.Tx) error {
					e := auditEntry(t0.Add(time.Duration(i)*time.Second), "login.failed")
					return tx.AppendAudit(&e)
				})
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatalf("batch: %v", err)
		}
	}
	r, err := db.Verify()
	if err != nil {
		t.Fatal(err)
	}
	if r.Audit != writers*each || len(r.Problems) != 0 {
		t.Errorf("got %d entries and %v, want %d entries and no problems", r.Audit, r.Problems, writers*each)
	}
}

func TestAppendAuditRejects(t *testing.T) {
	tests := []struct {
		name string
		e    *core.AuditEntry
		want error // nil: any error
	}{
		{"nil", nil, core.ErrInvalid},
		{"zero time", &core.AuditEntry{Actor: "bob", Action: "grant.add"}, core.ErrInvalid},
		{"year 3000", &core.AuditEntry{At: time.Date(3000, 1, 1, 0, 0, 0, 0, time.UTC), Action: "grant.add"}, core.ErrInvalid},
		{"before not JSON", &core.AuditEntry{At: t0, Action: "grant.add", Before: json.RawMessage("{")}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			db := storagetest.MustOpen(t)
			err := db.Update(func(tx core.Tx) error { return tx.AppendAudit(tt.e) })
			if err == nil || tt.want != nil && !errors.Is(err, tt.want) {
				t.Errorf("got %v, want an error matching %v", err, tt.want)
			}
			assertClean(t, db)
		})
	}
	t.Run("read-only", func(t *testing.T) {
		db := storagetest.MustOpen(t)
		e := auditEntry(t0, "grant.add")
		if err := db.View(func(tx core.Tx) error { return tx.AppendAudit(&e) }); err == nil {
			t.Errorf("got no error, want one")
		}
	})
}
