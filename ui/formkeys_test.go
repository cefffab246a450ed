package ui

import (
	"io"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	fdialog "fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/test"

	"frontdesk/core"
)

// press delivers key to w as the window does: to the focused widget, or
// to the canvas when none has the focus.
func press(w fyne.Window, key fyne.KeyName) {
	ev := &fyne.KeyEvent{Name: key}
	if f := w.Canvas().Focused(); f != nil {
		f.TypedKey(ev)
		return
	}
	if fn := w.Canvas().(interface{ OnTypedKey() func(*fyne.KeyEvent) }).OnTypedKey(); fn != nil {
		fn(ev)
	}
}

// escapeOn makes Escape on w's canvas do what the app's does for s.
func escapeOn(s *session, w fyne.Window) {
	w.Canvas().SetOnTypedKey(func(ev *fyne.KeyEvent) {
		if ev.Name == fyne.KeyEscape {
			s.escape(w.Canvas())
		}
	})
}

// typeIn focuses e, empties it and types text, as a person would.
func typeIn(w fyne.Window, e *formEntry, text string) {
	e.SetText("")
	w.Canvas().Focus(e)
	test.Type(e, text)
}

// TestEnterSavesTheForm: Enter in a field of a form saves it, as its
// Save button does.
func TestEnterSavesTheForm(t *testing.T) {
	test.NewTempApp(t)
	e, _ := newAdminEngine(t)
	doors, dw := newDoors(t, staffSession(t, e, "keeper", "", core.PermDoorsView, core.PermDoorsEdit))
	access, as := newAccess(t, e)
	tests := []struct {
		name   string
		w      fyne.Window
		tabs   func()
		cat    *catalog
		entry  *formEntry
		text   string
		object string
	}{
		{"door name", dw, func() { doors.tabs.SelectIndex(0) }, doors.doorCat, doors.doorName, "Lab door", "doors/lab"},
		{"door pulse", dw, func() { doors.tabs.SelectIndex(0) }, doors.doorCat, doors.doorPulse, "2s", "doors/lab"},
		{"zone", dw, func() { doors.tabs.SelectIndex(1) }, doors.zoneCat, doors.zoneName, "Lab area", "zones/lab"},
		{"schedule", as.window, func() { access.tabs.SelectIndex(0) }, access.schedCat, access.schedName, "Opening hours",
			"schedules/office-hours"},
		{"holiday", as.window, func() { access.tabs.SelectIndex(2) }, access.holCat, access.holName, "Noël", "holidays/2026-12-25"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.tabs()
			typeIn(tt.w, tt.entry, tt.text)
			press(tt.w, fyne.KeyReturn)
			if !tt.cat.saved.Visible() {
				t.Fatalf("Enter did not save: problem %q", tt.cat.problem.Text)
			}
			if a := lastAudit(t, e); a.Object != tt.object {
				t.Errorf("audited %s %q, want %q", a.Action, a.Object, tt.object)
			}
		})
	}
}

// TestEnterSavesOtherForms: the person, department, justification and
// attendance forms save on Enter too.
func TestEnterSavesOtherForms(t *testing.T) {
	test.NewTempApp(t)
	t.Run("person and department", func(t *testing.T) {
		e, _ := newPeopleEngine(t)
		h := newPeopleHarness(t, e, staffAccount(t, e, "hr", "", append(receptionPerms, core.PermAccessEdit)...))
		h.openPerson(t, "ann")
		typeIn(h.w, h.x.detail.phone, "+33 6 12 34 56 70")
		press(h.w, fyne.KeyReturn)
		if p, err := e.Person(testCLI, "ann"); err != nil || p.Phone != "+33 6 12 34 56 70" {
			t.Errorf("Ann's phone %q (%v) after Enter", p.Phone, err)
		}
		dt := h.x.departments
		h.x.tabs.SelectIndex(1)
		dt.newDept()
		typeIn(h.w, dt.id, "hr")
		typeIn(h.w, dt.name, "Human resources")
		press(h.w, fyne.KeyReturn)
		wantShown(t, dt.saved, "Saved Human resources.")
	})
	t.Run("justification", func(t *testing.T) {
		e, _ := attEngine(t)
		x, w, ui := newJustifTest(t, e, roleAccount(t, e, "rita", core.RoleReceptionist))
		test.Tap(x.newBtn)
		attChoose(t, ui, x.form.who, "ann")
		typeIn(w, x.form.from, "2026-11-23")
		typeIn(w, x.form.to, "2026-11-23")
		press(w, fyne.KeyReturn)
		wantShown(t, x.saved, "Saved the justification of Ann Martin.")
		if x.form.box.Visible() {
			t.Error("the form stays open after Enter saved it")
		}
	})
}

// TestEscapeCancelsTheForm: with no field holding the keyboard, Escape
// puts the form shown back as stored, empties a new one, and closes the
// justification form; forms of tabs not shown are left alone.
func TestEscapeCancelsTheForm(t *testing.T) {
	test.NewTempApp(t)
	e, _ := newAdminEngine(t)
	doors, w := newDoors(t, staffSession(t, e, "keeper", "", core.PermDoorsView, core.PermDoorsEdit))
	escapeOn(doors.s, w)

	doors.tabs.SelectIndex(0)
	stored := doors.doorName.Text
	typeIn(w, doors.doorName, "Changed my mind")
	doors.tabs.SelectIndex(1)
	typeIn(w, doors.zoneName, "Another zone")
	w.Canvas().Unfocus()
	press(w, fyne.KeyEscape)
	if doors.zoneName.Text == "Another zone" {
		t.Error("Escape kept the zone's edit")
	}
	if doors.doorName.Text != "Changed my mind" {
		t.Errorf("Escape on the zones tab changed the door form to %q", doors.doorName.Text)
	}
	doors.tabs.SelectIndex(0)
	press(w, fyne.KeyEscape)
	if doors.doorName.Text != stored {
		t.Errorf("door name %q after Escape, want %q as stored", doors.doorName.Text, stored)
	}
	test.Tap(doors.doorCat.newBtn)
	typeIn(w, doors.doorID, "half-typed")
	w.Canvas().Unfocus()
	press(w, fyne.KeyEscape)
	if doors.doorID.Text != "" {
		t.Errorf("new door's id %q after Escape, want empty", doors.doorID.Text)
	}

	t.Run("justification", func(t *testing.T) {
		e, _ := attEngine(t)
		x, w, _ := newJustifTest(t, e, roleAccount(t, e, "rita", core.RoleReceptionist))
		escapeOn(x.s, w)
		test.Tap(x.newBtn)
		typeIn(w, x.form.from, "2026-11-23")
		w.Canvas().Unfocus()
		press(w, fyne.KeyEscape)
		if x.form.box.Visible() {
			t.Error("Escape left the justification form open")
		}
		if js, _ := e.Justifications(testCLI, "", time.Time{}, time.Time{}); len(js) != 0 {
			t.Errorf("Escape saved %v", js)
		}
	})
}

// TestEscapeClosesDialogs: Escape answers a confirmation as Cancel
// (nothing happens) and closes a dialog of information.
func TestEscapeClosesDialogs(t *testing.T) {
	test.NewTempApp(t)
	e, _ := newAdminEngine(t)
	access, s := newAccess(t, e)
	w := s.window
	escapeOn(s, w)
	access.tabs.SelectIndex(2)
	test.Tap(access.holCat.delBtn)
	if w.Canvas().Overlays().Top() == nil {
		t.Fatal("no confirmation before deleting a holiday")
	}
	press(w, fyne.KeyEscape)
	if w.Canvas().Overlays().Top() != nil {
		t.Error("Escape left the confirmation open")
	}
	if hs, _ := e.Holidays(testCLI); len(hs) != 1 {
		t.Errorf("holidays %v after Escape, want Christmas kept", hs)
	}
	s.fail("Something", core.ErrConflict)
	if w.Canvas().Overlays().Top() == nil {
		t.Fatal("no error dialog")
	}
	press(w, fyne.KeyEscape)
	if w.Canvas().Overlays().Top() != nil {
		t.Error("Escape left the error dialog open")
	}
}

// TestTabFollowsTheLayout: in an administration form, Tab goes from the
// actions above the form to its fields, and from its last field to the
// buttons under it, in the order they are seen.
func TestTabFollowsTheLayout(t *testing.T) {
	test.NewTempApp(t)
	e, _ := newAdminEngine(t)
	perms := []core.Permission{core.PermDoorsView, core.PermDoorsEdit, core.PermDoorsOpen, core.PermDoorsLockdown}
	doors, w := newDoors(t, staffSession(t, e, "keeper", "", perms...))
	c := w.Canvas()
	c.Focus(doors.lock)
	test.FocusNext(c)
	if c.Focused() != doors.doorName {
		t.Errorf("Tab after Lockdown goes to %T %v, want the door's name (its id is fixed)", c.Focused(), c.Focused())
	}
	c.Focus(doors.doorMode.Select)
	test.FocusNext(c)
	if c.Focused() != doors.doorCat.newBtn {
		t.Errorf("Tab after the last field goes to %T, want New door under the form", c.Focused())
	}
	c.Focus(doors.doorName)
	test.FocusPrevious(c)
	if c.Focused() != doors.lock {
		t.Errorf("Shift+Tab before the name goes to %T, want Lockdown above the form", c.Focused())
	}
}

// TestEscapeInTheWindow: the window takes Escape when no field has the
// keyboard, logged in or not: it closes the dialog on top.
func TestEscapeInTheWindow(t *testing.T) {
	a := demoApp(t)
	w := a.window
	dialog := func() bool { return w.Canvas().Overlays().Top() != nil }

	fdialog.ShowInformation("Test", "A dialog before logging in", w)
	if !dialog() {
		t.Fatal("no dialog shown")
	}
	w.Canvas().Unfocus()
	press(w, fyne.KeyEscape)
	if dialog() {
		t.Error("Escape on the login screen left the dialog open")
	}

	typeLogin(t, a, "desk", "frontdesk-demo")
	a.shell.showPreferences()
	if !dialog() {
		t.Fatal("no preferences dialog")
	}
	w.Canvas().Unfocus()
	press(w, fyne.KeyEscape)
	if dialog() {
		t.Error("Escape left the preferences open")
	}
}

// TestTabStartsAtTheTop: on a page with a bar of filters above a list,
// the first Tab goes to the bar, not into the list under it.
func TestTabStartsAtTheTop(t *testing.T) {
	test.NewTempApp(t)
	t.Run("people", func(t *testing.T) {
		e, _ := newPeopleEngine(t)
		h := newPeopleHarness(t, e, staffAccount(t, e, "desk", "", receptionPerms...))
		c := h.w.Canvas()
		c.Unfocus()
		test.FocusNext(c)
		if c.Focused() != h.x.query {
			t.Errorf("first Tab goes to %T, want the search field", c.Focused())
		}
	})
	t.Run("justifications", func(t *testing.T) {
		e, _ := attEngine(t)
		x, w, _ := newJustifTest(t, e, roleAccount(t, e, "marie", core.RoleManager))
		c := w.Canvas()
		c.Unfocus()
		test.FocusNext(c)
		if c.Focused() != x.filter {
			t.Errorf("first Tab goes to %T, want the state filter", c.Focused())
		}
	})
}

// focusedField types text in e as a person would, and leaves the keyboard
// in it: e must be on w's canvas.
func focusedField(t *testing.T, w fyne.Window, e *formEntry, text string) {
	t.Helper()
	typeIn(w, e, text)
	if w.Canvas().Focused() != e {
		t.Fatalf("the field does not have the keyboard: %T has it", w.Canvas().Focused())
	}
}

// TestEscapeInAFieldCancelsTheForm: Escape typed in a field of a form,
// the field holding the keyboard, does what it does with nothing
// focused: the page's form goes back as stored, a new one empties, the
// justification form closes; nothing is saved.
func TestEscapeInAFieldCancelsTheForm(t *testing.T) {
	test.NewTempApp(t)
	t.Run("door", func(t *testing.T) {
		e, _ := newAdminEngine(t)
		doors, w := newDoors(t, staffSession(t, e, "keeper", "", core.PermDoorsView, core.PermDoorsEdit))
		escapeOn(doors.s, w)
		doors.tabs.SelectIndex(0)
		stored := doors.doorName.Text
		focusedField(t, w, doors.doorName, "Changed my mind")
		press(w, fyne.KeyEscape)
		if doors.doorName.Text != stored {
			t.Errorf("door name %q after Escape in it, want %q as stored", doors.doorName.Text, stored)
		}
		if doors.doorCat.saved.Visible() {
			t.Error("Escape in the field saved the door")
		}
		test.Tap(doors.doorCat.newBtn)
		focusedField(t, w, doors.doorID, "half-typed")
		press(w, fyne.KeyEscape)
		if doors.doorID.Text != "" {
			t.Errorf("new door's id %q after Escape in it, want empty", doors.doorID.Text)
		}
	})
	t.Run("person", func(t *testing.T) {
		e, _ := newPeopleEngine(t)
		h := newPeopleHarness(t, e, staffAccount(t, e, "hr", "", append(receptionPerms, core.PermAccessEdit)...))
		escapeOn(h.x.s, h.w)
		h.openPerson(t, "ann")
		before, _ := e.Person(testCLI, "ann")
		focusedField(t, h.w, h.x.detail.phone, "+33 6 99 99 99 99")
		press(h.w, fyne.KeyEscape)
		if h.x.detail.phone.Text != before.Phone {
			t.Errorf("phone field %q after Escape, want %q as stored", h.x.detail.phone.Text, before.Phone)
		}
		if p, _ := e.Person(testCLI, "ann"); p.Phone != before.Phone {
			t.Errorf("Escape saved the phone %q", p.Phone)
		}
	})
	t.Run("justification", func(t *testing.T) {
		e, _ := attEngine(t)
		x, w, _ := newJustifTest(t, e, roleAccount(t, e, "rita", core.RoleReceptionist))
		escapeOn(x.s, w)
		test.Tap(x.newBtn)
		focusedField(t, w, x.form.from, "2026-11-23")
		press(w, fyne.KeyEscape)
		if x.form.box.Visible() {
			t.Error("Escape in the date field left the justification form open")
		}
		if js, _ := e.Justifications(testCLI, "", time.Time{}, time.Time{}); len(js) != 0 {
			t.Errorf("Escape saved %v", js)
		}
	})
	t.Run("multi-line field keeps Enter", func(t *testing.T) {
		e, _ := attEngine(t)
		x, w, _ := newJustifTest(t, e, roleAccount(t, e, "rita", core.RoleReceptionist))
		escapeOn(x.s, w)
		test.Tap(x.newBtn)
		w.Canvas().Focus(x.form.reason)
		typeFocused(t, w.Canvas(), "Doctor")
		press(w, fyne.KeyReturn)
		typeFocused(t, w.Canvas(), "Note")
		if x.form.reason.Text != "Doctor\nNote" || !x.form.box.Visible() {
			t.Errorf("reason %q, form shown %v: want a new line, the form open", x.form.reason.Text, x.form.box.Visible())
		}
		if js, _ := e.Justifications(testCLI, "", time.Time{}, time.Time{}); len(js) != 0 {
			t.Errorf("Enter in the reason saved %v", js)
		}
		press(w, fyne.KeyEscape)
		if x.form.box.Visible() {
			t.Error("Escape in the reason left the form open")
		}
	})
}

// TestEscapeInADialogsField: Escape typed in the field of a dialog closes
// it as Cancel would, and nothing happens.
func TestEscapeInADialogsField(t *testing.T) {
	test.NewTempApp(t)
	e, _ := newAdminEngine(t)
	s := staffSession(t, e, "chief", "", core.PermBackupRun)
	restored := 0
	x, _ := newSettings(t, s, func(io.Writer) error { return nil }, func(io.Reader) error { restored++; return nil })
	opened := 0
	x.openFile = func(func(fyne.URIReadCloser, error)) { opened++ }
	w := s.window
	escapeOn(s, w)
	test.Tap(x.restoreBtn)
	var word *formEntry
	for _, o := range test.LaidOutObjects(w.Canvas().Overlays().Top()) {
		if f, ok := o.(*formEntry); ok {
			word = f
		}
	}
	if word == nil {
		t.Fatal("no field in the restore dialog")
	}
	w.Canvas().Focus(word)
	typeFocused(t, w.Canvas(), "RESTORE")
	press(w, fyne.KeyEscape)
	if w.Canvas().Overlays().Top() != nil {
		t.Error("Escape in the dialog's field left it open")
	}
	if opened != 0 || restored != 0 {
		t.Errorf("Escape chose a backup %d times, restored %d", opened, restored)
	}

	// Enter in the field goes on, once the word is right.
	test.Tap(x.restoreBtn)
	word = nil
	for _, o := range test.LaidOutObjects(w.Canvas().Overlays().Top()) {
		if f, ok := o.(*formEntry); ok {
			word = f
		}
	}
	w.Canvas().Focus(word)
	typeFocused(t, w.Canvas(), "restore")
	press(w, fyne.KeyReturn)
	if opened != 0 {
		t.Error("Enter with the word in lower case chose a backup")
	}
	word.SetText("RESTORE")
	press(w, fyne.KeyReturn)
	if opened != 1 {
		t.Errorf("Enter with the word chose a backup %d times, want once", opened)
	}
}

// TestEscapeInAPicker: a first Escape in a search pick closes its list
// and keeps what was typed; a second one cancels the form.
func TestEscapeInAPicker(t *testing.T) {
	_, s, x, w := demoGrants(t)
	escapeOn(s, w)
	c := w.Canvas()
	c.Focus(x.person)
	typeFocused(t, c, "pa")
	if _, shown := shownChoices(x.person); !shown {
		t.Fatal("no list after typing")
	}
	press(w, fyne.KeyEscape)
	if _, shown := shownChoices(x.person); shown {
		t.Error("the first Escape left the list open")
	}
	if x.person.Text != "pa" {
		t.Errorf("the first Escape left %q in the field, want what was typed", x.person.Text)
	}
	if c.Focused() != x.person {
		t.Fatalf("after the list closed %T has the keyboard, want the field", c.Focused())
	}
	press(w, fyne.KeyEscape)
	if x.person.Text != "" {
		t.Errorf("the second Escape left %q in the field, want the form emptied", x.person.Text)
	}
}
