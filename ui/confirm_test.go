package ui

import (
	"errors"
	"slices"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

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
// department, a person, a justification, its file or an attendance
// record, and blocking a card, happen
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
		if _, err := e.AttachFile(testCLI, j.ID, "ticket.pdf", []byte("%PDF-1.4 test")); err != nil {
			t.Fatal(err)
		}
		x.load()
		ui.until(t, "loaded", func() bool { return !x.busy })
		x.show(j.ID)
		if len(x.fileRows) != 1 {
			t.Fatalf("%d file rows, want the ticket", len(x.fileRows))
		}
		checkAsksFirst(t, irreversible{w, func() { test.Tap(x.fileRows[0].del) }, func() bool {
			js, _ := e.Justifications(testCLI, "bob", time.Time{}, time.Time{})
			return len(js) == 1 && len(js[0].Files) == 1 && js[0].Files[0].Deleted()
		}, "Yes"})
		checkAsksFirst(t, irreversible{w, func() { test.Tap(x.deleteBtn) }, func() bool {
			js, _ := e.Justifications(testCLI, "bob", time.Time{}, time.Time{})
			return len(js) == 0
		}, "Yes"})
	})
	t.Run("attendance record", func(t *testing.T) {
		e, _ := attEngine(t)
		if _, err := e.AddAttendance(testCLI, core.AttendanceRecord{Person: "ann", From: attAt(t, "2026-11-24 09:00"),
			Until: attAt(t, "2026-11-24 12:00"), State: core.AttendanceAbsent}); err != nil {
			t.Fatal(err)
		}
		x, w, ui := newAttendanceTest(t, e, roleAccount(t, e, "marie", core.RoleManager))
		x.tabs.SelectIndex(2)
		tab := x.records
		ui.until(t, "the records", func() bool { return tab.computed && !tab.busy })
		i := slices.IndexFunc(tab.rows, func(row attRecordRow) bool { return !row.entry.Derived })
		if i < 0 {
			t.Fatal("no record by hand listed")
		}
		tab.table.Select(widget.TableCellID{Row: i, Col: 0})
		checkAsksFirst(t, irreversible{w, func() { test.Tap(tab.del) }, func() bool {
			recs, _ := e.AttendanceRecords(testCLI, "ann", time.Time{}, time.Time{})
			return len(recs) == 0
		}, "Yes"})
	})
}
