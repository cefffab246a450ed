package ui

import (
	"slices"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"frontdesk/core"
)

// TestDemoCardsNobodyHolds: the demo offers several cards nobody holds,
// each a valid code, in several formats.
func TestDemoCardsNobodyHolds(t *testing.T) {
	e, _ := demoEngine(t)
	if got := demoFreeCards(e); !slices.Equal(got, demoUnknownCards) {
		t.Errorf("free cards %v, want all of %v", got, demoUnknownCards)
	}
	formats := map[string]bool{}
	for _, code := range demoUnknownCards {
		if _, err := core.ParseCode(code); err != nil {
			t.Errorf("%s: %v", code, err)
		}
		formats[strings.SplitN(code, ":", 2)[0]] = true
	}
	if len(demoUnknownCards) < 4 || len(formats) < 3 {
		t.Errorf("unknown cards %v: want several, in several formats", demoUnknownCards)
	}
	if demoDeskReader(e) != "desk" {
		t.Errorf("desk reader %q, want desk", demoDeskReader(e))
	}
}

// TestEnrolTwoPeopleWithDemoCards: in the demo, the enrolment offers to
// tap a card nobody holds at the desk reader, through the engine like a
// real tap; the card enrolled leaves the list, so a second person gets
// another one.
func TestEnrolTwoPeopleWithDemoCards(t *testing.T) {
	test.NewTempApp(t)
	e, c := newPeopleEngine(t)
	a := staffAccount(t, e, "desk", "", receptionPerms...)
	var tapped []string
	h := peopleHarnessWith(t, e, a, fyne.NewSize(1100, 700), func(reader, code string) error {
		tapped = append(tapped, reader+" "+code)
		c.now = c.now.Add(2 * time.Second)
		_, err := e.Tap(core.Tap{Reader: reader, Code: code})
		return err
	})

	var used []string
	for _, person := range []string{"bob", "elodie"} {
		cards := h.cardsOf(t, person)
		if cards.demo != nil && cards.demo.cards.Visible() && cards.waitBox.Visible() {
			t.Fatal("the demo's cards show before the enrolment waits")
		}
		test.Tap(cards.start)
		if cards.demo == nil || !cards.waitBox.Visible() {
			t.Fatal("no demo card panel while the enrolment waits")
		}
		for _, u := range used {
			if slices.Contains(cards.demo.cards.Options, u) {
				t.Errorf("%s: card %s, enrolled already, still offered", person, u)
			}
		}
		code := cards.demo.cards.Selected
		if code == "" {
			t.Fatalf("%s: no card chosen among %v", person, cards.demo.cards.Options)
		}
		test.Tap(cards.demo.present)
		h.ui.until(t, "the demo tap read", func() bool { return cards.haveRead })
		if cards.read.String() != code {
			t.Fatalf("%s: read %s, want %s", person, cards.read, code)
		}
		test.Tap(cards.confirm)
		if st := cardState(t, e, person, code); st != core.CardActive {
			t.Fatalf("%s: card %s stored as %q, want active", person, code, st)
		}
		used = append(used, code)
	}
	if len(tapped) != 2 || !strings.HasPrefix(tapped[0], "desk ") || tapped[0] == tapped[1] {
		t.Errorf("taps %v, want two different cards at the desk", tapped)
	}
}

// TestNoDemoCardsOutsideTheDemo: without the demo, the enrolment offers no
// simulated card.
func TestNoDemoCardsOutsideTheDemo(t *testing.T) {
	test.NewTempApp(t)
	e, _ := newPeopleEngine(t)
	h := newPeopleHarness(t, e, staffAccount(t, e, "desk", "", receptionPerms...))
	cards := h.cardsOf(t, "bob")
	test.Tap(cards.start)
	if cards.demo != nil {
		t.Error("a demo card panel outside the demo")
	}
}
