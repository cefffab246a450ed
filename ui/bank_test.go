package ui

import (
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"frontdesk/core"
)

// TestTimeBankDialog: a manager opens Ann's time bank from the
// timesheet, is told what is wrong with a correction without a reason or
// with 75 minutes, enters one that takes 2 h 30 off, sees it in the bank,
// and deletes it after the question. The dialog fits a 1024x600 screen.
func TestTimeBankDialog(t *testing.T) {
	test.NewTempApp(t)
	e, _ := attEngine(t)
	x, w, ui := newAttendanceTest(t, e, roleAccount(t, e, "marie", core.RoleManager))
	w.Resize(fyne.NewSize(1024, 600))
	x.tabs.SelectIndex(1)
	tab := x.sheet
	ui.until(t, "the timesheet", func() bool { return tab.computed && !tab.busy })
	if !tab.bankBtn.Visible() || !tab.bankBtn.Disabled() {
		t.Fatal("the Time bank button is hidden, or enabled with nobody chosen")
	}
	attChoose(t, ui, tab.who, "ann")
	ui.until(t, "Ann's timesheet", func() bool { return !tab.busy })
	if tab.bankBtn.Disabled() {
		t.Fatal("the Time bank button is disabled with Ann chosen")
	}
	test.Tap(tab.bankBtn)
	b := tab.bank
	if b == nil || w.Canvas().Overlays().Top() == nil {
		t.Fatal("no time bank dialog")
	}
	ui.until(t, "the bank", func() bool { return !b.busy })
	if b.kept || len(b.adjs) != 0 || b.closing.Text != "0:00" {
		t.Errorf("before any correction: kept %v, %d corrections, closing %q", b.kept, len(b.adjs), b.closing.Text)
	}
	// The dialog's content fits the window with its title and button.
	if min := b.box.MinSize(); min.Width > 1000 || min.Height > 480 {
		t.Errorf("the dialog needs %v: it does not fit 1024x600", min)
	}

	stored := func() []core.BalanceAdjustment {
		adjs, err := e.BalanceAdjustments(testCLI, "ann", core.Date{}, core.Date{})
		if err != nil {
			t.Fatal(err)
		}
		return adjs
	}
	// Take 2 h 75 off, without a reason: both mistakes, nothing stored.
	b.sign.SetSelectedIndex(1)
	test.Type(b.hours, "2")
	test.Type(b.minutes, "75")
	b.date.SetText("2026-11-23")
	test.Tap(b.add)
	if got := b.spots.shownText("minutes"); got != "Correction: minutes go from 0 to 59" {
		t.Errorf("under the amount: %q", got)
	}
	b.minutes.SetText("30")
	test.Tap(b.add)
	if got := b.spots.shownText("reason"); got != "Reason: required" {
		t.Errorf("under the reason: %q, want Reason: required", got)
	}
	if n := len(stored()); n != 0 {
		t.Fatalf("%d corrections stored after mistakes", n)
	}

	test.Type(b.reason, "paid out with November's salary")
	test.Tap(b.add)
	ui.until(t, "the bank again", func() bool { return !b.busy && len(b.adjs) == 1 })
	adjs := stored()
	if len(adjs) != 1 || adjs[0].Minutes != -150 || adjs[0].Date.String() != "2026-11-23" || adjs[0].By != "marie" {
		t.Fatalf("stored: %+v, want -150 minutes on 2026-11-23 by marie", adjs)
	}
	if !b.kept || b.adjustments.Text != "-2:30" || !b.saved.Visible() {
		t.Errorf("after the correction: kept %v, corrections %q, saved note shown %v", b.kept, b.adjustments.Text, b.saved.Visible())
	}
	shot(t, w, "attendance-time-bank")
	ts, err := e.Timesheet(testCLI, core.TimesheetQuery{From: tab.month, To: tab.lastDay(), Person: "ann"})
	if err != nil {
		t.Fatal(err)
	}
	if want := attHM(ts.People[0].Bank.Closing); b.closing.Text != want {
		t.Errorf("closing %q, want the timesheet's %s", b.closing.Text, want)
	}

	b.list.Select(0)
	if b.del.Disabled() {
		t.Fatal("Delete disabled with a correction selected")
	}
	// Delete it: asked first, over the bank's dialog; Escape keeps it.
	overlays := func() int { return len(w.Canvas().Overlays().List()) }
	test.Tap(b.del)
	if overlays() != 2 || len(stored()) != 1 {
		t.Fatalf("%d overlays, %d corrections: want the question over the bank, nothing deleted yet", overlays(), len(stored()))
	}
	if !dismissTop(w.Canvas()) || overlays() != 1 || len(stored()) != 1 {
		t.Fatalf("after Escape: %d overlays, %d corrections, want the bank's dialog and the correction", overlays(), len(stored()))
	}
	test.Tap(b.del)
	tapDialog(t, w, "Yes")
	if len(stored()) != 0 {
		t.Fatal("not deleted after the answer yes")
	}
	ui.until(t, "the bank after the deletion", func() bool { return !b.busy && len(b.adjs) == 0 })
}

// TestTimeBankHiddenWithoutEdit: without attendance.edit the timesheet
// has no Time bank button.
func TestTimeBankHiddenWithoutEdit(t *testing.T) {
	test.NewTempApp(t)
	e, _ := attEngine(t)
	x, _, ui := newAttendanceTest(t, e, roleAccount(t, e, "rita", core.RoleReceptionist))
	x.tabs.SelectIndex(1)
	ui.until(t, "the timesheet", func() bool { return x.sheet.computed && !x.sheet.busy })
	if x.sheet.bankBtn.Visible() {
		t.Error("a receptionist sees the Time bank button")
	}
}
