package storage_test

import (
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"frontdesk/core"
	"frontdesk/storage/storagetest"
)

func TestObjects(t *testing.T) {
	christmas, err := core.ParseDate("2026-12-25")
	if err != nil {
		t.Fatal(err)
	}
	window, err := core.ParseWindow("09:00-17:30")
	if err != nil {
		t.Fatal(err)
	}
	var week core.Week
	week[time.Monday] = []core.Window{window}
	until := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)

	tests := []struct {
		kind  core.Kind
		id    string
		v     any
		fresh func() any // a pointer to decode into
	}{
		{core.KindZone, "office", core.Zone{ID: "office", Name: "Office", Work: true}, func() any { return new(core.Zone) }},
		{core.KindDoor, "main", core.Door{ID: "main", Name: "Main", From: "outside", To: "office", Owners: []string{"bob"}, Mode: core.DoorNormal}, func() any { return new(core.Door) }},
		{core.KindDevice, "main-in", core.Device{ID: "main-in", Kind: "sim", Door: "main", Direction: core.In}, func() any { return new(core.Device) }},
		{core.KindSchedule, "office-hours", core.Schedule{ID: "office-hours", Name: "Office hours", Holidays: core.HolidaysClosed, Week: week}, func() any { return new(core.Schedule) }},
		{core.KindHoliday, "2026-12-25", core.Holiday{Date: christmas, Name: "Christmas"}, func() any { return new(core.Holiday) }},
		{core.KindShift, "day", core.Shift{ID: "day", Name: "Day", Week: week}, func() any { return new(core.Shift) }},
		{core.KindAccessLevel, "staff", core.AccessLevel{ID: "staff", Name: "Staff", Rules: []core.Rule{{Doors: []string{"main"}, Schedule: "office-hours"}}}, func() any { return new(core.AccessLevel) }},
		{core.KindDepartment, "sales", core.Department{ID: "sales", Name: "Sales", AccessLevel: "staff", Shift: "day"}, func() any { return new(core.Department) }},
		{core.KindPerson, "ann", core.Person{ID: "ann", Name: "Ann Martin", Phone: "+33 6 12 34 56 78", Department: "sales", PhoneCheckin: new(true)}, func() any { return new(core.Person) }},
		{core.KindCard, "em:0102B0A5FD", core.Card{Code: "em:0102B0A5FD", Person: "ann", State: core.CardActive, Until: until}, func() any { return new(core.Card) }},
		{core.KindGrant, "g1", core.Grant{ID: "g1", Person: "ann", Door: "lab", Kind: core.GrantOnce, Uses: 3, Until: until, By: "bob"}, func() any { return new(core.Grant) }},
		// Roles are left out: a new database holds the built-in ones.
		{core.KindAccount, "bob", core.Account{Username: "bob", Person: "bob", Roles: []string{core.RoleBoss}, PasswordHash: "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA", LockedUntil: until}, func() any { return new(core.Account) }},
	}
	for _, tt := range tests {
		t.Run(string(tt.kind), func(t *testing.T) {
			db := storagetest.MustOpen(t)
			update(t, db, func(tx core.Tx) error { return tx.Put(tt.kind, tt.id, tt.v) })
			view(t, db, func(tx core.Tx) error {
				got := tt.fresh()
				if err := tx.Get(tt.kind, tt.id, got); err != nil {
					return err
				}
				if g, w := jsonOf(t, got), jsonOf(t, tt.v); g != w {
					t.Errorf("get: got %v, want %v", g, w)
				}
				var ids []string
				if err := tx.List(tt.kind, func(id string, decode func(any) error) error {
					ids = append(ids, id)
					return decode(tt.fresh())
				}); err != nil {
					return err
				}
				if got, want := ids, []string{tt.id}; !slices.Equal(got, want) {
					t.Errorf("list: got %v, want %v", got, want)
				}
				n, err := tx.Count(tt.kind)
				if err != nil {
					return err
				}
				if got, want := n, 1; got != want {
					t.Errorf("count: got %v, want %v", got, want)
				}
				return nil
			})
			update(t, db, func(tx core.Tx) error { return tx.Delete(tt.kind, tt.id) })
			view(t, db, func(tx core.Tx) error {
				if err := tx.Get(tt.kind, tt.id, tt.fresh()); !errors.Is(err, core.ErrNotFound) {
					t.Errorf("get after delete: got %v, want %v", err, core.ErrNotFound)
				}
				if n, _ := tx.Count(tt.kind); n != 0 {
					t.Errorf("count after delete: got %v, want %v", n, 0)
				}
				return nil
			})
			err := db.Update(func(tx core.Tx) error { return tx.Delete(tt.kind, tt.id) })
			if !errors.Is(err, core.ErrNotFound) {
				t.Errorf("delete twice: got %v, want %v", err, core.ErrNotFound)
			}
			assertClean(t, db)
		})
	}
}

func TestGetNotFoundNamesObject(t *testing.T) {
	db := storagetest.MustOpen(t)
	err := db.View(func(tx core.Tx) error { return tx.Get(core.KindPerson, "ann", new(core.Person)) })
	if !errors.Is(err, core.ErrNotFound) {
		t.Fatalf("got %v, want %v", err, core.ErrNotFound)
	}
	if got, want := err.Error(), `not found: no people "ann"`; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestPutRejects(t *testing.T) {
	tests := []struct {
		name string
		kind core.Kind
		id   string
		v    any
	}{
		{"wrong type", core.KindDoor, "main", core.Zone{ID: "main"}},
		{"role of the wrong type", core.KindRole, "guard", core.Zone{ID: "guard"}},
		{"account of the wrong type", core.KindAccount, "bob", core.Person{ID: "bob"}},
		{"nil", core.KindDoor, "main", nil},
		{"unknown kind", core.Kind("unicorns"), "x", core.Zone{}},
		{"empty id", core.KindZone, "", core.Zone{}},
		{"card under another id", core.KindCard, "em:0102B0A5FE", core.Card{Code: "em:0102B0A5FD"}},
		{"card code not canonical", core.KindCard, "em:0102b0a5fd", core.Card{Code: "em:0102b0a5fd"}},
		{"card code bad", core.KindCard, "em:01", core.Card{Code: "em:01"}},
		{"grant under another id", core.KindGrant, "g1", core.Grant{ID: "g2", Person: "ann", Door: "main"}},
		{"grant without door", core.KindGrant, "g1", core.Grant{ID: "g1", Person: "ann"}},
		{"grant person with NUL", core.KindGrant, "g1", core.Grant{ID: "g1", Person: "a\x00b", Door: "main"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			db := storagetest.MustOpen(t)
			err := db.Update(func(tx core.Tx) error { return tx.Put(tt.kind, tt.id, tt.v) })
			if !errors.Is(err, core.ErrInvalid) {
				t.Errorf("got %v, want %v", err, core.ErrInvalid)
			}
		})
	}
}

func TestPutAcceptsPointer(t *testing.T) {
	db := storagetest.MustOpen(t)
	update(t, db, func(tx core.Tx) error { return tx.Put(core.KindZone, "office", &core.Zone{ID: "office"}) })
	view(t, db, func(tx core.Tx) error {
		var z core.Zone
		if err := tx.Get(core.KindZone, "office", &z); err != nil {
			return err
		}
		if got, want := z.ID, "office"; got != want {
			t.Errorf("got %v, want %v", got, want)
		}
		return nil
	})
}

func TestListStopsOnError(t *testing.T) {
	db := storagetest.MustOpen(t)
	put(t, db, core.KindZone, map[string]any{"a": core.Zone{ID: "a"}, "b": core.Zone{ID: "b"}, "c": core.Zone{ID: "c"}})
	stop := errors.New("stop")
	var seen []string
	err := db.View(func(tx core.Tx) error {
		return tx.List(core.KindZone, func(id string, _ func(any) error) error {
			seen = append(seen, id)
			if id == "b" {
				return stop
			}
			return nil
		})
	})
	if !errors.Is(err, stop) {
		t.Errorf("got %v, want %v", err, stop)
	}
	if got, want := seen, []string{"a", "b"}; !slices.Equal(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}
}

func TestCountInsideUpdate(t *testing.T) {
	db := storagetest.MustOpen(t)
	put(t, db, core.KindZone, map[string]any{"a": core.Zone{ID: "a"}})
	update(t, db, func(tx core.Tx) error {
		if err := tx.Put(core.KindZone, "b", core.Zone{ID: "b"}); err != nil {
			return err
		}
		n, err := tx.Count(core.KindZone)
		if got, want := n, 2; got != want {
			t.Errorf("got %v, want %v", got, want)
		}
		return err
	})
}

func TestWriteInViewFails(t *testing.T) {
	db := storagetest.MustOpen(t)
	err := db.View(func(tx core.Tx) error { return tx.Put(core.KindZone, "a", core.Zone{ID: "a"}) })
	if err == nil {
		t.Errorf("got no error, want one")
	}
}

func TestNextID(t *testing.T) {
	db := storagetest.MustOpen(t)
	// An import took g2: NextID skips it.
	put(t, db, core.KindGrant, map[string]any{"g2": core.Grant{ID: "g2", Person: "ann", Door: "main", Kind: core.GrantPermanent}})
	var got []string
	for range 3 {
		update(t, db, func(tx core.Tx) error {
			id, err := tx.NextID(core.KindGrant)
			if err != nil {
				return err
			}
			got = append(got, id)
			return tx.Put(core.KindGrant, id, core.Grant{ID: id, Person: "ann", Door: "main", Kind: core.GrantPermanent})
		})
	}
	// A rolled-back NextID gives its id again.
	_ = db.Update(func(tx core.Tx) error {
		_, _ = tx.NextID(core.KindGrant)
		return errors.New("roll back")
	})
	update(t, db, func(tx core.Tx) error {
		id, err := tx.NextID(core.KindGrant)
		got = append(got, id)
		return err
	})
	update(t, db, func(tx core.Tx) error {
		id, err := tx.NextID(core.KindPerson)
		got = append(got, id)
		return err
	})
	if want := []string{"g1", "g3", "g4", "g5", "p1"}; !slices.Equal(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}
}

func TestSite(t *testing.T) {
	db := storagetest.MustOpen(t)
	view(t, db, func(tx core.Tx) error {
		got, err := tx.Site()
		if g, w := fmt.Sprint(got), fmt.Sprint(core.Site{}.Defaults()); g != w {
			t.Errorf("empty store: got %v, want %v", g, w)
		}
		return err
	})
	update(t, db, func(tx core.Tx) error {
		return tx.PutSite(core.Site{Name: "HQ", Timezone: "Europe/Paris", DeskMode: core.DeskCheckinOnly})
	})
	view(t, db, func(tx core.Tx) error {
		got, err := tx.Site()
		want := core.Site{Name: "HQ", Timezone: "Europe/Paris", DeskMode: core.DeskCheckinOnly}.Defaults()
		if g, w := fmt.Sprint(got), fmt.Sprint(want); g != w {
			t.Errorf("stored: got %v, want %v", g, w)
		}
		return err
	})
}

func TestPresence(t *testing.T) {
	db := storagetest.MustOpen(t)
	paris, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		t.Fatal(err)
	}
	since := time.Date(2026, 11, 24, 9, 0, 0, 0, paris)
	view(t, db, func(tx core.Tx) error {
		if _, err := tx.Presence("ann"); !errors.Is(err, core.ErrNotFound) {
			t.Errorf("never seen: got %v, want %v", err, core.ErrNotFound)
		}
		return nil
	})
	update(t, db, func(tx core.Tx) error {
		for _, p := range []string{"cat", "ann", "bob"} {
			if err := tx.PutPresence(core.Presence{Person: p, Zone: "office", Since: since, Seq: 1}); err != nil {
				return err
			}
		}
		return tx.PutPresence(core.Presence{Person: "ann", Zone: "lab", Since: since.Add(time.Hour), Seq: 2})
	})
	view(t, db, func(tx core.Tx) error {
		p, err := tx.Presence("ann")
		if err != nil {
			return err
		}
		if got, want := p, (core.Presence{Person: "ann", Zone: "lab", Since: since.Add(time.Hour).UTC(), Seq: 2}); got != want {
			t.Errorf("got %v, want %v", got, want)
		}
		var people []string
		err = tx.Presences(func(p core.Presence) error {
			people = append(people, p.Person)
			return nil
		})
		if got, want := people, []string{"ann", "bob", "cat"}; !slices.Equal(got, want) {
			t.Errorf("presences: got %v, want %v", got, want)
		}
		return err
	})
}

func TestLastDecision(t *testing.T) {
	db := storagetest.MustOpen(t)
	at := time.Date(2026, 11, 24, 9, 0, 0, 123456789, time.UTC)
	old := time.Date(1960, 1, 1, 0, 0, 0, 0, time.UTC)
	update(t, db, func(tx core.Tx) error {
		if err := tx.PutLastDecision("em:0102B0A5FD", "main-in", at); err != nil {
			return err
		}
		return tx.PutLastDecision("em:0102B0A5FD", "desk", old)
	})
	tests := []struct {
		card, reader string
		want         time.Time
		ok           bool
	}{
		{"em:0102B0A5FD", "main-in", at, true},
		{"em:0102B0A5FD", "desk", old, true},
		{"em:0102B0A5FD", "lab-in", time.Time{}, false},
		{"em:0102B0A5FE", "main-in", time.Time{}, false},
	}
	for _, tt := range tests {
		t.Run(tt.card+"@"+tt.reader, func(t *testing.T) {
			view(t, db, func(tx core.Tx) error {
				got, ok, err := tx.LastDecision(tt.card, tt.reader)
				if !got.Equal(tt.want) || ok != tt.ok {
					t.Errorf("got %v %v, want %v %v", got, ok, tt.want, tt.ok)
				}
				return err
			})
		})
	}
}

func TestRaw(t *testing.T) {
	db := storagetest.MustOpen(t)
	ann := core.Person{ID: "ann", Name: "Ann Martin"}
	put(t, db, core.KindPerson, map[string]any{"ann": ann})
	var kept []byte
	view(t, db, func(tx core.Tx) error {
		raw, ok, err := tx.Raw(core.KindPerson, "ann")
		if err != nil || !ok {
			t.Fatalf("got %v %v, want ann", ok, err)
		}
		if got, want := string(raw), jsonOf(t, ann); got != want {
			t.Errorf("got %s, want %s", got, want)
		}
		kept = raw
		raw, ok, err = tx.Raw(core.KindPerson, "bob")
		if raw != nil || ok || err != nil {
			t.Errorf("absent: got %q %v %v, want nil false nil", raw, ok, err)
		}
		if _, _, err := tx.Raw(core.Kind("unicorns"), "x"); !errors.Is(err, core.ErrInvalid) {
			t.Errorf("unknown kind: got %v, want %v", err, core.ErrInvalid)
		}
		return nil
	})

	// The bytes are the caller's: kept past its transaction, they do not
	// change with the file, and changing them does not change the object.
	update(t, db, func(tx core.Tx) error {
		if err := tx.Put(core.KindPerson, "ann", core.Person{ID: "ann", Name: "Ann Dupont"}); err != nil {
			return err
		}
		raw, _, err := tx.Raw(core.KindPerson, "ann")
		if err != nil {
			return err
		}
		clear(raw)
		var p core.Person
		if err := tx.Get(core.KindPerson, "ann", &p); err != nil {
			return fmt.Errorf("get after changing raw bytes: %w", err)
		}
		if got, want := p.Name, "Ann Dupont"; got != want {
			t.Errorf("got %v, want %v", got, want)
		}
		return nil
	})
	if got, want := string(kept), jsonOf(t, ann); got != want {
		t.Errorf("kept: got %s, want %s", got, want)
	}
	assertClean(t, db)
}
