package ui

import (
	"slices"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"frontdesk/core"
)

// addPauls adds a second person called Paul, Paul Durand, to the demo
// site, which has Paul Martin.
func addPauls(t *testing.T, e *core.Engine) {
	t.Helper()
	if _, err := e.Person(testCLI, "paul.martin"); err != nil {
		t.Fatalf("the demo has no Paul Martin: %v", err)
	}
	for _, p := range []core.Person{{ID: "paul.durand", Name: "Paul Durand"}} {
		if _, err := e.AddPerson(testCLI, p); err != nil {
			t.Fatal(err)
		}
	}
}

// demoGrants is the grants page of the demo's door owner, claire, who may
// not see people.
func demoGrants(t *testing.T) (*core.Engine, *session, *grantsScreen, fyne.Window) {
	t.Helper()
	test.NewTempApp(t)
	e, _ := demoEngine(t)
	addPauls(t, e)
	actor, err := e.Login("claire", "frontdesk-demo")
	if err != nil {
		t.Fatal(err)
	}
	s := testSession(t, e, actor)
	if s.can(core.PermPeopleView) {
		t.Fatal("claire may see people: the test wants a door owner who may not")
	}
	x, w := newGrants(t, s)
	return e, s, x, w
}

// shownChoices are the names the list under p shows, and whether it is
// on the window.
func shownChoices(p *searchPick) ([]string, bool) {
	if p.popup == nil || !p.popup.Visible() {
		return nil, false
	}
	var names []string
	for _, c := range p.found {
		names = append(names, c.label())
	}
	return names, true
}

func key(p fyne.Focusable, name fyne.KeyName) { p.TypedKey(&fyne.KeyEvent{Name: name}) }

// TestGrantPaulByPicking: claire types "Paul", picks Paul Martin with the
// keyboard and gives him a grant of two uses; the page names him.
func TestGrantPaulByPicking(t *testing.T) {
	e, _, x, w := demoGrants(t)
	door := x.door.id()
	w.Canvas().Focus(x.person)
	test.Type(x.person, "Paul")
	names, shown := shownChoices(x.person)
	if !shown || !slices.Equal(names, []string{"Paul Durand", "Paul Martin"}) {
		t.Fatalf("list under the field %q (shown %v), want the two Pauls by name", names, shown)
	}
	key(x.person, fyne.KeyDown)
	key(x.person, fyne.KeyReturn)
	if x.person.Text != "Paul Martin" || x.person.pickedID() != "paul.martin" || x.person.popup.Visible() {
		t.Fatalf("picked %q (%s), list shown %v; want Paul Martin and the list closed",
			x.person.Text, x.person.pickedID(), x.person.popup.Visible())
	}
	x.kind.SetSelected(grantUses())
	test.Type(x.uses, "2")
	test.Tap(x.grant)
	gs, err := e.Grants(testCLI, core.GrantQuery{Person: "paul.martin"})
	if err != nil {
		t.Fatal(err)
	}
	if len(gs) != 1 || gs[0].Door != door || gs[0].Kind != core.GrantOnce || gs[0].Uses != 2 || gs[0].By != "claire" {
		t.Fatalf("grants %+v, want one of 2 uses on %s by claire", gs, door)
	}
	if !strings.Contains(x.formMsg.Text, "Paul Martin (paul.martin)") || x.formMsg.Importance != widget.SuccessImportance {
		t.Errorf("message %q, want Paul Martin named", x.formMsg.Text)
	}
	if x.person.Text != "" {
		t.Errorf("the field keeps %q after the grant", x.person.Text)
	}
	var named bool
	for _, r := range grantRows(w) {
		named = named || r.texts[0] == "Paul Martin (paul.martin)"
	}
	if !named {
		t.Errorf("no row names Paul Martin: %v", grantRows(w))
	}
}

// TestPickWithTheMouse: a click on a match picks it.
func TestPickWithTheMouse(t *testing.T) {
	_, _, x, _ := demoGrants(t)
	test.Type(x.person, "paul")
	x.person.list.Select(0)
	if x.person.pickedID() != "paul.durand" || x.person.Text != "Paul Durand" {
		t.Errorf("picked %q (%s), want Paul Durand", x.person.Text, x.person.pickedID())
	}
}

// TestPickNames: leaving the field with what was typed picks the one
// person it names; a name of several or of nobody is said under the
// field, and the grant is refused in those words without reaching the
// engine.
func TestPickNames(t *testing.T) {
	tests := []struct {
		typed string
		id    string // picked; "" for none
		msg   string
	}{
		{"Paul", "", "2 people called 'Paul': pick one"},
		{"Nobody", "", "Nobody called 'Nobody'"},
		{"paul durand", "paul.durand", ""},
		{"PAUL MAR", "paul.martin", ""}, // one person only
		{"paul.martin", "paul.martin", ""},
		{"Émilie", "emilie.rousseau", ""},
		{"emilie rousseau", "emilie.rousseau", ""},
	}
	e, _, x, _ := demoGrants(t)
	for _, tt := range tests {
		t.Run(tt.typed, func(t *testing.T) {
			x.person.setPicked(choice{})
			test.Type(x.person, tt.typed)
			x.person.FocusLost()
			if x.person.pickedID() != tt.id {
				t.Errorf("picked %q, want %q", x.person.pickedID(), tt.id)
			}
			if got := x.person.msg.Text; x.person.msg.Visible() != (tt.msg != "") || (tt.msg != "" && got != tt.msg) {
				t.Errorf("message %q (shown %v), want %q", got, x.person.msg.Visible(), tt.msg)
			}
			if tt.msg == "" {
				return
			}
			x.kind.SetSelected(grantPermanent())
			test.Tap(x.grant)
			said := x.spots.shownText("person")
			if !strings.Contains(strings.ToLower(said), strings.ToLower(tt.msg)) {
				t.Errorf("form says %q under the person, want %q", said, tt.msg)
			}
			if strings.Contains(said, `no person`) {
				t.Errorf("form says %q: the engine's error", said)
			}
			if x.person.msg.Visible() {
				t.Errorf("the field says %q as well as the form", x.person.msg.Text)
			}
		})
	}
	gs, _ := e.Grants(testCLI, core.GrantQuery{Person: "paul.martin"})
	if len(gs) != 0 {
		t.Errorf("grants %+v given while the name was unclear", gs)
	}
}

// TestPickKeys: Down and Up move through the matches and stay in them;
// Escape closes the list; Down opens it again.
func TestPickKeys(t *testing.T) {
	_, _, x, _ := demoGrants(t)
	p := x.person
	test.Type(p, "a")
	if len(p.found) < 3 {
		t.Fatalf("%d matches of a, want 3 or more", len(p.found))
	}
	for range len(p.found) + 2 {
		key(p, fyne.KeyDown)
	}
	if p.cur != len(p.found)-1 {
		t.Errorf("after many Downs at %d, want the last, %d", p.cur, len(p.found)-1)
	}
	for range len(p.found) + 2 {
		key(p, fyne.KeyUp)
	}
	if p.cur != 0 {
		t.Errorf("after many Ups at %d, want 0", p.cur)
	}
	key(p, fyne.KeyEscape)
	if p.popup.Visible() || p.Text != "a" {
		t.Errorf("Escape: list shown %v, text %q", p.popup.Visible(), p.Text)
	}
	key(p, fyne.KeyDown)
	if !p.popup.Visible() {
		t.Error("Down does not open the list again")
	}
	key(p, fyne.KeyReturn)
	if p.pickedID() != p.found[0].id {
		t.Errorf("Enter picked %q, want the first, %q", p.pickedID(), p.found[0].id)
	}
}

// calendarButton is the button of the calendar next to entry in w.
func calendarButton(t *testing.T, w fyne.Window, entry *formEntry) *widget.Button {
	t.Helper()
	for _, o := range test.LaidOutObjects(w.Content()) {
		c, ok := o.(*fyne.Container)
		if !ok || !slices.Contains(c.Objects, fyne.CanvasObject(entry)) {
			continue
		}
		for _, o := range c.Objects {
			if b, ok := o.(*widget.Button); ok {
				return b
			}
		}
	}
	t.Fatal("no calendar button next to the field")
	return nil
}

// tapDay taps day in the calendar on top of w.
func tapDay(t *testing.T, w fyne.Window, day string) {
	t.Helper()
	top := w.Canvas().Overlays().Top()
	if top == nil {
		t.Fatal("no calendar shown")
	}
	for _, o := range test.LaidOutObjects(top) {
		if b, ok := o.(*widget.Button); ok && b.Text == day {
			test.Tap(b)
			return
		}
	}
	t.Fatalf("no day %s in the calendar", day)
}

// TestDatePickedFromCalendar: the calendar next to the grant's end opens
// on the month of the date typed, or today's; a day tapped fills the
// field as YYYY-MM-DD and keeps a time typed after the date.
func TestDatePickedFromCalendar(t *testing.T) {
	e, _, x, w := demoGrants(t)
	x.kind.SetSelected(grantUntil())
	test.Tap(calendarButton(t, w, x.until))
	tapDay(t, w, "28")
	if x.until.Text != "2026-11-28" {
		t.Errorf("until %q, want 2026-11-28 (today's month)", x.until.Text)
	}
	if top := w.Canvas().Overlays().Top(); top != nil {
		t.Error("the calendar stays open after a day is picked")
	}
	x.until.SetText("2027-02-03 18:30")
	test.Tap(calendarButton(t, w, x.until))
	tapDay(t, w, "14")
	if x.until.Text != "2027-02-14 18:30" {
		t.Errorf("until %q, want 2027-02-14 18:30", x.until.Text)
	}
	test.Type(x.person, "paul durand")
	test.Tap(x.grant)
	gs, _ := e.Grants(testCLI, core.GrantQuery{Person: "paul.durand"})
	loc := e.Location()
	if len(gs) != 1 || !gs[0].Until.Equal(time.Date(2027, 2, 14, 18, 30, 0, 0, loc)) {
		t.Errorf("grants %+v, want one until 2027-02-14 18:30", gs)
	}
}

// TestDateFieldsHaveCalendars: the date fields of the forms have their
// calendar button.
func TestDateFieldsHaveCalendars(t *testing.T) {
	test.NewTempApp(t)
	e, _ := newAdminEngine(t)
	admin := staffSession(t, e, "planner", "", core.PermAccessEdit, core.PermDoorsView)
	x := newAccessScreen(admin)
	w := showIn(t, admin, x.build())
	x.tabs.SelectIndex(2)
	test.Tap(x.holCat.newBtn)
	test.Tap(calendarButton(t, w, x.holDate))
	tapDay(t, w, "25")
	if !strings.HasSuffix(x.holDate.Text, "-25") {
		t.Errorf("holiday date %q, want the 25th", x.holDate.Text)
	}
}

// TestZonePick: the time zone field filters the IANA zones as one types
// (words in any order, case ignored) and picks one.
func TestZonePick(t *testing.T) {
	find := zoneFinder()
	for _, tt := range []struct {
		text string
		want string
	}{
		{"paris", "Europe/Paris"},
		{"new york", "America/New_York"},
		{"YORK america", "America/New_York"},
		{"utc", "UTC"},
	} {
		found, _, err := find(tt.text, 0)
		if err != nil {
			t.Fatal(err)
		}
		var ids []string
		for _, c := range found {
			ids = append(ids, c.id)
		}
		if !slices.Contains(ids, tt.want) {
			t.Errorf("%q finds %v, want %s among them", tt.text, ids, tt.want)
		}
	}
	if found, total, _ := find("zzz", 0); len(found) != 0 || total != 0 {
		t.Errorf("zzz finds %v", found)
	}

	test.NewTempApp(t)
	e, _ := newAdminEngine(t)
	s := staffSession(t, e, "chief", "", core.PermSettingsEdit)
	x, _ := newSettings(t, s, nil, nil)
	if x.timezone.Text != "Europe/Paris" || x.timezone.popup != nil {
		t.Fatalf("zone %q, list made %v; want Europe/Paris and no list", x.timezone.Text, x.timezone.popup != nil)
	}
	x.timezone.setPicked(choice{})
	test.Type(x.timezone, "new_y")
	key(x.timezone, fyne.KeyReturn)
	if x.timezone.Text != "America/New_York" {
		t.Fatalf("zone %q, want America/New_York", x.timezone.Text)
	}
	test.Tap(x.save)
	if got := e.Site().Timezone; got != "America/New_York" {
		t.Errorf("site zone %q, want America/New_York (problem %q)", got, x.problem.Text)
	}
}

func TestReadZoneTable(t *testing.T) {
	table := "# comment\nFR\t+4852+00220\tEurope/Paris\nUS\t+404251-0740023\tAmerica/New_York\tEastern\nFR\t+4852+00220\tEurope/Paris\n"
	if got := readZoneTable([]byte(table)); !slices.Equal(got, []string{"America/New_York", "Europe/Paris", "UTC"}) {
		t.Errorf("got %v", got)
	}
	for _, z := range commonZones {
		if _, err := time.LoadLocation(z); err != nil {
			t.Errorf("%s: %v", z, err)
		}
	}
}

// TestDoorOwnersPicked: a door's owners are picked by name, shown as
// rows, removed with their button, and saved by id.
func TestDoorOwnersPicked(t *testing.T) {
	test.NewTempApp(t)
	e, _ := newAdminEngine(t)
	s := staffSession(t, e, "keeper", "", core.PermDoorsEdit, core.PermDoorsView, core.PermPeopleView)
	x, _ := newDoors(t, s)
	i := x.doorCat.index("lab")
	x.doorCat.list.Select(i)
	owners := x.doorOwners
	test.Type(owners.add, "martin")
	key(owners.add, fyne.KeyReturn)
	test.Type(owners.add, "carl")
	owners.add.FocusLost()
	test.Type(owners.add, "bob st")
	key(owners.add, fyne.KeyReturn)
	if !slices.Equal(owners.ids, []string{"ann", "carl", "bob"}) || owners.add.Text != "" {
		t.Fatalf("owners %v, field %q; want ann, carl, bob and the field empty", owners.ids, owners.add.Text)
	}
	if n := len(owners.rows.Objects); n != 3 {
		t.Fatalf("%d rows, want 3", n)
	}
	// Remove carl with his row's button.
	row := owners.rows.Objects[1].(*fyne.Container)
	test.Tap(row.Objects[1].(*fyne.Container).Objects[1].(*widget.Button))
	test.Tap(x.doorCat.saveBtn)
	d, ok := e.Door(s.actor, "lab")
	if !ok || !slices.Equal(d.Owners, []string{"ann", "bob"}) {
		t.Errorf("lab's owners %v (problem %q), want ann and bob", d.Owners, x.doorCat.problem.Text)
	}
	// Shown again, by name.
	x.doorCat.list.Select(x.doorCat.index("main"))
	x.doorCat.list.Select(x.doorCat.index("lab"))
	var names []string
	for _, o := range owners.rows.Objects {
		names = append(names, o.(*fyne.Container).Objects[0].(*widget.Label).Text)
	}
	if !slices.Equal(names, []string{"Ann Martin", "Bob Stone"}) {
		t.Errorf("owners shown %q, want Ann Martin and Bob Stone", names)
	}
	// A name that finds nobody is refused in words, and nothing changes.
	test.Type(owners.add, "nobody")
	test.Tap(x.doorCat.saveBtn)
	if p := x.doorForm.spots.shownText("owners"); p != "Owners: nobody called 'nobody'" {
		t.Errorf("problem %q, want nobody named", p)
	}
	if d, _ := e.Door(s.actor, "lab"); !slices.Equal(d.Owners, []string{"ann", "bob"}) {
		t.Errorf("lab's owners %v after a refused save", d.Owners)
	}
}

// TestMultiPickDisabled: a form that may not change shows its choices
// without the means to change them.
func TestMultiPickDisabled(t *testing.T) {
	test.NewTempApp(t)
	m := newMultiPick(listFinder(func() []choice { return []choice{{id: "a", name: "A"}} }), false,
		func(string) string { return "A" })
	test.NewWindow(container.NewVBox(m.box))
	m.setIDs([]string{"a", "a"})
	m.setEnabled(false)
	if len(m.ids) != 1 || !m.add.Disabled() {
		t.Errorf("ids %v, field disabled %v", m.ids, m.add.Disabled())
	}
	btn := m.rows.Objects[0].(*fyne.Container).Objects[1].(*fyne.Container).Objects[1].(*widget.Button)
	if !btn.Disabled() {
		t.Error("the remove button is enabled on a form that may not change")
	}
}

// TestTypingGoesOnOverTheList: the list of matches is an overlay, which
// takes the keyboard; what is typed on the window still reaches the
// field, Down and Return still pick, and Tab leaves the field.
func TestTypingGoesOnOverTheList(t *testing.T) {
	_, _, x, w := demoGrants(t)
	c := w.Canvas()
	c.Focus(x.person)
	typeFocused(t, c, "pa")
	if _, shown := shownChoices(x.person); !shown {
		t.Fatal("no list after typing")
	}
	typeFocused(t, c, "ul mar")
	if x.person.Text != "paul mar" {
		t.Fatalf("the field holds %q, want what was typed: %q", x.person.Text, "paul mar")
	}
	c.Focused().TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	if x.person.pickedID() != "paul.martin" || x.person.popup.Visible() {
		t.Fatalf("picked %q, list shown %v; want Paul Martin, the list closed", x.person.pickedID(), x.person.popup.Visible())
	}
	typeFocused(t, c, "x")
	if x.person.pickedID() != "" || !strings.HasSuffix(x.person.Text, "x") {
		t.Errorf("typing after a pick: field %q, picked %q", x.person.Text, x.person.pickedID())
	}
	c.Focused().TypedKey(&fyne.KeyEvent{Name: fyne.KeyTab})
	if x.person.popup.Visible() || c.Focused() == x.person {
		t.Errorf("after Tab: list shown %v, focus still on the field %v", x.person.popup.Visible(), c.Focused() == x.person)
	}
}

// typeFocused types s as a keyboard does: each character to what has the
// keyboard at that moment.
func typeFocused(t *testing.T, c fyne.Canvas, s string) {
	t.Helper()
	for _, r := range s {
		f := c.Focused()
		if f == nil {
			t.Fatalf("nothing has the keyboard for %q", r)
		}
		f.TypedRune(r)
	}
}

// TestCalendarSpeaksTheWindowsLanguage: the calendar of a date field
// names its month and its weekdays in the window's language, also after
// a move to the next month, and each weekday in its own column.
func TestCalendarSpeaksTheWindowsLanguage(t *testing.T) {
	for _, tt := range []struct {
		code, month, next string
		days              []string // Monday first
	}{
		{"en", "November 2026", "December 2026", []string{"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"}},
		{"fr", "Novembre 2026", "Décembre 2026", []string{"Lun", "Mar", "Mer", "Jeu", "Ven", "Sam", "Dim"}},
		{"ru", "Ноябрь 2026", "Декабрь 2026", []string{"Пн", "Вт", "Ср", "Чт", "Пт", "Сб", "Вс"}},
	} {
		t.Run(tt.code, func(t *testing.T) {
			inLanguage(t, tt.code)
			_, _, x, w := demoGrants(t)
			x.kind.SetSelected(grantUntil())
			test.Tap(calendarButton(t, w, x.until))
			top := w.Canvas().Overlays().Top()
			if top == nil {
				t.Fatal("no calendar shown")
			}
			texts := textsIn(top)
			if !slices.Contains(texts, tt.month) {
				t.Errorf("calendar shows %q, want the month %q", texts, tt.month)
			}
			var days []string
			for _, s := range texts {
				if slices.Contains(tt.days, s) {
					days = append(days, s)
				}
			}
			want := tt.days
			if len(days) > 0 && days[0] == tt.days[6] { // a week that starts on Sunday
				want = append([]string{tt.days[6]}, tt.days[:6]...)
			}
			if !slices.Equal(days, want) {
				t.Errorf("weekdays %q, want %q", days, want)
			}
			var next *widget.Button
			walkRendered(top, func(o fyne.CanvasObject) {
				if b, ok := o.(*widget.Button); ok && b.Text == "" {
					next = b // the second arrow
				}
			})
			if next == nil {
				t.Fatal("no arrow to the next month")
			}
			test.Tap(next)
			if texts := textsIn(top); !slices.Contains(texts, tt.next) {
				t.Errorf("after the arrow the calendar shows %q, want %q", texts, tt.next)
			}
		})
	}
}

// walkRendered calls fn on o and everything under it, through the
// widgets' current renderers.
func walkRendered(o fyne.CanvasObject, fn func(fyne.CanvasObject)) {
	fn(o)
	switch x := o.(type) {
	case fyne.Widget:
		for _, c := range test.WidgetRenderer(x).Objects() {
			walkRendered(c, fn)
		}
	case *fyne.Container:
		for _, c := range x.Objects {
			walkRendered(c, fn)
		}
	}
}
