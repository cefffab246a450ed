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

func newAccess(t *testing.T, e *core.Engine) (*accessScreen, *session) {
	t.Helper()
	s := staffSession(t, e, "planner", "", core.PermAccessEdit, core.PermDoorsView)
	x := newAccessScreen(s)
	showIn(t, s, x.build())
	return x, s
}

func shift(t *testing.T, e *core.Engine, id string) core.Shift {
	t.Helper()
	shifts, err := e.Shifts(testCLI)
	if err != nil {
		t.Fatal(err)
	}
	for _, sh := range shifts {
		if sh.ID == id {
			return sh
		}
	}
	t.Fatalf("no shift %s", id)
	return core.Shift{}
}

func TestAccessWeekEditor(t *testing.T) {
	test.NewTempApp(t)
	e, _ := newAdminEngine(t)
	x, _ := newAccess(t, e)
	x.tabs.SelectIndex(1)
	if x.shiftID.Text != "day" {
		t.Fatalf("shift shown %q, want day", x.shiftID.Text)
	}
	monday := x.shiftWeek.days[0]
	test.Type(monday, "25:00-26:00")
	problem := x.shiftWeek.problems[0]
	if !problem.Visible() || !strings.Contains(problem.Text, `"25:00"`) {
		t.Fatalf("Monday's problem %q (shown %v), want the bad start", problem.Text, problem.Visible())
	}
	test.Tap(x.shiftCat.saveBtn)
	if !x.shiftCat.problem.Visible() {
		t.Error("saving a bad week shows no problem under the form")
	}
	if got := shift(t, e, "day").Week[time.Monday]; len(got) != 0 {
		t.Fatalf("a bad week changed Monday to %v", got)
	}

	monday.SetText("09:00-12:30, 13:30-17:30")
	if problem.Visible() {
		t.Errorf("problem %q still shown for a good day", problem.Text)
	}
	test.Tap(x.shiftCat.saveBtn)
	if x.shiftCat.problem.Visible() {
		t.Fatalf("save refused: %s", x.shiftCat.problem.Text)
	}
	sh := shift(t, e, "day")
	if got := windowsText(sh.Week[time.Monday]); got != "09:00-12:30, 13:30-17:30" {
		t.Errorf("Monday %q, want 09:00-12:30, 13:30-17:30", got)
	}
	if got := windowsText(sh.Week[time.Tuesday]); got != "09:00-17:00" {
		t.Errorf("Tuesday %q, want it kept", got)
	}
	if x.shiftWeek.days[0].Text != "09:00-12:30, 13:30-17:30" {
		t.Errorf("editor shows %q after saving", x.shiftWeek.days[0].Text)
	}
}

func TestAccessWeekOverlapsAcrossMidnight(t *testing.T) {
	test.NewTempApp(t)
	e, _ := newAdminEngine(t)
	x, _ := newAccess(t, e)
	x.tabs.SelectIndex(1)
	test.Tap(x.shiftCat.newBtn)
	x.shiftID.SetText("night")
	x.shiftName.SetText("Night")
	x.shiftWeek.days[0].SetText("22:00-06:00")
	x.shiftWeek.days[1].SetText("05:00-13:00")
	test.Tap(x.shiftCat.saveBtn)
	if p := x.shiftWeek.problems[1]; !p.Visible() || !strings.Contains(p.Text, "past midnight") {
		t.Errorf("Tuesday's problem %q, want the overlap with Monday's night", p.Text)
	}
	if n := len(x.shifts); n != 1 {
		t.Fatalf("%d shifts after a refused save, want 1", n)
	}
	x.shiftWeek.days[1].SetText("06:00-13:00")
	test.Tap(x.shiftCat.saveBtn)
	if sh := shift(t, e, "night"); windowsText(sh.Week[time.Monday]) != "22:00-06:00" {
		t.Errorf("night shift %v", sh.Week)
	}
	if x.shiftCat.current != 1 || x.shiftID.Text != "night" {
		t.Errorf("after saving a new shift the form shows %q, want night", x.shiftID.Text)
	}
}

func TestAccessLevelsAndSchedules(t *testing.T) {
	test.NewTempApp(t)
	e, _ := newAdminEngine(t)
	x, s := newAccess(t, e)
	w := s.window

	// A schedule an access level uses is not deleted.
	test.Tap(x.schedCat.delBtn)
	tapDialog(t, w, "Delete")
	if p := x.schedCat.problem; !p.Visible() || !strings.Contains(p.Text, "used by access level all") {
		t.Errorf("problem %q, want the level that uses the schedule", p.Text)
	}

	x.tabs.SelectIndex(3)
	test.Tap(x.levelCat.newBtn)
	x.levelID.SetText("lab-only")
	x.levelName.SetText("Lab only")
	pick := x.rules[0].doors.add
	test.Type(pick, "la")
	pick.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	test.Type(pick, "nope")
	x.rules[0].schedule.setID("office-hours")
	test.Tap(x.levelCat.saveBtn)
	if p := x.levelCat.form.spots.shownText("rules"); p != "Rules: no door called 'nope'" {
		t.Errorf("problem %q, want the unknown door", p)
	}
	pick.SetText("")
	test.Tap(x.levelCat.saveBtn)
	levels, err := e.AccessLevels(testCLI)
	if err != nil {
		t.Fatal(err)
	}
	if len(levels) != 2 || levels[1].ID != "lab-only" || levels[1].Rules[0].Schedule != "office-hours" ||
		strings.Join(levels[1].Rules[0].Doors, ",") != "lab" {
		t.Errorf("levels %+v, want lab-only with lab during office hours", levels)
	}

	x.tabs.SelectIndex(2)
	test.Tap(x.holCat.newBtn)
	x.holDate.SetText("2027-01-01")
	x.holName.SetText("New year")
	test.Tap(x.holCat.saveBtn)
	hols, _ := e.Holidays(testCLI)
	if len(hols) != 2 || hols[1].Name != "New year" {
		t.Errorf("holidays %v, want New year added", hols)
	}
	test.Tap(x.holCat.delBtn)
	tapDialog(t, w, "Delete")
	if hols, _ = e.Holidays(testCLI); len(hols) != 1 {
		t.Errorf("holidays %v after deleting one", hols)
	}
}

// TestAccessShiftKeepsBreaks: saving a shift's week keeps the
// paid_breaks and auto_breaks the site file set, which the form shows.
func TestAccessShiftKeepsBreaks(t *testing.T) {
	test.NewTempApp(t)
	e, _ := newAdminEngine(t)
	sh := shift(t, e, "day")
	sh.PaidBreaks = true
	sh.AutoBreaks = []core.AutoBreak{{After: core.Duration(6 * time.Hour), Deduct: core.Duration(30 * time.Minute)}}
	if err := e.PutObject(testCLI, &core.SiteFile{Shifts: []core.Shift{sh}}); err != nil {
		t.Fatal(err)
	}
	x, _ := newAccess(t, e)
	x.tabs.SelectIndex(1)
	x.shiftName.SetText("Day shift")
	x.shiftWeek.days[0].SetText("08:00-12:00, 13:00-17:00")
	test.Tap(x.shiftCat.saveBtn)
	if x.shiftCat.problem.Visible() {
		t.Fatalf("save refused: %s", x.shiftCat.problem.Text)
	}
	got := shift(t, e, "day")
	if got.Name != "Day shift" || windowsText(got.Week[time.Monday]) != "08:00-12:00, 13:00-17:00" {
		t.Errorf("shift %+v, want the new name and Monday", got)
	}
	if !got.PaidBreaks || len(got.AutoBreaks) != 1 || got.AutoBreaks[0] != sh.AutoBreaks[0] {
		t.Errorf("breaks paid %v, auto %v, want them kept", got.PaidBreaks, got.AutoBreaks)
	}
}

// TestAccessShiftBreaks: a shift's paid breaks and automatic breaks are
// set from its form; a rule that does not read, or that the engine
// refuses, shows under the field and changes nothing.
func TestAccessShiftBreaks(t *testing.T) {
	test.NewTempApp(t)
	e, _ := newAdminEngine(t)
	x, _ := newAccess(t, e)
	x.tabs.SelectIndex(1)
	hour, minute := core.Duration(time.Hour), core.Duration(time.Minute)
	save := func(breaks string) {
		t.Helper()
		x.shiftBreaks.SetText(breaks)
		test.Tap(x.shiftCat.saveBtn)
	}
	x.shiftPaid.SetChecked(true)
	save("6h: 30m, 9h: 45m")
	if x.shiftCat.problem.Visible() {
		t.Fatalf("save refused: %s", x.shiftCat.problem.Text)
	}
	got := shift(t, e, "day")
	want := []core.AutoBreak{{After: 6 * hour, Deduct: 30 * minute}, {After: 9 * hour, Deduct: 45 * minute}}
	if !got.PaidBreaks || !slices.Equal(got.AutoBreaks, want) {
		t.Fatalf("breaks paid %v, auto %v, want paid and %v", got.PaidBreaks, got.AutoBreaks, want)
	}
	if x.shiftBreaks.Text != "6h: 30m, 9h: 45m" {
		t.Errorf("the form shows %q after saving", x.shiftBreaks.Text)
	}
	for _, bad := range []string{"after lunch", "6h: 7h", "9h: 45m, 6h: 30m"} {
		save(bad)
		if sp := x.shiftCat.form.spots.fields["auto_breaks"]; sp == nil || !sp.text.Visible() {
			t.Errorf("%q: no problem under the automatic breaks", bad)
		}
		if now := shift(t, e, "day"); !slices.Equal(now.AutoBreaks, want) {
			t.Errorf("%q changed the breaks to %v", bad, now.AutoBreaks)
		}
	}
}
