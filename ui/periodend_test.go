package ui

import (
	"testing"
	"time"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"frontdesk/core"
)

// TestEndFields: every field of the screens that ends a period reads a
// date alone as the end of that day and a time as written (excluded), as
// the command line and the site file do; a form opened again to edit
// shows the end so that saving it unchanged keeps it.
func TestEndFields(t *testing.T) {
	endOfDay := time.Date(2026, 11, 25, 0, 0, 0, 0, paris)
	evening := time.Date(2026, 11, 24, 18, 0, 0, 0, paris)
	type entered struct {
		until    time.Time
		editText string // what the form shows to edit it; "" when it has no edit
	}
	fields := []struct {
		name     string
		dateOnly bool
		// enter types end into the field, saves, and returns the end stored.
		enter func(t *testing.T, end string) entered
	}{
		{"justification To", false, func(t *testing.T, end string) entered {
			e, _ := attEngine(t)
			x, _, ui := newJustifTest(t, e, roleAccount(t, e, "marie", core.RoleManager))
			test.Tap(x.newBtn)
			f := x.form
			attChoose(t, ui, f.who, "ann")
			f.from.SetText("2026-11-20")
			f.to.SetText(end)
			f.reason.SetText("Flu")
			test.Tap(f.save)
			ui.until(t, "the list", func() bool { return !x.busy })
			js, err := e.Justifications(testCLI, "ann", time.Time{}, time.Time{})
			if err != nil || len(js) != 1 {
				t.Fatalf("justifications %v (%v), want one", js, err)
			}
			f.open(&js[0])
			shown := f.to.Text
			test.Tap(f.save)
			ui.until(t, "the list", func() bool { return !x.busy })
			again, _ := e.Justifications(testCLI, "ann", time.Time{}, time.Time{})
			if len(again) != 1 || !again[0].Until.Equal(js[0].Until) || !again[0].From.Equal(js[0].From) {
				t.Errorf("saved unchanged from the edit form (%q): %+v, was %+v", shown, again, js)
			}
			return entered{js[0].Until, shown}
		}},
		{"attendance record To", false, func(t *testing.T, end string) entered {
			e, _ := attEngine(t)
			x, _, ui := newAttendanceTest(t, e, roleAccount(t, e, "marie", core.RoleManager))
			x.tabs.SelectIndex(2)
			tab := x.records
			ui.until(t, "the records", func() bool { return tab.computed && !tab.busy })
			test.Tap(tab.add)
			f := tab.form
			attChoose(t, ui, f.who, "ann")
			f.from.SetText("2026-11-20")
			f.to.SetText(end)
			f.state.SetSelected("Absent")
			test.Tap(f.save)
			if f.problem.Visible() {
				t.Fatalf("problem %q", f.problem.Text)
			}
			recs, err := e.AttendanceRecords(testCLI, "ann", time.Time{}, time.Time{})
			if err != nil || len(recs) != 1 {
				t.Fatalf("records %v (%v), want one", recs, err)
			}
			ui.until(t, "the records", func() bool { return !tab.busy })
			f.open(&recs[0])
			shown := f.to.Text
			test.Tap(f.save)
			again, _ := e.AttendanceRecords(testCLI, "ann", time.Time{}, time.Time{})
			if len(again) != 1 || !again[0].Until.Equal(recs[0].Until) || !again[0].From.Equal(recs[0].From) {
				t.Errorf("saved unchanged from the edit form (%q): %+v, was %+v", shown, again, recs)
			}
			return entered{recs[0].Until, shown}
		}},
		{"grant Until", false, func(t *testing.T, end string) entered {
			e, _ := newAdminEngine(t)
			x, _ := newGrants(t, staffSession(t, e, "admin2", "", core.PermGrantsEditAny, core.PermPeopleView))
			x.person.SetText("carl")
			x.kind.SetSelected(grantUntil())
			x.until.SetText(end)
			test.Tap(x.grant)
			gs, err := e.Grants(testCLI, core.GrantQuery{Person: "carl"})
			if err != nil || len(gs) != 1 {
				t.Fatalf("grants %v (%v), want one", gs, err)
			}
			return entered{until: gs[0].Until}
		}},
		{"event log To", true, func(t *testing.T, end string) entered {
			e, _ := newLogEngine(t)
			l, _, _ := newLog(t, e, roleAccount(t, e, "marie", core.RoleManager))
			l.to.SetText(end)
			f, err := l.readFilter()
			if err != nil {
				t.Fatal(err)
			}
			return entered{until: f.to}
		}},
		{"audit To", true, func(t *testing.T, end string) entered {
			e, _ := newLogEngine(t)
			a, _, ui := newAudit(t, e, testCLI)
			a.toEntry.SetText(end)
			a.apply()
			ui.until(t, "the audit trail", func() bool { return !a.busy })
			if a.problem.Visible() {
				t.Fatalf("problem %q", a.problem.Text)
			}
			return entered{until: a.to}
		}},
	}
	for _, fd := range fields {
		t.Run(fd.name, func(t *testing.T) {
			test.NewTempApp(t)
			got := fd.enter(t, "2026-11-24")
			if !got.until.Equal(endOfDay) {
				t.Errorf("ending 2026-11-24: stored %v, want the end of that day, %v", got.until, endOfDay)
			}
			if got.editText != "" && got.editText != "2026-11-24" {
				t.Errorf("ending 2026-11-24: the edit form shows %q, want 2026-11-24", got.editText)
			}
			if fd.dateOnly {
				return
			}
			got = fd.enter(t, "2026-11-24 18:00")
			if !got.until.Equal(evening) {
				t.Errorf("ending 2026-11-24 18:00: stored %v, want %v", got.until, evening)
			}
			if got.editText != "" && got.editText != "2026-11-24 18:00" {
				t.Errorf("ending 2026-11-24 18:00: the edit form shows %q", got.editText)
			}
		})
	}
}

// TestTimesheetJustifiedDays: the window's timesheet marks a justified
// late or absent day as the PDF does: not flagged as a problem, with a
// note that it is justified; an unjustified one stays flagged.
func TestTimesheetJustifiedDays(t *testing.T) {
	test.NewTempApp(t)
	e, _ := attEngine(t)
	// Ann is absent on Monday 23 and Tuesday 24 (the clock's day); a
	// valid justification "2026-11-23" to "2026-11-23" covers the 23rd.
	until, err := core.ParseEnd("2026-11-23", paris)
	if err != nil {
		t.Fatal(err)
	}
	j, err := e.AddJustification(testCLI, core.Justification{Person: "ann", From: attAt(t, "2026-11-23 00:00"), Until: until, Reason: "Flu"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.SetJustificationState(testCLI, j.ID, core.JustifValid); err != nil {
		t.Fatal(err)
	}
	attTap(t, e, "ann", "in", "2026-11-24 09:30") // late on the 24th, not justified
	x, _, ui := newAttendanceTest(t, e, roleAccount(t, e, "marie", core.RoleManager))
	x.tabs.SelectIndex(1)
	tab := x.sheet
	ui.until(t, "the timesheet", func() bool { return tab.computed && !tab.busy })
	for _, tt := range []struct {
		date, status string
		imp          widget.Importance
		note         string
	}{
		{"Mon 23", "Absent", widget.MediumImportance, "Justified"},
		{"Tue 24", "Late", widget.WarningImportance, ""},
	} {
		row := attSheetRowOf(t, tab, "ann", tt.date)
		status, note := tab.cell(row, attColStatus), tab.cell(row, attColNotes)
		if status.text != tt.status || status.imp != tt.imp || note.text != tt.note {
			t.Errorf("%s: status %q (importance %v), note %q; want %q (%v), %q",
				tt.date, status.text, status.imp, note.text, tt.status, tt.imp, tt.note)
		}
	}
}
