package ui

import (
	"testing"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"frontdesk/core"
)

// lastAudit is the newest entry of the audit trail.
func lastAudit(t *testing.T, e *core.Engine) core.AuditEntry {
	t.Helper()
	var last core.AuditEntry
	if err := e.Audit(testCLI, core.AuditQuery{}, func(a core.AuditEntry) error { last = a; return nil }); err != nil {
		t.Fatal(err)
	}
	return last
}

// TestCatalogFormsSayTheySaved: each administration form says "Saved …"
// after a save, and the change is in the audit trail under its own kind
// and id, not as an import of nothing in particular.
func TestCatalogFormsSayTheySaved(t *testing.T) {
	test.NewTempApp(t)
	e, _ := newAdminEngine(t)
	doors, _ := newDoors(t, staffSession(t, e, "keeper", "", core.PermDoorsView, core.PermDoorsEdit))
	access, _ := newAccess(t, e)
	staff, _ := newStaff(t, e, core.PermAccountsEdit)
	tests := []struct {
		name   string
		cat    *catalog
		edit   func()
		saved  string
		action string
		object string
	}{
		{"door", doors.doorCat, func() { doors.doorName.SetText("Lab door") }, "Saved Lab door.", "door.put", "doors/lab"},
		{"zone", doors.zoneCat, func() { doors.zoneName.SetText("Lab area") }, "Saved Lab area.", "zone.put", "zones/lab"},
		{"schedule", access.schedCat, func() { access.schedName.SetText("Opening hours") },
			"Saved Opening hours.", "schedule.put", "schedules/office-hours"},
		{"shift", access.shiftCat, func() { access.shiftName.SetText("Day shift") }, "Saved Day shift.", "shift.put", "shifts/day"},
		{"holiday", access.holCat, func() { access.holName.SetText("Christmas day") }, "Saved 2026-12-25.",
			"holiday.put", "holidays/2026-12-25"},
		{"access level", access.levelCat, func() { access.levelName.SetText("Every door") }, "Saved Every door.",
			"access-level.put", "access_levels/all"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.cat.current < 0 {
				tt.cat.start()
			}
			if tt.cat.saved.Visible() {
				t.Fatal("saved shown before a save")
			}
			tt.edit()
			test.Tap(tt.cat.saveBtn)
			if tt.cat.problem.Visible() {
				t.Fatalf("problem: %s", tt.cat.problem.Text)
			}
			if !tt.cat.saved.Visible() || tt.cat.saved.Text != tt.saved {
				t.Errorf("notice %q (shown %v), want %q", tt.cat.saved.Text, tt.cat.saved.Visible(), tt.saved)
			}
			if a := lastAudit(t, e); a.Action != tt.action || a.Object != tt.object || len(a.Before) == 0 || len(a.After) == 0 {
				t.Errorf("audit %s %q (before %s, after %s), want %s %q with both values", a.Action, a.Object, a.Before, a.After,
					tt.action, tt.object)
			}
			// Another object: the notice goes.
			test.Tap(tt.cat.newBtn)
			if tt.cat.saved.Visible() {
				t.Error("the notice stays on a new form")
			}
		})
	}

	t.Run("account", func(t *testing.T) {
		staff.accCat.start()
		test.Tap(staff.accCat.saveBtn)
		name := staff.accCat.name(staff.accCat.current)
		if !staff.accCat.saved.Visible() || staff.accCat.saved.Text != "Saved "+name+"." {
			t.Errorf("notice %q (shown %v), problem %q", staff.accCat.saved.Text, staff.accCat.saved.Visible(), staff.accCat.problem.Text)
		}
	})
	t.Run("refused save", func(t *testing.T) {
		c := access.levelCat
		test.Tap(c.newBtn)
		access.levelID.SetText("bad")
		access.levelName.SetText("")
		test.Tap(c.saveBtn)
		if said := c.form.spots.shownText("name"); c.saved.Visible() || said == "" {
			t.Errorf("refused save: notice shown %v, problem %q", c.saved.Visible(), said)
		}
	})
}

// TestOtherFormsSayTheySaved: departments, justifications and attendance
// records say "Saved …" too.
func TestOtherFormsSayTheySaved(t *testing.T) {
	test.NewTempApp(t)
	t.Run("department", func(t *testing.T) {
		e, _ := newPeopleEngine(t)
		h := newPeopleHarness(t, e, staffAccount(t, e, "hr", "", append(receptionPerms, core.PermAccessEdit)...))
		dt := h.x.departments
		dt.newDept()
		dt.id.SetText("hr")
		dt.name.SetText("Human resources")
		test.Tap(dt.save)
		wantShown(t, dt.saved, "Saved Human resources.")
		dt.newDept()
		if dt.saved.Visible() {
			t.Error("the notice stays on a new form")
		}
	})
	t.Run("justification", func(t *testing.T) {
		e, _ := attEngine(t)
		x, _, ui := newJustifTest(t, e, roleAccount(t, e, "rita", core.RoleReceptionist))
		test.Tap(x.newBtn)
		f := x.form
		attChoose(t, ui, f.who, "ann")
		f.from.SetText("2026-11-23")
		f.to.SetText("2026-11-23")
		test.Tap(f.save)
		wantShown(t, x.saved, "Saved the justification of Ann Martin.")
		test.Tap(x.newBtn)
		if x.saved.Visible() {
			t.Error("the notice stays on a new form")
		}
	})
	t.Run("attendance record", func(t *testing.T) {
		e, _ := attEngine(t)
		x, _, ui := newAttendanceTest(t, e, roleAccount(t, e, "marie", core.RoleManager))
		x.tabs.SelectIndex(2)
		ui.until(t, "the records", func() bool { return !x.records.busy })
		test.Tap(x.records.add)
		f := x.records.form
		attChoose(t, ui, f.who, "ann")
		f.from.SetText("2026-11-24 09:00")
		f.to.SetText("2026-11-24 12:00")
		test.Tap(f.save)
		wantShown(t, x.records.saved, "Saved the record of Ann Martin.")
	})
}

func wantShown(t *testing.T, l *widget.Label, text string) {
	t.Helper()
	if !l.Visible() || l.Text != text {
		t.Errorf("notice %q (shown %v), want %q", l.Text, l.Visible(), text)
	}
}
