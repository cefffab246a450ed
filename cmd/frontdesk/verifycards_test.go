package main

import (
	"encoding/json"
	"strings"
	"testing"

	"frontdesk/core"
	"frontdesk/storage"
)

// TestVerifyListsAmbiguousCards checks that verify warns of cards of
// different people that readers cannot tell apart, in text and JSON,
// without calling the file damaged, and that a tap of such a card is
// refused for no one.
func TestVerifyListsAmbiguousCards(t *testing.T) {
	db := newSite(t)
	if out := mustCLI(t, db, "verify"); strings.Contains(out, "warning") {
		t.Fatalf("verify of a sound site: %q, want no warning", out)
	}
	// Vic's card is Ann's read by a wedge: what a database written before
	// enrolment refused such cards may hold.
	s, err := storage.Open(db, storage.Options{})
	if err != nil {
		t.Fatal(err)
	}
	err = s.Update(func(tx core.Tx) error {
		if err := tx.Put(core.KindPerson, "vic", core.Person{ID: "vic", Name: "Vic Visitor"}); err != nil {
			return err
		}
		return tx.Put(core.KindCard, "dec:0045131261", core.Card{Code: "dec:0045131261", Person: "vic", State: core.CardActive})
	})
	if cerr := s.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		t.Fatal(err)
	}

	out := mustCLI(t, db, "verify")
	for _, want := range []string{"ok: ", "warning: 1 pair of cards",
		"dec:0045131261 of Vic Visitor (vic) and em:0102B0A5FD of Ann Martin (ann) match each other"} {
		if !strings.Contains(out, want) {
			t.Errorf("verify: got %q, want it to contain %q", out, want)
		}
	}
	var rep struct {
		OK             bool            `json:"ok"`
		AmbiguousCards []core.CardPair `json:"ambiguous_cards"`
	}
	if err := json.Unmarshal([]byte(mustCLI(t, db, "verify", "--json")), &rep); err != nil {
		t.Fatal(err)
	}
	if !rep.OK || len(rep.AmbiguousCards) != 1 || !rep.AmbiguousCards[0].Every ||
		rep.AmbiguousCards[0].Cards[1].Person != "ann" || rep.AmbiguousCards[0].Names[0] != "Vic Visitor" {
		t.Errorf("verify --json: got %+v, want ok and the one pair", rep)
	}

	var ev struct{ Result, Person, Explanation string }
	if err := json.Unmarshal([]byte(mustCLI(t, db, "tap", "--reader", "main-in", "--card", "w26:176:42493", "--json")), &ev); err != nil {
		t.Fatal(err)
	}
	if ev.Result != string(core.DeniedAmbiguousCard) || ev.Person != "" || !strings.Contains(ev.Explanation, "Vic Visitor (vic) and Ann Martin (ann)") {
		t.Errorf("tap: got %+v, want denied_ambiguous_card for no one, naming both", ev)
	}
}
