package ui

import (
	"bytes"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"frontdesk/core"
)

// newJustifTest builds the justifications screen of actor in a window,
// with its work handed to ui, and waits for the list.
func newJustifTest(t *testing.T, e *core.Engine, actor core.Actor) (*justifScreen, fyne.Window, uiThread) {
	t.Helper()
	ui := make(uiThread, 64)
	s := attSession(t, e, actor)
	x := newJustifScreen(s)
	x.do = ui.do
	w := showIn(t, s, x.build())
	ui.until(t, "the justifications", func() bool { return !x.busy })
	return x, w, ui
}

// justifRow returns the row of justification id.
func justifRow(t *testing.T, x *justifScreen, id string) int {
	t.Helper()
	for i, j := range x.rows {
		if j.ID == id {
			return i
		}
	}
	t.Fatalf("justification %s not listed", id)
	return -1
}

// annMonday is Ann's attendance on Monday 23 November 2026.
func annMonday(t *testing.T, e *core.Engine) []core.AttendanceEntry {
	t.Helper()
	mon := core.Date{Year: 2026, Month: time.November, Day: 23}
	byPerson, err := e.Attendance(core.CommandLine("test"), core.TimesheetQuery{From: mon, To: mon, Person: "ann"})
	if err != nil {
		t.Fatal(err)
	}
	return byPerson["ann"]
}

func TestJustificationValidatedByManager(t *testing.T) {
	test.NewTempApp(t)
	e, _ := attEngine(t)
	cli := core.CommandLine("test")
	// Ann did not come on Monday; a pending justification covers the day.
	j, err := e.AddJustification(cli, core.Justification{Person: "ann", From: attAt(t, "2026-11-23 00:00"),
		Until: attAt(t, "2026-11-24 00:00"), Reason: "Flu"})
	if err != nil {
		t.Fatal(err)
	}
	old, err := e.AddJustification(cli, core.Justification{Person: "bob", From: attAt(t, "2026-11-02 00:00"),
		Until: attAt(t, "2026-11-03 00:00"), Reason: "Wedding", State: core.JustifValid})
	if err != nil {
		t.Fatal(err)
	}
	recs := annMonday(t, e)
	if len(recs) != 1 || recs[0].State != core.AttendanceAbsent || recs[0].Justified {
		t.Fatalf("Monday %+v, want one unjustified absence", recs)
	}
	manager := roleAccount(t, e, "marie", core.RoleManager)

	x, _, ui := newJustifTest(t, e, manager)
	if len(x.rows) != 2 || x.rows[0].ID != j.ID {
		t.Fatalf("rows %v, want the pending one first of two", x.rows)
	}
	if c := x.cell(0, justifColState); c.text != "Pending" || c.imp != widget.WarningImportance {
		t.Errorf("state cell %+v, want Pending in warning colour", c)
	}
	if got := x.cell(0, 0).text + " | " + x.cell(0, justifColReason).text; got != "Ann Martin | Flu" {
		t.Errorf("row %q", got)
	}
	x.table.Select(widget.TableCellID{Row: 0, Col: 0})
	if !x.detail.Visible() || x.dName.Text != "Ann Martin" {
		t.Fatalf("detail shown %v for %q", x.detail.Visible(), x.dName.Text)
	}
	valid := x.stateBtns[core.JustifValid]
	if valid == nil || !valid.Visible() || valid.Disabled() || !x.stateBox.Visible() {
		t.Fatal("a manager has no Valid button")
	}
	if !x.stateBtns[core.JustifPending].Disabled() {
		t.Error("the button of the current state is enabled")
	}

	test.Tap(valid)
	ui.until(t, "the new state", func() bool { return !x.busy })
	recs = annMonday(t, e)
	if len(recs) != 1 || !recs[0].Justified {
		t.Errorf("Monday %+v, want the absence justified", recs)
	}
	i := justifRow(t, x, j.ID)
	if c := x.cell(i, justifColState); c.text != "Valid" || c.imp != widget.SuccessImportance {
		t.Errorf("state cell %+v, want Valid in success colour", c)
	}
	if x.dState.Text != "Valid" || !x.stateBtns[core.JustifValid].Disabled() {
		t.Errorf("detail state %q, Valid button enabled %v", x.dState.Text, !x.stateBtns[core.JustifValid].Disabled())
	}

	// The filter by state: only the invalid ones, none.
	x.filter.SetSelected("Invalid")
	if len(x.rows) != 0 {
		t.Errorf("invalid filter shows %d rows", len(x.rows))
	}
	x.filter.SetSelected("Valid")
	if len(x.rows) != 2 || x.rows[0].ID != j.ID || x.rows[1].ID != old.ID {
		t.Errorf("valid filter shows %v, want both, latest first", x.rows)
	}
}

func TestJustificationByReceptionist(t *testing.T) {
	test.NewTempApp(t)
	e, _ := attEngine(t)
	cli := core.CommandLine("test")
	other, err := e.AddJustification(cli, core.Justification{Person: "bob", From: attAt(t, "2026-11-20 09:00"),
		Until: attAt(t, "2026-11-20 12:00"), Reason: "Private matter"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.AttachFile(cli, other.ID, "private.pdf", []byte("secret")); err != nil {
		t.Fatal(err)
	}
	rita := roleAccount(t, e, "rita", core.RoleReceptionist)

	x, w, ui := newJustifTest(t, e, rita)
	// Someone else's reason and files are withheld from her.
	i := justifRow(t, x, other.ID)
	if got := x.cell(i, justifColReason).text; got != "—" {
		t.Errorf("reason of another's justification %q, want —", got)
	}
	if got := x.cell(i, justifColFiles).text; got != "0" {
		t.Errorf("files of another's justification %q, want 0 seen", got)
	}

	if !x.newBtn.Visible() {
		t.Fatal("a receptionist does not see New")
	}
	test.Tap(x.newBtn)
	f := x.form
	attChoose(t, ui, f.who, "ann")
	// A period that ends before it starts: said, nothing saved.
	f.from.SetText("2026-11-24")
	f.to.SetText("2026-11-23")
	f.reason.SetText("Dentist")
	test.Tap(f.save)
	if p := f.spots.shownText("until"); p != "To: must be after the start" {
		t.Errorf("problem %q, want To: must be after the start", p)
	}
	if js, _ := e.Justifications(cli, "ann", time.Time{}, time.Time{}); len(js) != 0 {
		t.Fatalf("justifications %v after bad input", js)
	}

	// A date alone as To is the end of that day: the 23rd whole.
	f.from.SetText("2026-11-23")
	f.to.SetText("2026-11-23")
	test.Tap(f.save)
	js, err := e.Justifications(cli, "ann", time.Time{}, time.Time{})
	if err != nil || len(js) != 1 {
		t.Fatalf("Ann's justifications %v (%v), want the new one", js, err)
	}
	j := js[0]
	if j.State != core.JustifPending || j.Reason != "Dentist" || j.DepositedBy != rita.String() ||
		!j.From.Equal(attAt(t, "2026-11-23 00:00")) || !j.Until.Equal(attAt(t, "2026-11-24 00:00")) {
		t.Errorf("stored %+v", j)
	}
	ui.until(t, "the list with it", func() bool { return !x.busy })
	if f.box.Visible() || x.selected != j.ID || !x.detail.Visible() {
		t.Fatalf("after save: form shown %v, selected %q, detail shown %v", f.box.Visible(), x.selected, x.detail.Visible())
	}
	// Her own reason she sees.
	if got := x.cell(justifRow(t, x, j.ID), justifColReason).text; got != "Dentist" {
		t.Errorf("own reason %q", got)
	}

	// No state buttons without justif.validate, neither as fields nor on screen.
	if len(x.stateBtns) != 0 || x.stateBox.Visible() {
		t.Errorf("%d state buttons (box shown %v) for a receptionist", len(x.stateBtns), x.stateBox.Visible())
	}
	for _, o := range test.LaidOutObjects(w.Content()) {
		if b, ok := o.(*widget.Button); ok && b.Visible() && (b.Text == "Valid" || b.Text == "Invalid") {
			t.Errorf("button %q shown to a receptionist", b.Text)
		}
	}

	// Attach a file as the dialog does.
	data := []byte("%PDF-1.4 a dentist's note")
	x.attachFile("note médicale.pdf", data)
	ui.until(t, "the file listed", func() bool { return !x.busy && len(x.fileRows) == 1 })
	r := x.fileRows[0]
	if r.name.Text != "note médicale.pdf" || !strings.Contains(r.trace.Text, "by "+rita.String()) || !r.open.Visible() || !r.del.Visible() {
		t.Errorf("file row %q %q, open %v delete %v", r.name.Text, r.trace.Text, r.open.Visible(), r.del.Visible())
	}
	got, stored, err := e.FileContent(rita, j.ID, r.file.ID)
	if err != nil || !bytes.Equal(got, data) || stored.Name != "note médicale.pdf" {
		t.Errorf("stored file %q %+v (%v)", got, stored, err)
	}
	if got := x.cell(justifRow(t, x, j.ID), justifColFiles).text; got != "1" {
		t.Errorf("files column %q, want 1", got)
	}

	// Open it: a temporary file with its content goes to the viewer.
	var opened *url.URL
	x.openURL = func(u *url.URL) error { opened = u; return nil }
	test.Tap(r.open)
	if opened == nil || opened.Scheme != "file" {
		t.Fatalf("opened %v, want a file URL", opened)
	}
	t.Cleanup(func() { os.Remove(opened.Path) })
	if b, err := os.ReadFile(opened.Path); err != nil || !bytes.Equal(b, data) {
		t.Errorf("opened file holds %q (%v)", b, err)
	}

	// Too large: refused in words, nothing stored.
	x.attachFile("scan.tiff", make([]byte, 6<<20))
	if !x.fileProblem.Visible() || !strings.Contains(x.fileProblem.Text, "6.0 MB, more than the 5 MB allowed") {
		t.Errorf("problem %q (shown %v), want the size limit in words", x.fileProblem.Text, x.fileProblem.Visible())
	}
	js, _ = e.Justifications(cli, "ann", time.Time{}, time.Time{})
	if n := len(js[0].Files); n != 1 {
		t.Errorf("%d files after a refused one, want 1", n)
	}

	// Delete the file (no window: no question); its trace stays.
	x.s.window = nil
	test.Tap(r.del)
	ui.until(t, "the deleted file", func() bool { return !x.busy })
	r = x.fileRows[0]
	if !strings.Contains(r.trace.Text, "Deleted at") || r.open.Visible() {
		t.Errorf("trace %q, open shown %v; want the deletion traced", r.trace.Text, r.open.Visible())
	}
	js, _ = e.Justifications(cli, "ann", time.Time{}, time.Time{})
	if !js[0].Files[0].Deleted() {
		t.Error("the file was not deleted")
	}
}

func TestJustificationsReadOnly(t *testing.T) {
	test.NewTempApp(t)
	e, _ := attEngine(t)
	cli := core.CommandLine("test")
	if _, err := e.AddJustification(cli, core.Justification{Person: "ann", From: attAt(t, "2026-11-23 00:00"),
		Until: attAt(t, "2026-11-24 00:00"), Reason: "Flu"}); err != nil {
		t.Fatal(err)
	}
	addRole(t, e, "viewer", "viewer", core.PermAttendanceView)
	vic := roleAccount(t, e, "vic", "viewer")
	x, _, _ := newJustifTest(t, e, vic)
	if x.newBtn.Visible() {
		t.Error("New shown without justif.edit")
	}
	x.table.Select(widget.TableCellID{Row: 0, Col: 0})
	if !x.detail.Visible() {
		t.Fatal("no detail for a viewer")
	}
	for _, o := range []fyne.CanvasObject{x.editBtn, x.deleteBtn, x.attachBtn} {
		if attVisibleInTree(x.detail, o) {
			t.Errorf("%q offered without justif.edit", o.(*widget.Button).Text)
		}
	}
	if x.cell(0, justifColReason).text != "—" {
		t.Errorf("reason %q shown without justif.view", x.cell(0, justifColReason).text)
	}
}

// attVisibleInTree reports whether o and every container above it in root
// are visible.
func attVisibleInTree(root fyne.CanvasObject, o fyne.CanvasObject) bool {
	var walk func(c fyne.CanvasObject) (found, visible bool)
	walk = func(c fyne.CanvasObject) (bool, bool) {
		if c == o {
			return true, c.Visible()
		}
		if cont, ok := c.(*fyne.Container); ok {
			for _, child := range cont.Objects {
				if found, vis := walk(child); found {
					return true, vis && c.Visible()
				}
			}
		}
		return false, false
	}
	_, vis := walk(root)
	return vis
}
