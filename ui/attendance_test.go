package ui

import (
	"context"
	"log/slog"
	"slices"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"frontdesk/core"
)

// attSite has a day shift with a lunch break on weekdays (as in
// core/timesheet_test.go), three people of the staff department on it,
// and Zed with no department and no shift. Monday 23 November 2026 is the
// reference day.
const attSite = `{
  "site": {"name": "Attendance HQ", "timezone": "Europe/Paris", "desk_zone": "office"},
  "zones": [{"id": "outside", "name": "Outside"}, {"id": "office", "name": "Office", "work": true}],
  "shifts": [{"id": "day", "name": "Day", "week": {"mon": ["09:00-12:30", "13:30-17:30"], "tue": ["09:00-12:30", "13:30-17:30"],
                "wed": ["09:00-12:30", "13:30-17:30"], "thu": ["09:00-12:30", "13:30-17:30"], "fri": ["09:00-12:30", "13:30-17:30"]}}],
  "doors": [{"id": "main", "name": "Main", "from": "outside", "to": "office"}],
  "devices": [{"id": "in", "kind": "sim", "door": "main", "direction": "in"},
              {"id": "out", "kind": "sim", "door": "main", "direction": "out"},
              {"id": "desk", "kind": "sim", "desk": true}],
  "access_levels": [{"id": "all", "name": "All", "rules": [{"doors": ["main"]}]}],
  "departments": [{"id": "staff", "name": "Staff", "access_level": "all", "shift": "day"},
                  {"id": "sales", "name": "Sales", "access_level": "all", "shift": "day"}],
  "people": [
    {"id": "ann", "name": "Ann Martin", "started": "2026-01-01", "phone": "+33 6 12 34 56 78", "department": "staff", "cards": ["em:0100000001"]},
    {"id": "bob", "name": "Bob Stone", "started": "2026-01-01", "department": "staff", "cards": ["em:0100000002"]},
    {"id": "cid", "name": "Cid Moreau", "started": "2026-01-01", "department": "sales", "cards": ["em:0100000003"]},
    {"id": "zed", "name": "Zed", "started": "2026-01-01", "access_levels": ["all"], "cards": ["em:0100000004"]}]
}`

var attCards = map[string]string{"ann": "em:0100000001", "bob": "em:0100000002", "cid": "em:0100000003", "zed": "em:0100000004"}

// attEngine imports attSite; the clock reads Tuesday 2026-11-24 10:00 in
// Paris.
func attEngine(t *testing.T) (*core.Engine, *clock) {
	t.Helper()
	return siteEngine(t, attSite, time.Date(2026, 11, 24, 10, 0, 0, 0, paris))
}

// attTap taps person's card at reader at a local "2006-01-02 15:04".
func attTap(t *testing.T, e *core.Engine, person, reader, at string) {
	t.Helper()
	ev, err := e.Tap(core.Tap{Reader: reader, Code: attCards[person], At: attAt(t, at)})
	if err != nil {
		t.Fatal(err)
	}
	if ev.Result.Denied() {
		t.Fatalf("tap of %s at %s: %s", person, at, ev.Explanation)
	}
}

// attAt reads a local "2006-01-02 15:04" in Paris, as the engine reads
// local times.
func attAt(t *testing.T, s string) time.Time {
	t.Helper()
	v, err := core.ParseTime(s, paris)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// attFailLog fails the test on any error a screen reports (s.fail).
type attFailLog struct{ t *testing.T }

func (h attFailLog) Enabled(_ context.Context, l slog.Level) bool { return l >= slog.LevelError }
func (h attFailLog) Handle(_ context.Context, r slog.Record) error {
	var b strings.Builder
	r.Attrs(func(a slog.Attr) bool {
		b.WriteString(" " + a.String())
		return true
	})
	h.t.Errorf("screen error: %s%s", r.Message, b.String())
	return nil
}
func (h attFailLog) WithAttrs([]slog.Attr) slog.Handler { return h }
func (h attFailLog) WithGroup(string) slog.Handler      { return h }

// attSession is a session of actor with no bridge and no timers: tests
// drive them.
func attSession(t *testing.T, e *core.Engine, actor core.Actor) *session {
	t.Helper()
	s, err := newSession(e, actor, slog.New(attFailLog{t}), nil)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// newAttendanceTest builds the attendance screen of actor in a window,
// with its work handed to ui.
func newAttendanceTest(t *testing.T, e *core.Engine, actor core.Actor) (*attendanceScreen, fyne.Window, uiThread) {
	t.Helper()
	ui := make(uiThread, 64)
	s := attSession(t, e, actor)
	x := newAttendanceScreen(s)
	x.do = ui.do
	w := showIn(t, s, x.build())
	ui.until(t, "the sheet of now", func() bool { return !x.today.busy })
	return x, w, ui
}

// attChoose picks the person named id with p's search, as a user does.
func attChoose(t *testing.T, ui uiThread, p *attPicker, id string) {
	t.Helper()
	p.open()
	if p.popup == nil || !p.popup.Visible() {
		t.Fatal("the person search did not open")
	}
	p.search.SetText(id)
	ui.until(t, "the search for "+id, func() bool {
		return len(p.found) > 0 && p.found[0].ID == id
	})
	p.list.Select(0)
	if p.id != id || p.popup.Visible() {
		t.Fatalf("picker holds %q (popup shown %v), want %s chosen", p.id, p.popup.Visible(), id)
	}
}

func TestAttendanceTimesheetShowsLateDay(t *testing.T) {
	test.NewTempApp(t)
	e, _ := attEngine(t)
	attTap(t, e, "ann", "in", "2026-11-23 09:20")
	attTap(t, e, "ann", "out", "2026-11-23 17:30")
	attTap(t, e, "bob", "in", "2026-11-23 08:55")
	attTap(t, e, "bob", "out", "2026-11-23 17:35")
	manager := roleAccount(t, e, "marie", core.RoleManager)

	x, w, ui := newAttendanceTest(t, e, manager)
	x.tabs.SelectIndex(1)
	ui.until(t, "the timesheet", func() bool { return x.sheet.computed && !x.sheet.busy })
	if got := x.sheet.monthName.Text; got != "November 2026" {
		t.Errorf("month %q, want November 2026 (the site's current month)", got)
	}

	row := attSheetRowOf(t, x.sheet, "ann", "Mon 23")
	want := map[int]string{
		attColStatus: "Late", attColScheduled: "7:30", attColWorked: "7:10", attColPresence: "8:10",
		attColOvertime: "1:00", attColLate: "0:20", attColEarly: "", attColIn: "09:20", attColOut: "17:30",
	}
	for col, text := range want {
		if got := x.sheet.cell(row, col).text; got != text {
			t.Errorf("Ann's Monday, column %d: %q, want %q", col, got, text)
		}
	}
	if imp := x.sheet.cell(row, attColStatus).imp; imp != widget.WarningImportance {
		t.Errorf("late status importance %v, want warning", imp)
	}
	bobRow := attSheetRowOf(t, x.sheet, "bob", "Mon 23")
	if got := x.sheet.cell(bobRow, attColStatus).text; got != "Present" {
		t.Errorf("Bob's Monday %q, want Present", got)
	}
	if got := x.sheet.cell(bobRow, attColLate).text; got != "" {
		t.Errorf("Bob's late %q, want none", got)
	}
	// Tuesday, 10:00: Ann has not come, her shift began an hour ago.
	if got := x.sheet.cell(attSheetRowOf(t, x.sheet, "ann", "Tue 24"), attColStatus).text; got != "Absent" {
		t.Errorf("Ann's Tuesday %q, want Absent", got)
	}

	// On screen: the table scrolled to Ann's Monday shows the late minutes.
	if showsText(w, "0:20") {
		t.Error("0:20 shown before scrolling to Ann's Monday") // the check can fail
	}
	x.sheet.table.ScrollTo(widget.TableCellID{Row: row, Col: attColLate})
	if !showsText(w, "0:20") {
		t.Error("the table does not show Ann's 0:20 late")
	}

	// Only Ann: her rows and her totals.
	x.sheet.who.set(core.PersonRef{ID: "ann", Name: "Ann Martin"})
	x.sheet.compute()
	ui.until(t, "Ann's timesheet", func() bool { return !x.sheet.busy })
	if n := len(x.sheet.rows); n != 31 {
		t.Fatalf("Ann's November has %d rows, want 30 days and a total", n)
	}
	total := x.sheet.cell(30, attColLate).text
	if total != "0:20" || x.sheet.cell(30, attColDate).text != "Total" {
		t.Errorf("total row %q late %q, want Total 0:20", x.sheet.cell(30, attColDate).text, total)
	}

	// The previous month is empty of late days.
	test.Tap(x.sheet.prev)
	ui.until(t, "October", func() bool { return !x.sheet.busy })
	if got := x.sheet.monthName.Text; got != "October 2026" {
		t.Errorf("month %q after ◀, want October 2026", got)
	}
	if got := x.sheet.cell(31, attColLate).text; got != "" {
		t.Errorf("October's late total %q, want none", got)
	}
}

// attSheetRowOf finds the row of person's date in the timesheet table.
func attSheetRowOf(t *testing.T, tab *attSheetTab, person, date string) int {
	t.Helper()
	for i, r := range tab.rows {
		if r.day >= 0 && tab.sheet.People[r.person].Person == person && tab.cell(i, attColDate).text == date {
			return i
		}
	}
	t.Fatalf("no row for %s on %s", person, date)
	return -1
}

func TestAttendanceTodaySheet(t *testing.T) {
	test.NewTempApp(t)
	e, c := attEngine(t)
	attTap(t, e, "ann", "in", "2026-11-24 09:02")
	attTap(t, e, "cid", "in", "2026-11-24 08:30")
	attTap(t, e, "cid", "out", "2026-11-24 09:40")
	viewer := roleAccount(t, e, "rita", core.RoleReceptionist)

	x, _, ui := newAttendanceTest(t, e, viewer)
	tab := x.today
	if n := tab.inCount(); n != 1 || tab.inCell(0, 0).text != "Ann Martin" || tab.inCell(0, 3).text != "09:02" ||
		tab.inCell(0, 4).text != "+33 6 12 34 56 78" {
		t.Fatalf("in: %d, first %q since %q phone %q; want Ann since 09:02 with her phone",
			n, tab.inCell(0, 0).text, tab.inCell(0, 3).text, tab.inCell(0, 4).text)
	}
	var expected []string
	for i := range tab.expectedCount() {
		expected = append(expected, tab.expectedCell(i, 0).text+": "+tab.expectedCell(i, 4).text)
	}
	want := []string{"Bob Stone: Not in", "Cid Moreau: Left at 09:40"}
	if !slices.Equal(expected, want) {
		t.Errorf("expected %q, want %q (Zed has no shift)", expected, want)
	}

	// A department: only Sales.
	tab.dept.sel.SetSelected("Sales")
	ui.until(t, "the sheet of Sales", func() bool { return !tab.busy })
	if tab.inCount() != 0 || tab.expectedCount() != 1 {
		t.Errorf("Sales: %d in, %d expected, want 0 and Cid", tab.inCount(), tab.expectedCount())
	}
	tab.dept.sel.SetSelectedIndex(0)
	ui.until(t, "everyone again", func() bool { return !tab.busy && tab.inCount() == 1 })

	// A tap while the sheet follows now: Bob comes in.
	c.now = attAt(t, "2026-11-24 10:05")
	attTap(t, e, "bob", "in", "2026-11-24 10:05")
	x.addEvents([]core.Event{{Seq: 99}})
	ui.until(t, "Bob in", func() bool { return !tab.busy && tab.inCount() == 2 })

	// At a chosen time: Monday 08:00, before anyone's shift.
	tab.date.SetText("2026-11-23")
	tab.clock.SetText("08:00")
	test.Tap(tab.showBtn)
	ui.until(t, "Monday 08:00", func() bool { return !tab.busy })
	if tab.live || tab.inCount() != 0 || tab.expectedCount() != 0 {
		t.Errorf("Monday 08:00: live %v, %d in, %d expected; want a still sheet, nobody", tab.live, tab.inCount(), tab.expectedCount())
	}
	if !strings.HasPrefix(tab.status.Text, "At 2026-11-23 08:00") {
		t.Errorf("status %q, want the chosen time", tab.status.Text)
	}
	// A mistake in the time is said, and the sheet stays.
	tab.clock.SetText("25:99")
	test.Tap(tab.showBtn)
	if !tab.problem.Visible() || !strings.Contains(tab.problem.Text, "Time") {
		t.Errorf("problem %q (shown %v), want the time's mistake", tab.problem.Text, tab.problem.Visible())
	}
}

func TestAttendanceRecordByHand(t *testing.T) {
	test.NewTempApp(t)
	e, _ := attEngine(t)
	attTap(t, e, "ann", "in", "2026-11-23 09:00")
	attTap(t, e, "ann", "out", "2026-11-23 17:30")
	manager := roleAccount(t, e, "marie", core.RoleManager)
	cli := core.CommandLine("test")

	x, _, ui := newAttendanceTest(t, e, manager)
	x.tabs.SelectIndex(2)
	tab := x.records
	ui.until(t, "the records", func() bool { return tab.computed && !tab.busy })
	before := len(tab.rows)
	if before == 0 {
		t.Fatal("no derived records shown")
	}
	if !tab.add.Visible() {
		t.Fatal("a manager does not see Add a record")
	}

	test.Tap(tab.add)
	f := tab.form
	if !f.box.Visible() {
		t.Fatal("the form did not open")
	}
	attChoose(t, ui, f.who, "ann")

	// A period that ends before it starts: said under the fields, nothing saved.
	f.from.SetText("2026-11-24 12:00")
	f.to.SetText("2026-11-24 09:00")
	f.state.SetSelected("Absent")
	f.desc.SetText("Doctor")
	test.Tap(f.save)
	if p := f.spots.shownText("until"); p != "To: must be after the start" {
		t.Errorf("problem %q, want To: must be after the start", p)
	}
	// A time nobody can read.
	f.from.SetText("tuesday morning")
	test.Tap(f.save)
	if p := f.spots.shownText("from"); !strings.HasPrefix(p, "From: 'tuesday morning' is not a date") {
		t.Errorf("problem %q, want the From field named", p)
	}
	if recs, err := e.AttendanceRecords(cli, "", time.Time{}, time.Time{}); err != nil || len(recs) != 0 {
		t.Fatalf("records %v (%v) after bad input, want none", recs, err)
	}
	if !f.box.Visible() {
		t.Fatal("the form closed on bad input")
	}

	f.from.SetText("2026-11-24 09:00")
	f.to.SetText("2026-11-24 12:00")
	test.Tap(f.save)
	if f.problem.Visible() {
		t.Fatalf("problem %q on good input", f.problem.Text)
	}
	recs, err := e.AttendanceRecords(cli, "ann", time.Time{}, time.Time{})
	if err != nil || len(recs) != 1 {
		t.Fatalf("records %v (%v), want the one entered", recs, err)
	}
	r := recs[0]
	if r.State != core.AttendanceAbsent || !r.From.Equal(attAt(t, "2026-11-24 09:00")) || !r.Until.Equal(attAt(t, "2026-11-24 12:00")) ||
		r.Description != "Doctor" || r.EnteredBy != manager.String() {
		t.Errorf("stored %+v, want absent 09:00-12:00 Doctor by %s", r, manager)
	}
	ui.until(t, "the list again", func() bool { return !tab.busy })
	i := slices.IndexFunc(tab.rows, func(row attRecordRow) bool { return row.entry.ID == r.ID })
	if i < 0 {
		t.Fatalf("the record is not in the list of %d rows", len(tab.rows))
	}
	if got := tab.cell(i, 0).text + " | " + tab.cell(i, 1).text + " | " + tab.cell(i, 3).text + " | " + tab.cell(i, 6).text; got != "Ann Martin | 2026-11-24 09:00 | Absent | Doctor" {
		t.Errorf("row %q", got)
	}
	if got := tab.cell(i, 5).text; !strings.HasPrefix(got, "By hand: ") {
		t.Errorf("source %q, want by hand", got)
	}

	// Edit it: the form comes filled; the state changes to late.
	tab.table.Select(widget.TableCellID{Row: i, Col: 0})
	if tab.edit.Disabled() || tab.del.Disabled() {
		t.Fatal("a record by hand cannot be edited")
	}
	test.Tap(tab.edit)
	if f.from.Text != "2026-11-24 09:00" || f.who.id != "ann" || f.desc.Text != "Doctor" {
		t.Errorf("edit form %q %q %q", f.from.Text, f.who.id, f.desc.Text)
	}
	f.state.SetSelected("Late")
	test.Tap(f.save)
	recs, _ = e.AttendanceRecords(cli, "ann", time.Time{}, time.Time{})
	if len(recs) != 1 || recs[0].State != core.AttendanceLate {
		t.Errorf("after edit %+v, want one late record", recs)
	}
	ui.until(t, "the list again", func() bool { return !tab.busy })

	// A derived record cannot be edited.
	d := slices.IndexFunc(tab.rows, func(row attRecordRow) bool { return row.entry.Derived })
	tab.table.Select(widget.TableCellID{Row: d, Col: 0})
	if !tab.edit.Disabled() {
		t.Error("a derived record can be edited")
	}

	// Delete the record by hand (no window in the session: no question).
	x.s.window = nil
	i = slices.IndexFunc(tab.rows, func(row attRecordRow) bool { return !row.entry.Derived })
	tab.table.Select(widget.TableCellID{Row: i, Col: 0})
	test.Tap(tab.del)
	if recs, _ := e.AttendanceRecords(cli, "", time.Time{}, time.Time{}); len(recs) != 0 {
		t.Errorf("after delete: %v", recs)
	}
	ui.until(t, "the list without it", func() bool { return !tab.busy && len(tab.rows) == before })
}

func TestAttendanceRecordsHiddenWithoutEdit(t *testing.T) {
	test.NewTempApp(t)
	e, _ := attEngine(t)
	addRole(t, e, "viewer", "viewer", core.PermAttendanceView)
	viewer := roleAccount(t, e, "vic", "viewer")
	x, _, ui := newAttendanceTest(t, e, viewer)
	x.tabs.SelectIndex(2)
	ui.until(t, "the records", func() bool { return x.records.computed && !x.records.busy })
	for _, b := range []*widget.Button{x.records.add, x.records.edit, x.records.del} {
		if b.Visible() {
			t.Errorf("button %q shown without attendance.edit", b.Text)
		}
	}
	if len(x.records.rows) == 0 {
		t.Error("the records are not shown to a viewer")
	}
}

func TestAttendanceMetrics(t *testing.T) {
	test.NewTempApp(t)
	e, _ := attEngine(t)
	attTap(t, e, "ann", "in", "2026-11-23 09:30")
	attTap(t, e, "ann", "out", "2026-11-23 17:30")
	manager := roleAccount(t, e, "marie", core.RoleManager)
	x, _, ui := newAttendanceTest(t, e, manager)
	tab := x.metrics
	tab.from.SetText("2026-11-23")
	tab.to.SetText("2026-11-23")
	tab.who.set(core.PersonRef{ID: "ann", Name: "Ann Martin"})
	test.Tap(tab.showBtn)
	ui.until(t, "the metrics", func() bool { return tab.computed && !tab.busy })
	// Late row: one record, one day, the morning, half an hour; unjustified.
	for i, want := range [][4]string{
		{"1", "1", "2", "8.00"}, {"1", "1", "1", "0.50"}, {"0", "0", "0", "0.00"}, {"1", "1", "1", "0.50"},
	} {
		for j := range want {
			if got := tab.cells[i][j].Text; got != want[j] {
				t.Errorf("row %d column %d: %q, want %q", i, j, got, want[j])
			}
		}
	}
	tab.to.SetText("2026-11-01")
	test.Tap(tab.showBtn)
	if !tab.problem.Visible() {
		t.Error("a period ending before it starts is not said")
	}
}

// TestAttendanceShots renders the screens to PNG files for a look, when
// FRONTDESK_SHOTS names a folder.
func TestAttendanceShots(t *testing.T) {
	test.NewTempApp(t)
	e, _ := attEngine(t)
	attTap(t, e, "ann", "in", "2026-11-23 09:20")
	attTap(t, e, "ann", "out", "2026-11-23 17:30")
	attTap(t, e, "bob", "in", "2026-11-23 08:55")
	attTap(t, e, "bob", "out", "2026-11-23 17:35")
	attTap(t, e, "ann", "in", "2026-11-24 09:02")
	attTap(t, e, "cid", "in", "2026-11-24 08:30")
	attTap(t, e, "cid", "out", "2026-11-24 09:40")
	cli := core.CommandLine("test")
	j, err := e.AddJustification(cli, core.Justification{Person: "bob", From: attAt(t, "2026-11-24 00:00"),
		Until: attAt(t, "2026-11-25 00:00"), Reason: "Sick child, certificate attached"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.AttachFile(cli, j.ID, "certificat médical.pdf", []byte("%PDF-1.4 test")); err != nil {
		t.Fatal(err)
	}
	if _, err := e.AddJustification(cli, core.Justification{Person: "cid", From: attAt(t, "2026-11-20 09:00"),
		Until: attAt(t, "2026-11-20 12:00"), Reason: "Train strike", State: core.JustifValid}); err != nil {
		t.Fatal(err)
	}
	manager := roleAccount(t, e, "marie", core.RoleManager)

	x, w, ui := newAttendanceTest(t, e, manager)
	shot(t, w, "attendance-today")
	x.tabs.SelectIndex(1)
	ui.until(t, "the timesheet", func() bool { return !x.sheet.busy })
	shot(t, w, "attendance-timesheet")
	x.tabs.SelectIndex(2)
	ui.until(t, "the records", func() bool { return !x.records.busy })
	test.Tap(x.records.add)
	x.records.form.to.SetText("2026-11-24 09:00")
	x.records.form.from.SetText("2026-11-24 12:00")
	test.Tap(x.records.form.save)
	shot(t, w, "attendance-records")
	x.tabs.SelectIndex(3)
	ui.until(t, "the metrics", func() bool { return !x.metrics.busy })
	shot(t, w, "attendance-metrics")

	js, w2, ui2 := newJustifTest(t, e, manager)
	js.show(j.ID)
	ui2.until(t, "loaded", func() bool { return !js.busy })
	shot(t, w2, "justifications")
	test.Tap(js.newBtn)
	shot(t, w2, "justifications-new")
	js.form.close()
	js.who.open()
	js.who.search.SetText("o")
	ui2.until(t, "search", func() bool { return len(js.who.found) > 0 })
	shot(t, w2, "person-search")
}
