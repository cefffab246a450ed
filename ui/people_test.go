package ui

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"frontdesk/core"
)

// peopleTestSite is a site in Paris with a desk reader, two doors, a
// shift and three people; Ann may pass the lab twice more by a grant.
const peopleTestSite = `{
  "site": {"name": "People HQ", "timezone": "Europe/Paris", "desk_zone": "office"},
  "zones": [{"id": "outside", "name": "Outside"}, {"id": "office", "name": "Office", "work": true},
            {"id": "lab", "name": "Lab", "work": true}],
  "schedules": [{"id": "office-hours", "name": "Office hours",
                 "week": {"mon": ["07:00-20:00"], "tue": ["07:00-20:00"], "wed": ["07:00-20:00"],
                          "thu": ["07:00-20:00"], "fri": ["07:00-20:00"]}}],
  "shifts": [{"id": "day", "name": "Day", "week": {"mon": ["09:00-17:00"], "tue": ["09:00-17:00"],
              "wed": ["09:00-17:00"], "thu": ["09:00-17:00"], "fri": ["09:00-17:00"]}}],
  "doors": [{"id": "main", "name": "Main entrance", "from": "outside", "to": "office"},
            {"id": "lab", "name": "Lab", "from": "office", "to": "lab"}],
  "devices": [{"id": "main-in", "kind": "sim", "door": "main", "direction": "in"},
              {"id": "lab-in", "kind": "sim", "door": "lab", "direction": "in"},
              {"id": "desk", "kind": "sim", "desk": true}],
  "access_levels": [{"id": "staff", "name": "Staff", "rules": [{"doors": ["main"], "schedule": "office-hours"}]},
                    {"id": "all", "name": "All doors", "rules": [{"doors": ["main", "lab"]}]}],
  "departments": [{"id": "sales", "name": "Sales", "access_level": "staff", "shift": "day"},
                  {"id": "rnd", "name": "Research", "access_level": "all"}],
  "people": [
    {"id": "ann", "name": "Ann Martin", "started": "2026-01-01", "phone": "+33 6 12 34 56 78", "department": "sales", "cards": ["em:0102B0A5FD"]},
    {"id": "bob", "name": "Bob Stone", "started": "2026-01-01", "department": "rnd", "cards": ["em:0A00000001"]},
    {"id": "elodie", "name": "Élodie Lefèvre", "started": "2026-01-01", "department": "rnd"}],
  "grants": [{"person": "ann", "door": "lab", "kind": "once", "uses": 2}]
}`

// newPeopleEngine imports peopleTestSite (and extra people, if any); the
// clock is Tuesday 2026-11-24 09:00 in Paris.
func newPeopleEngine(t *testing.T, extra ...core.PersonFile) (*core.Engine, *clock) {
	t.Helper()
	e, c := siteEngine(t, peopleTestSite, time.Date(2026, 11, 24, 9, 0, 0, 0, paris))
	if len(extra) > 0 {
		if err := e.Import(testCLI, &core.SiteFile{People: extra}); err != nil {
			t.Fatal(err)
		}
	}
	return e, c
}

// receptionPerms are the built-in receptionist's people permissions.
var receptionPerms = []core.Permission{core.PermPeopleView, core.PermPeopleEdit, core.PermCardsEnroll}

// peopleHarness is the people page of one actor in a test window, with a
// bridge from the engine through a test UI thread.
type peopleHarness struct {
	x  *peopleScreen
	s  *session
	w  fyne.Window
	ui uiThread
	// timers are the functions given to s.after, in order.
	timers []func()
}

// newPeopleHarness builds the page. Searches run at once on the test's
// goroutine, and s.after only records its functions.
func newPeopleHarness(t *testing.T, e *core.Engine, a core.Actor) *peopleHarness {
	t.Helper()
	return peopleHarnessWith(t, e, a, fyne.NewSize(1100, 700), nil)
}

// peopleHarnessWith builds the page in a window of size, with the demo's
// desk tap when demoTap is set.
func peopleHarnessWith(t *testing.T, e *core.Engine, a core.Actor, size fyne.Size,
	demoTap func(reader, code string) error) *peopleHarness {
	t.Helper()
	h := &peopleHarness{ui: make(uiThread, 64)}
	s, b := bridgedSession(t, e, a, h.ui)
	s.after = func(_ time.Duration, fn func()) { h.timers = append(h.timers, fn) }
	s.demoTap = demoTap
	h.s = s
	h.x = newPeopleScreen(s)
	h.x.spawn = func(fn func()) { fn() }
	h.x.do = func(fn func()) { fn() }
	h.w = test.NewWindow(nil)
	s.window = h.w
	h.w.SetContent(h.x.build())
	h.w.Resize(size)
	t.Cleanup(h.w.Close)
	startBridge(t, b)
	return h
}

// runTimers runs the timers recorded so far.
func (h *peopleHarness) runTimers() {
	fns := h.timers
	h.timers = nil
	for _, fn := range fns {
		fn()
	}
}

// typeQuery types text into the search and lets the debounce fire.
func (h *peopleHarness) typeQuery(text string) {
	h.x.query.SetText("")
	test.Type(h.x.query, text)
	h.runTimers()
}

// openPerson selects person id in the list (searching for them first).
func (h *peopleHarness) openPerson(t *testing.T, id string) {
	t.Helper()
	h.typeQuery(id)
	for i, p := range h.x.results {
		if p.ID == id {
			h.x.list.Select(i)
			if h.x.detail.person.ID != id {
				t.Fatalf("selected %s, the panel shows %q", id, h.x.detail.person.ID)
			}
			return
		}
	}
	t.Fatalf("%s is not in the list: %v", id, h.x.results)
}

// listedNames returns the names the list shows, top first.
func listedNames(w fyne.Window) []string {
	var rows []*personRow
	for _, o := range test.LaidOutObjects(w.Content()) {
		if r, ok := o.(*personRow); ok && r.Visible() && r.name.Text != "" {
			rows = append(rows, r)
		}
	}
	var out []string
	for _, r := range rows {
		out = append(out, r.name.Text)
	}
	return out
}

func TestPeopleSearchAmong2000ByAccentedName(t *testing.T) {
	test.NewTempApp(t)
	var extra []core.PersonFile
	for i := range 2000 {
		extra = append(extra, core.PersonFile{ID: fmt.Sprintf("p%04d", i), Name: fmt.Sprintf("Person %04d Lefort", i), Department: "sales"})
	}
	e, _ := newPeopleEngine(t, extra...)
	h := newPeopleHarness(t, e, testCLI)

	if n := len(h.x.results); n != peopleShown || h.x.total != 2003 {
		t.Fatalf("opening: %d listed of %d, want %d of 2003", n, h.x.total, peopleShown)
	}
	if !h.x.more.Visible() || h.x.more.Text != "and 1803 more — refine the search" {
		t.Errorf("more line %q (visible %v)", h.x.more.Text, h.x.more.Visible())
	}

	// Typed without accents, found with them; the search runs once the
	// typing pauses.
	h.x.query.SetText("")
	h.runTimers()
	test.Type(h.x.query, "elodie lefevre")
	if len(h.timers) == 0 {
		t.Fatal("no debounce timer")
	}
	h.runTimers()
	if len(h.x.results) != 1 || h.x.results[0].ID != "elodie" {
		t.Fatalf("got %v, want elodie", personIDsOf(h.x.results))
	}
	if got := listedNames(h.w); len(got) != 1 || got[0] != "Élodie Lefèvre" {
		t.Errorf("list shows %q, want Élodie Lefèvre", got)
	}
	if h.x.more.Visible() {
		t.Errorf("more line shown for one match: %q", h.x.more.Text)
	}

	// The department filter narrows the search.
	h.typeQuery("lef")
	if h.x.total != 2001 {
		t.Errorf("lef: %d matches, want 2001", h.x.total)
	}
	h.x.dept.SetSelected("Research")
	if len(h.x.results) != 1 || h.x.results[0].ID != "elodie" {
		t.Errorf("lef in Research: got %v, want elodie", personIDsOf(h.x.results))
	}
}

func personIDsOf(ps []core.Person) []string {
	var out []string
	for _, p := range ps {
		out = append(out, p.ID)
	}
	return out
}

func TestPeopleSearchInAGoroutine(t *testing.T) {
	test.NewTempApp(t)
	e, _ := newPeopleEngine(t)
	h := newPeopleHarness(t, e, testCLI)
	h.x.spawn = func(fn func()) { go fn() }
	h.x.do = h.ui.do
	h.typeQuery("bob")
	h.ui.until(t, "Bob listed", func() bool { return len(h.x.results) == 1 && h.x.results[0].ID == "bob" })
	// An answer to an older query is dropped.
	h.x.query.SetText("ann")
	stale := h.x.gen
	h.x.search()
	h.ui.until(t, "Ann listed", func() bool { return len(h.x.results) == 1 && h.x.results[0].ID == "ann" })
	if h.x.gen == stale {
		t.Error("the generation did not move")
	}
}

func TestPeopleReceptionistEditsPhone(t *testing.T) {
	test.NewTempApp(t)
	e, c := newPeopleEngine(t)
	desk := staffAccount(t, e, "desk", "", receptionPerms...)
	h := newPeopleHarness(t, e, desk)
	h.openPerson(t, "ann")
	d := h.x.detail
	if d.name.Text != "Ann Martin" || d.phone.Text != "+33 6 12 34 56 78" || d.dept.Selected != "Sales" {
		t.Fatalf("form: %q %q %q", d.name.Text, d.phone.Text, d.dept.Selected)
	}

	// A bad number is refused inline and changes nothing.
	d.phone.SetText("06 12 CALL ME")
	test.Tap(d.save)
	if p := d.spots.shownText("phone"); p != "Mobile phone: 'C' has no place in a phone number: use digits, spaces, . - / ( ) and a + in front" {
		t.Errorf("problem %q, want one about the mobile phone", p)
	}
	if p, _ := e.Person(desk, "ann"); p.Phone != "+33 6 12 34 56 78" {
		t.Errorf("refused change stored: %q", p.Phone)
	}

	c.now = c.now.Add(time.Minute)
	d.phone.SetText("07 00 00 00 01")
	test.Tap(d.save)
	if d.problem.Visible() {
		t.Fatalf("problem: %s", d.problem.Text)
	}
	if p, _ := e.Person(desk, "ann"); p.Phone != "07 00 00 00 01" || p.Name != "Ann Martin" || p.Department != "sales" {
		t.Errorf("stored %+v", p)
	}
	if !d.saved.Visible() {
		t.Error("no word that it was saved")
	}
	var entries []core.AuditEntry
	err := e.Audit(testCLI, core.AuditQuery{From: c.now}, func(en core.AuditEntry) error {
		entries = append(entries, en)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 1 {
		t.Fatalf("%d audit entries, want 1", len(entries))
	}
	en := entries[0]
	if en.Actor != "desk" || en.Action != "person.update" || en.Object != "people/ann" ||
		!strings.Contains(string(en.Before), `"phone":"+33 6 12 34 56 78"`) || !strings.Contains(string(en.After), `"phone":"07 00 00 00 01"`) {
		t.Errorf("audit entry %s %s %s: %s → %s", en.Actor, en.Action, en.Object, en.Before, en.After)
	}
}

func TestPeopleNewPerson(t *testing.T) {
	test.NewTempApp(t)
	e, _ := newPeopleEngine(t)
	// Giving a person their own levels takes access.edit.
	h := newPeopleHarness(t, e, staffAccount(t, e, "hr", "", append(receptionPerms, core.PermAccessEdit)...))
	test.Tap(h.x.newBtn)
	d := h.x.detail
	test.Type(d.name, "Zoé Faure")
	if d.id.Text != "zoe-faure" {
		t.Errorf("suggested id %q, want zoe-faure", d.id.Text)
	}
	d.dept.SetSelected("Research")
	d.levels.SetSelected([]string{"Staff"})
	test.Tap(d.save)
	if d.problem.Visible() {
		t.Fatalf("problem: %s", d.problem.Text)
	}
	p, err := e.Person(testCLI, "zoe-faure")
	if err != nil {
		t.Fatal(err)
	}
	if p.Name != "Zoé Faure" || p.Department != "rnd" || len(p.AccessLevels) != 1 || p.AccessLevels[0] != "staff" || p.Inactive {
		t.Errorf("stored %+v", p)
	}
	h.typeQuery("zoe")
	if len(h.x.results) != 1 || h.x.results[0].ID != "zoe-faure" {
		t.Errorf("search after adding: %v", personIDsOf(h.x.results))
	}

	// An id already taken is refused, next to the id.
	test.Tap(h.x.newBtn)
	d.id.SetText("ann")
	d.name.SetText("Another Ann")
	test.Tap(d.save)
	if p := d.spots.shownText("id"); p != "Identifier: 'ann' is taken already, by Ann Martin" {
		t.Errorf("problem %q, want one about the id", p)
	}
	if p, _ := e.Person(testCLI, "ann"); p.Name != "Ann Martin" {
		t.Errorf("ann overwritten: %q", p.Name)
	}
}

// TestPeopleStartedAndLeft: the editor shows and stores a person's first
// and last days; a new person given none starts today; a bad date or a
// last day before the first is refused inline, naming the field, and
// changes nothing.
func TestPeopleStartedAndLeft(t *testing.T) {
	test.NewTempApp(t)
	e, _ := newPeopleEngine(t)
	desk := staffAccount(t, e, "desk", "", receptionPerms...)
	h := newPeopleHarness(t, e, desk)
	test.Tap(h.x.newBtn)
	d := h.x.detail
	test.Type(d.name, "Nina New")
	test.Tap(d.save)
	if d.problem.Visible() {
		t.Fatalf("problem: %s", d.problem.Text)
	}
	if p, _ := e.Person(desk, "nina-new"); p.Started.String() != "2026-11-24" || p.Left != (core.Date{}) {
		t.Errorf("stored started %s left %s, want today and none", p.Started, p.Left)
	}
	if d.started.Text != "2026-11-24" || d.left.Text != "" {
		t.Errorf("form after saving: started %q left %q, want the stored dates", d.started.Text, d.left.Text)
	}

	for _, tt := range []struct{ started, left, want string }{
		{"2026-11-24", "2026-11-01", "Left on: "},
		{"24/11/2026", "", "Started on: "},
		{"2026-11-24", "2026-02-30", "Left on: "},
	} {
		d.started.SetText(tt.started)
		d.left.SetText(tt.left)
		test.Tap(d.save)
		field := "left"
		if tt.want == "Started on: " {
			field = "started"
		}
		if p := d.spots.shownText(field); !strings.HasPrefix(p, tt.want) {
			t.Errorf("started %q left %q: problem %q, want %q…", tt.started, tt.left, p, tt.want)
		}
		if p, _ := e.Person(desk, "nina-new"); p.Started.String() != "2026-11-24" || p.Left != (core.Date{}) {
			t.Errorf("a refused change was stored: started %s left %s", p.Started, p.Left)
		}
	}
	d.started.SetText("2026-11-02")
	d.left.SetText("2026-12-31")
	test.Tap(d.save)
	if d.problem.Visible() {
		t.Fatalf("problem: %s", d.problem.Text)
	}
	if p, _ := e.Person(desk, "nina-new"); p.Started.String() != "2026-11-02" || p.Left.String() != "2026-12-31" {
		t.Errorf("stored started %s left %s, want 2026-11-02 and 2026-12-31", p.Started, p.Left)
	}
}

func TestPeopleViewerCannotEdit(t *testing.T) {
	test.NewTempApp(t)
	e, _ := newPeopleEngine(t)
	h := newPeopleHarness(t, e, staffAccount(t, e, "viewer", "", core.PermPeopleView))
	if h.x.newBtn != nil {
		t.Error("a viewer sees New person")
	}
	h.openPerson(t, "ann")
	d := h.x.detail
	if d.save != nil || d.remove != nil {
		t.Error("a viewer sees Save or Delete")
	}
	if !d.name.Disabled() || !d.phone.Disabled() || !d.started.Disabled() || !d.left.Disabled() {
		t.Error("a viewer's form is editable")
	}
	if d.accessItem != nil {
		t.Error("the Access tab shows without reports.print and doors.view")
	}
}

func TestPeopleAccessTab(t *testing.T) {
	test.NewTempApp(t)
	e, _ := newPeopleEngine(t)
	h := newPeopleHarness(t, e, testCLI)
	h.openPerson(t, "ann")
	d := h.x.detail
	if d.accessItem == nil {
		t.Fatal("no Access tab for the command line")
	}
	d.tabs.Select(d.accessItem)
	want := []string{"Lab — 2 uses left", "Main entrance — level Staff (from the department), during Office hours"}
	if got := d.access.rows; strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("access rows %q, want %q", got, want)
	}
}

func TestPeopleDepartmentsTab(t *testing.T) {
	test.NewTempApp(t)
	e, _ := newPeopleEngine(t)
	// A department's level is an access decision: access.edit.
	h := newPeopleHarness(t, e, staffAccount(t, e, "hr", "", append(receptionPerms, core.PermAccessEdit)...))
	dt := h.x.departments
	if len(dt.depts) != 2 {
		t.Fatalf("%d departments listed, want 2", len(dt.depts))
	}
	dt.newDept()
	dt.id.SetText("hr")
	dt.name.SetText("Human resources")
	dt.level.SetSelected("All doors")
	dt.shift.SetSelected("Day")
	test.Tap(dt.save)
	if dt.problem.Visible() {
		t.Fatalf("problem: %s", dt.problem.Text)
	}
	ds, err := e.Departments(testCLI)
	if err != nil {
		t.Fatal(err)
	}
	if len(ds) != 3 || ds[0].ID != "hr" || ds[0].AccessLevel != "all" || ds[0].Shift != "day" {
		t.Errorf("departments %+v", ds)
	}
	if len(dt.depts) != 3 || !strings.Contains(dt.summary(dt.depts[0]), "level All doors") {
		t.Errorf("listed %+v", dt.depts)
	}
	// The people tab offers it at once.
	if opts := h.x.dept.Options; len(opts) != 4 || opts[1] != "Human resources" {
		t.Errorf("filter options %q", opts)
	}
	if opts := h.x.detail.dept.Options; len(opts) != 4 {
		t.Errorf("form options %q", opts)
	}

	// A department people belong to cannot be deleted.
	dt.list.Select(2) // Sales
	test.Tap(dt.remove)
	if text := dialogText(h.w); !strings.Contains(text, "Delete department Sales? This cannot be undone.") {
		t.Fatalf("question %q, want the department named", text)
	}
	tapDialog(t, h.w, "Delete")
	if !dt.problem.Visible() || !strings.Contains(dt.problem.Text, "still has people in it (1)") {
		t.Errorf("problem %q", dt.problem.Text)
	}
	// A name is required.
	dt.list.Select(0)
	dt.name.SetText("")
	test.Tap(dt.save)
	if p := dt.spots.shownText("name"); p != "Name: required" {
		t.Errorf("problem %q, want Name: required", p)
	}
}

// TestPeopleAccessFieldsNeedAccessEdit: the receptionist edits people and
// departments but not the access decisions among their fields (a
// person's own levels, a department's level): the form does not offer
// them, and the engine refuses them anyway.
func TestPeopleAccessFieldsNeedAccessEdit(t *testing.T) {
	test.NewTempApp(t)
	e, _ := newPeopleEngine(t)
	desk := staffAccount(t, e, "desk", "", receptionPerms...)
	h := newPeopleHarness(t, e, desk)
	h.openPerson(t, "ann")
	d := h.x.detail
	if !d.levels.Disabled() || d.name.Disabled() || d.dept.Disabled() {
		t.Errorf("levels disabled %v, name %v, department %v: want only the levels disabled",
			d.levels.Disabled(), d.name.Disabled(), d.dept.Disabled())
	}
	if dt := h.x.departments; !dt.level.Disabled() || dt.name.Disabled() {
		t.Errorf("department level disabled %v, name %v: want only the level disabled", dt.level.Disabled(), dt.name.Disabled())
	}
	// Forced past the form, the engine refuses and says why, inline.
	d.levels.SetSelected([]string{"All doors"})
	test.Tap(d.save)
	if p, _ := e.Person(desk, "ann"); len(p.AccessLevels) != 0 || !d.problem.Visible() || !strings.Contains(d.problem.Text, "access.edit") {
		t.Errorf("levels %v stored, problem %q: want refused, naming access.edit", p.AccessLevels, d.problem.Text)
	}

	hr := newPeopleHarness(t, e, staffAccount(t, e, "hr", "", append(receptionPerms, core.PermAccessEdit)...))
	if hr.x.detail.levels.Disabled() || hr.x.departments.level.Disabled() {
		t.Error("with access.edit, the levels are not offered")
	}
}

func TestPeopleSlug(t *testing.T) {
	for in, want := range map[string]string{
		"Élodie Lefèvre":        "elodie-lefevre",
		"  Ann  O'Brien ":       "ann-o-brien",
		"Jürgen Müller 2":       "jurgen-muller-2",
		"Łukasz":                "ukasz",
		"Ольга Кузнецова":       "olga-kuznetsova",
		"Анна Смирнова":         "anna-smirnova",
		"Дмитрий Щукин":         "dmitrii-shchukin",
		"Юлия Ёлкина-Львова":    "iuliia-elkina-lvova",
		"Съезд Объём":           "sieezd-obieem",
		strings.Repeat("a", 80): strings.Repeat("a", 64),
	} {
		if got := peopleSlug(in); got != want {
			t.Errorf("peopleSlug(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestPeopleShots(t *testing.T) {
	test.NewTempApp(t)
	e, _ := newPeopleEngine(t)
	h := newPeopleHarness(t, e, testCLI)
	h.typeQuery("")
	h.x.list.Select(0)
	shot(t, h.w, "people-details")

	h.openPerson(t, "ann")
	d := h.x.detail
	d.tabs.Select(d.cardsItem)
	test.Tap(d.cards.start)
	d.cards.gotCode(mustCode(t, "dec:0012345678"), true)
	shot(t, h.w, "people-cards-enrol")

	d.tabs.Select(d.accessItem)
	shot(t, h.w, "people-access")

	h.x.tabs.SelectIndex(1)
	h.x.departments.list.Select(1)
	shot(t, h.w, "people-departments")
}

func mustCode(t *testing.T, s string) core.Code {
	t.Helper()
	c, err := core.ParseCode(s)
	if err != nil {
		t.Fatal(err)
	}
	return c
}
