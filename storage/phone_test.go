package storage_test

import (
	"encoding/binary"
	"slices"
	"strings"
	"testing"

	bolt "go.etcd.io/bbolt"

	"frontdesk/core"
	"frontdesk/storage"
	"frontdesk/storage/storagetest"
)

// peopleByPhone returns the ids filed under key.
func peopleByPhone(t testing.TB, db *storage.DB, key string) []string {
	t.Helper()
	var ids []string
	view(t, db, func(tx core.Tx) error {
		var err error
		ids, err = tx.PeopleByPhone(key)
		return err
	})
	return ids
}

func TestPeopleByPhone(t *testing.T) {
	db := storagetest.MustOpen(t)
	put(t, db, core.KindPerson, map[string]any{
		"ann":  core.Person{ID: "ann", Name: "Ann", Phone: "+33 6 12 34 56 78"},
		"bob":  core.Person{ID: "bob", Name: "Bob", Phone: "06.12.34.56.78"}, // the same number, written nationally
		"cat":  core.Person{ID: "cat", Name: "Cat", Phone: "+33 7 00 00 00 01"},
		"dan":  core.Person{ID: "dan", Name: "Dan"},                      // no phone: not filed
		"eve":  core.Person{ID: "eve", Name: "Eve", Phone: "ask HR"},     // no digits: not filed
		"finn": core.Person{ID: "finn", Name: "Finn", Phone: "12 34 56"}, // fewer than 9 digits: all of them
	})
	tests := []struct {
		key  string
		want []string
	}{
		{"612345678", []string{"ann", "bob"}},
		{"700000001", []string{"cat"}},
		{"123456", []string{"finn"}},
		{"612345679", nil},
		{"61234567", nil}, // a key is whole, not a prefix
		{"", nil},
	}
	for _, tt := range tests {
		if got := peopleByPhone(t, db, tt.key); !slices.Equal(got, tt.want) {
			t.Errorf("PeopleByPhone(%q): got %q, want %q", tt.key, got, tt.want)
		}
	}
	assertClean(t, db)

	// A new number files the person under it only; deleting them unfiles
	// them. Reads in the same transaction see the change.
	update(t, db, func(tx core.Tx) error {
		if err := tx.Put(core.KindPerson, "bob", core.Person{ID: "bob", Name: "Bob", Phone: "+33 6 99 99 99 99"}); err != nil {
			return err
		}
		if err := tx.Delete(core.KindPerson, "cat"); err != nil {
			return err
		}
		if got, err := tx.PeopleByPhone("612345678"); err != nil || !slices.Equal(got, []string{"ann"}) {
			t.Errorf("in the transaction, old number: got %q, %v, want [ann]", got, err)
		}
		if got, err := tx.PeopleByPhone("699999999"); err != nil || !slices.Equal(got, []string{"bob"}) {
			t.Errorf("in the transaction, new number: got %q, %v, want [bob]", got, err)
		}
		return nil
	})
	for key, want := range map[string][]string{"612345678": {"ann"}, "699999999": {"bob"}, "700000001": nil} {
		if got := peopleByPhone(t, db, key); !slices.Equal(got, want) {
			t.Errorf("after the change, PeopleByPhone(%q): got %q, want %q", key, got, want)
		}
	}
	// A person's phone removed unfiles them.
	put(t, db, core.KindPerson, map[string]any{"ann": core.Person{ID: "ann", Name: "Ann"}})
	if got := peopleByPhone(t, db, "612345678"); got != nil {
		t.Errorf("after ann's phone was removed: got %q, want none", got)
	}
	assertClean(t, db)
}

// TestMigrateFromSchema2 checks that opening a schema-2 file, which has no
// people_by_phone, files the people it holds.
func TestMigrateFromSchema2(t *testing.T) {
	path := tempPath(t)
	db := openAt(t, path)
	put(t, db, core.KindPerson, map[string]any{
		"ann": core.Person{ID: "ann", Name: "Ann", Phone: "+33 6 12 34 56 78"},
		"bob": core.Person{ID: "bob", Name: "Bob", Phone: "0612345678"},
		"cat": core.Person{ID: "cat", Name: "Cat"},
	})
	// Make it the file schema 2 wrote.
	rawUpdate(t, db, func(btx *bolt.Tx) error {
		if err := btx.DeleteBucket([]byte("people_by_phone")); err != nil {
			return err
		}
		return btx.Bucket([]byte("meta")).Put([]byte("schema"), seqKey(2))
	})

	db = openAt(t, path)
	var schema uint64
	rawUpdate(t, db, func(btx *bolt.Tx) error {
		schema = binary.BigEndian.Uint64(btx.Bucket([]byte("meta")).Get([]byte("schema")))
		return nil
	})
	db = openAt(t, path)
	if schema != 6 {
		t.Errorf("schema: got %d, want 6", schema)
	}
	if got, want := peopleByPhone(t, db, "612345678"), []string{"ann", "bob"}; !slices.Equal(got, want) {
		t.Errorf("PeopleByPhone after the migration: got %q, want %q", got, want)
	}
	assertClean(t, db)
	// The index is maintained from then on.
	update(t, db, func(tx core.Tx) error { return tx.Delete(core.KindPerson, "ann") })
	if got, want := peopleByPhone(t, db, "612345678"), []string{"bob"}; !slices.Equal(got, want) {
		t.Errorf("PeopleByPhone after a delete: got %q, want %q", got, want)
	}
	assertClean(t, db)
}

func TestVerifyPhoneIndex(t *testing.T) {
	tests := []struct {
		name   string
		tamper func(*bolt.Tx) error
		want   string
	}{
		{"entry deleted", func(btx *bolt.Tx) error {
			return btx.Bucket([]byte("people_by_phone")).Delete([]byte("612345678\x00ann"))
		}, `person "ann": missing from people_by_phone under "612345678"`},
		{"entry dangling", func(btx *bolt.Tx) error {
			return btx.Bucket([]byte("people_by_phone")).Put([]byte("612345678\x00zoe"), []byte{})
		}, `people_by_phone: entry "612345678\x00zoe" points to missing person "zoe"`},
		{"entry stale", func(btx *bolt.Tx) error {
			return btx.Bucket([]byte("people_by_phone")).Put([]byte("699999999\x00ann"), []byte{})
		}, `people_by_phone: entry "699999999\x00ann" does not match the phone of person "ann"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			db := storagetest.MustOpen(t)
			put(t, db, core.KindPerson, map[string]any{"ann": core.Person{ID: "ann", Name: "Ann", Phone: "+33 6 12 34 56 78"}})
			rawUpdate(t, db, tt.tamper)
			db = openAt(t, db.Path())
			r, err := db.Verify()
			if err != nil {
				t.Fatal(err)
			}
			if len(r.Problems) != 1 || !strings.HasPrefix(r.Problems[0], tt.want) {
				t.Errorf("got %q, want one problem starting %q", r.Problems, tt.want)
			}
		})
	}
}
