package ui

import (
	"errors"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"frontdesk/core"
)

// irreversible is an action that cannot be undone: act starts it, done
// says whether it happened, yes is the button of the question that does
// it.
type irreversible struct {
	w    fyne.Window
	act  func()
	done func() bool
	yes  string
}

// checkAsksFirst: the action asks first; Escape (Cancel) does nothing;
// it happens once the question is answered yes.
func checkAsksFirst(t *testing.T, a irreversible) {
	t.Helper()
	a.act()
	if a.done() {
		t.Fatal("done before asking")
	}
	if a.w.Canvas().Overlays().Top() == nil {
		t.Fatal("no question asked")
	}
	if !dismissTop(a.w.Canvas()) || a.w.Canvas().Overlays().Top() != nil {
		t.Fatal("Escape does not close the question")
	}
	if a.done() {
		t.Fatal("done although cancelled")
	}
	a.act()
	tapDialog(t, a.w, a.yes)
	if !a.done() {
		t.Error("not done after the answer yes")
	}
}

// TestIrreversibleActionsAskFirst: deleting a holiday, a device, a
// department, a person or a justification, and blocking a card, happen
// only after the question is answered (lockdown, release and revoking a
// grant have their own tests).
func TestIrreversibleActionsAskFirst(t *testing.T) {
	test.NewTempApp(t)
	t.Run("holiday", func(t *testing.T) {
		e, _ := newAdminEngine(t)
		x, s := newAccess(t, e)
		x.tabs.SelectIndex(2)
		checkAsksFirst(t, irreversible{s.window, func() { test.Tap(x.holCat.delBtn) }, func() bool {
			hs, _ := e.Holidays(testCLI)
			return len(hs) == 0
		}, "Delete"})
	})
	t.Run("device", func(t *testing.T) {
		e, _ := newAdminEngine(t)
		x, w := newDoors(t, staffSession(t, e, "keeper", "", core.PermDoorsView, core.PermDoorsEdit))
		x.tabs.SelectIndex(2)
		x.devCat.list.Select(x.devCat.index("desk"))
		checkAsksFirst(t, irreversible{w, func() { test.Tap(x.devCat.delBtn) }, func() bool {
			for _, d := range e.Devices(testCLI) {
				if d.ID == "desk" {
					return false
				}
			}
			return true
		}, "Delete"})
	})
	t.Run("person and department", func(t *testing.T) {
		e, _ := newPeopleEngine(t)
		if _, err := e.PutDepartment(testCLI, core.Department{ID: "tmp", Name: "Temporary"}); err != nil {
			t.Fatal(err)
		}
		h := newPeopleHarness(t, e, staffAccount(t, e, "hr", "", append(receptionPerms, core.PermAccessEdit)...))
		h.openPerson(t, "elodie")
		checkAsksFirst(t, irreversible{h.w, func() { test.Tap(h.x.detail.remove) }, func() bool {
			_, err := e.Person(testCLI, "elodie")
			return errors.Is(err, core.ErrNotFound)
		}, "Yes"})
		dt := h.x.departments
		h.x.tabs.SelectIndex(1)
		for i, d := range dt.depts {
			if d.ID == "tmp" {
				dt.list.Select(i)
			}
		}
		checkAsksFirst(t, irreversible{h.w, func() { test.Tap(dt.remove) }, func() bool {
			ds, _ := e.Departments(testCLI)
			for _, d := range ds {
				if d.ID == "tmp" {
					return false
				}
			}
			return true
		}, "Delete"})
	})
	t.Run("card", func(t *testing.T) {
		e, _ := newPeopleEngine(t)
		h := newPeopleHarness(t, e, staffAccount(t, e, "desk", "", receptionPerms...))
		cards := h.cardsOf(t, "ann")
		checkAsksFirst(t, irreversible{h.w, func() { test.Tap(buttonsIn(cards.rows)["Block (lost)"][0]) }, func() bool {
			return cardState(t, e, "ann", "em:0102B0A5FD") == core.CardLost
		}, "Block (lost)"})
	})
	t.Run("justification", func(t *testing.T) {
		e, _ := attEngine(t)
		j, err := e.AddJustification(testCLI, core.Justification{Person: "bob", From: attAt(t, "2026-11-20 09:00"),
			Until: attAt(t, "2026-11-20 12:00"), Reason: "Train strike"})
		if err != nil {
			t.Fatal(err)
		}
		x, w, ui := newJustifTest(t, e, roleAccount(t, e, "marie", core.RoleManager))
		x.show(j.ID)
		ui.until(t, "loaded", func() bool { return !x.busy })
		checkAsksFirst(t, irreversible{w, func() { test.Tap(x.deleteBtn) }, func() bool {
			js, _ := e.Justifications(testCLI, "bob", time.Time{}, time.Time{})
			return len(js) == 0
		}, "Yes"})
	})
}
