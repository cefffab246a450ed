package storage_test

import (
	"slices"
	"testing"

	"frontdesk/core"
	"frontdesk/storage"
	"frontdesk/storage/storagetest"
)

func mustCode(t testing.TB, s string) core.Code {
	t.Helper()
	c, err := core.ParseCode(s)
	if err != nil {
		t.Fatalf("parse code %q: %v", s, err)
	}
	return c
}

// cardCodes returns the codes of cards.
func cardCodes(cards []core.Card) []string {
	out := []string{}
	for _, c := range cards {
		out = append(out, c.Code)
	}
	return out
}

// assertClean fails the test if Verify finds a problem.
func assertClean(t testing.TB, db *storage.DB) {
	t.Helper()
	r, err := db.Verify()
	if err != nil {
		t.Fatalf("verify: %v", err)
	}
	if len(r.Problems) != 0 {
		t.Errorf("verify: got %v, want no problems", r.Problems)
	}
}

func TestCardsMatching(t *testing.T) {
	db := storagetest.MustOpen(t)
	cards := map[string]string{ // code → person
		"em:0102B0A5FD":  "ann", // dec:0045131261, w26:176:42493
		"em:0702B0A5FD":  "eve", // same low 32 bits as ann's
		"dec:0012345678": "bob", // enrolled from a wedge: low 32 bits 00BC614E
		"uid:04A22B1A":   "cat",
		"OPAQUE-1":       "dan",
	}
	update(t, db, func(tx core.Tx) error {
		for code, person := range cards {
			if err := tx.Put(core.KindCard, code, core.Card{Code: code, Person: person, State: core.CardActive}); err != nil {
				return err
			}
		}
		return nil
	})
	tests := []struct {
		read string
		want []string
	}{
		{"em:0102B0A5FD", []string{"em:0102B0A5FD"}},
		{"dec:0045131261", []string{"em:0102B0A5FD", "em:0702B0A5FD"}},
		{"w26:176:42493", []string{"em:0102B0A5FD", "em:0702B0A5FD"}},
		{"em:AA02B0A5FD", []string{}}, // shares 32 bits with ann's, not 40
		{"em:0102B0A5FE", []string{}},
		{"dec:0045131262", []string{}},
		{"em:FF00BC614E", []string{"dec:0012345678"}}, // an em reader sees the wedge-enrolled card
		{"dec:0012345678", []string{"dec:0012345678"}},
		{"w26:188:24910", []string{"dec:0012345678"}},
		{"uid:04A22B1A", []string{"uid:04A22B1A"}},
		{"uid:04A22B1B", []string{}},
		{"OPAQUE-1", []string{"OPAQUE-1"}},
		{"OPAQUE-2", []string{}},
	}
	for _, tt := range tests {
		t.Run(tt.read, func(t *testing.T) {
			view(t, db, func(tx core.Tx) error {
				got, err := tx.CardsMatching(mustCode(t, tt.read))
				if g := cardCodes(got); !slices.Equal(g, tt.want) {
					t.Errorf("got %v, want %v", g, tt.want)
				}
				return err
			})
		})
	}
	assertClean(t, db)
}

func TestCardMovesBetweenPeople(t *testing.T) {
	db := storagetest.MustOpen(t)
	const code = "em:0102B0A5FD"
	put(t, db, core.KindCard, map[string]any{
		code:            core.Card{Code: code, Person: "ann", State: core.CardActive},
		"em:0000000001": core.Card{Code: "em:0000000001", Person: "ann", State: core.CardActive},
	})
	put(t, db, core.KindCard, map[string]any{code: core.Card{Code: code, Person: "bob", State: core.CardLost}})
	cardsOf := func(person string) []string {
		var out []core.Card
		view(t, db, func(tx core.Tx) error {
			var err error
			out, err = tx.CardsOf(person)
			return err
		})
		return cardCodes(out)
	}
	tests := []struct {
		person string
		want   []string
	}{
		{"ann", []string{"em:0000000001"}},
		{"bob", []string{code}},
		{"cat", []string{}},
	}
	for _, tt := range tests {
		if got := cardsOf(tt.person); !slices.Equal(got, tt.want) {
			t.Errorf("cards of %s: got %v, want %v", tt.person, got, tt.want)
		}
	}
	view(t, db, func(tx core.Tx) error {
		got, err := tx.CardsMatching(mustCode(t, "dec:0045131261"))
		if len(got) != 1 || got[0].Person != "bob" || got[0].State != core.CardLost {
			t.Errorf("got %v, want bob's lost card", got)
		}
		return err
	})
	update(t, db, func(tx core.Tx) error { return tx.Delete(core.KindCard, code) })
	if got, want := cardsOf("bob"), []string{}; !slices.Equal(got, want) {
		t.Errorf("after delete: got %v, want %v", got, want)
	}
	view(t, db, func(tx core.Tx) error {
		got, err := tx.CardsMatching(mustCode(t, code))
		if len(got) != 0 {
			t.Errorf("after delete: got %v, want none", cardCodes(got))
		}
		return err
	})
	assertClean(t, db)
}

func TestGrantIndexes(t *testing.T) {
	db := storagetest.MustOpen(t)
	grant := func(id, person, door string) core.Grant {
		return core.Grant{ID: id, Person: person, Door: door, Kind: core.GrantPermanent}
	}
	put(t, db, core.KindGrant, map[string]any{
		"g1": grant("g1", "ann", "main"),
		"g2": grant("g2", "ann", "lab"),
		"g3": grant("g3", "bob", "main"),
	})
	// g1 moves from ann/main to cat/lab.
	put(t, db, core.KindGrant, map[string]any{"g1": grant("g1", "cat", "lab")})

	grantIDs := func(gs []core.Grant) []string {
		out := []string{}
		for _, g := range gs {
			out = append(out, g.ID)
		}
		return out
	}
	tests := []struct {
		name  string
		query func(core.Tx) ([]core.Grant, error)
		want  []string
	}{
		{"ann all", func(tx core.Tx) ([]core.Grant, error) { return tx.GrantsFor("ann", "") }, []string{"g2"}},
		{"ann main", func(tx core.Tx) ([]core.Grant, error) { return tx.GrantsFor("ann", "main") }, []string{}},
		{"ann lab", func(tx core.Tx) ([]core.Grant, error) { return tx.GrantsFor("ann", "lab") }, []string{"g2"}},
		{"cat lab", func(tx core.Tx) ([]core.Grant, error) { return tx.GrantsFor("cat", "lab") }, []string{"g1"}},
		{"bob all", func(tx core.Tx) ([]core.Grant, error) { return tx.GrantsFor("bob", "") }, []string{"g3"}},
		{"an is not ann", func(tx core.Tx) ([]core.Grant, error) { return tx.GrantsFor("an", "") }, []string{}},
		{"on main", func(tx core.Tx) ([]core.Grant, error) { return tx.GrantsOn("main") }, []string{"g3"}},
		{"on lab", func(tx core.Tx) ([]core.Grant, error) { return tx.GrantsOn("lab") }, []string{"g2", "g1"}}, // by person
		{"on nothing", func(tx core.Tx) ([]core.Grant, error) { return tx.GrantsOn("") }, []string{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			view(t, db, func(tx core.Tx) error {
				got, err := tt.query(tx)
				if g := grantIDs(got); !slices.Equal(g, tt.want) {
					t.Errorf("got %v, want %v", g, tt.want)
				}
				return err
			})
		})
	}
	assertClean(t, db)

	update(t, db, func(tx core.Tx) error { return tx.Delete(core.KindGrant, "g1") })
	view(t, db, func(tx core.Tx) error {
		got, err := tx.GrantsOn("lab")
		if g, w := grantIDs(got), []string{"g2"}; !slices.Equal(g, w) {
			t.Errorf("after delete: got %v, want %v", g, w)
		}
		return err
	})
	assertClean(t, db)
}
