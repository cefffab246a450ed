package ui

import (
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

// testPages are pages with known permissions, whatever the app's pages
// are: the shell's navigation is what is tested.
func testPages() []page {
	mk := func(id string, needs ...core.Permission) page {
		return page{id: id, title: "Page " + id, needs: needs, build: func(*session) fyne.CanvasObject { return widget.NewLabel("content of " + id) }}
	}
	home := page{id: "home", title: "Home", build: func(*session) fyne.CanvasObject { return widget.NewEntry() }}
	return []page{home, mk("people", core.PermPeopleView), mk("grants", core.PermGrantsEditOwn, core.PermGrantsEditAny), mk("audit", core.PermAuditView)}
}

// newTestApp builds the app on e with the test pages and a manual clock
// for the idle logout.
func newTestApp(t *testing.T, e *core.Engine, opts Options) (*App, uiThread, *time.Time) {
	t.Helper()
	fa := test.NewTempApp(t)
	ui := make(uiThread, 256)
	now := time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC)
	opts.Log = slog.New(slog.DiscardHandler)
	a := &App{fyne: fa, engine: e, opts: opts, pages: testPages(), now: func() time.Time { return now }}
	a.build(ui.do)
	a.window.Resize(fyne.NewSize(1000, 700))
	t.Cleanup(a.bridge.close)
	return a, ui, &now
}

// typeLogin fills the login form shown and presses the button.
func typeLogin(t *testing.T, a *App, user, password string) {
	t.Helper()
	var entries []*widget.Entry
	var button *widget.Button
	for _, o := range test.LaidOutObjects(a.window.Content()) {
		if e := entryOf(o); e != nil {
			entries = append(entries, e)
		}
		switch w := o.(type) {
		case *widget.Button:
			if w.Text == "Log in" {
				button = w
			}
		}
	}
	if len(entries) < 2 || button == nil {
		t.Fatalf("login form: %d entries, button %v", len(entries), button != nil)
	}
	entries[0].SetText(user)
	entries[1].SetText(password)
	test.Tap(button)
}

// shownText is every label's text in the window.
func shownText(w fyne.Window) string {
	var out []string
	for _, o := range test.LaidOutObjects(w.Content()) {
		if l, ok := o.(*widget.Label); ok && l.Visible() {
			out = append(out, l.Text)
		}
	}
	return strings.Join(out, "\n")
}

func TestLoginShowsOnlyAllowedPages(t *testing.T) {
	e, _ := newEngine(t)
	addStaffAccount(t, e, "boss", "", core.PermGrantsEditOwn, core.PermDoorsView)
	addStaffAccount(t, e, "clerk", "", core.PermPeopleView)
	a, _, _ := newTestApp(t, e, Options{})
	if a.session != nil {
		t.Fatal("a session before any login")
	}
	typeLogin(t, a, "boss", "wrong password!")
	if a.session != nil || !strings.Contains(shownText(a.window), "Wrong username or password, or the account is locked or disabled.") {
		t.Fatalf("wrong password: session %v, shown %q", a.session, shownText(a.window))
	}
	typeLogin(t, a, "boss", testPassword)
	if a.session == nil || a.session.actor.Name != "boss" {
		t.Fatal("boss not logged in")
	}
	if got := strings.Join(a.shell.pageIDs(), ","); got != "home,grants" {
		t.Errorf("boss sees %s, want home,grants", got)
	}
	if !strings.Contains(shownText(a.window), "Logged in as boss") {
		t.Error("the bar does not say who is logged in")
	}
	var out *widget.Button
	for _, o := range test.LaidOutObjects(a.window.Content()) {
		if b, ok := o.(*widget.Button); ok && b.Text == "Log out" {
			out = b
		}
	}
	if out == nil {
		t.Fatal("no Log out button")
	}
	test.Tap(out)
	if a.session != nil {
		t.Fatal("still logged in after Log out")
	}
	typeLogin(t, a, "clerk", testPassword)
	if got := strings.Join(a.shell.pageIDs(), ","); got != "home,people" {
		t.Errorf("clerk sees %s, want home,people", got)
	}
	a.shell.show("people")
	if !strings.Contains(shownText(a.window), "content of people") {
		t.Error("the people page is not shown")
	}
}

// TestLoginRefusalsLookAlike: a wrong password, an unknown username, a
// locked and a disabled account show the same sentence, with the rule of
// lockouts, and nothing else; the lockout still holds, and ends.
func TestLoginRefusalsLookAlike(t *testing.T) {
	e, c := newEngine(t)
	addStaffAccount(t, e, "desk", "", core.PermAttendanceView)
	addStaffAccount(t, e, "gone", "", core.PermAttendanceView)
	if _, err := e.SetAccountEnabled(testCLI, "gone", false); err != nil {
		t.Fatal(err)
	}
	a, _, _ := newTestApp(t, e, Options{LoginHint: "Demo accounts, password frontdesk-demo: admin, manager, claire (a boss who owns the lab and the server room), desk (a receptionist)."})
	const want = "Wrong username or password, or the account is locked or disabled. 5 wrong passwords in a row lock an account for 5 minutes."
	shown := map[string]string{}
	typeLogin(t, a, "nobody", testPassword)
	shown["unknown username"] = shownText(a.window)
	typeLogin(t, a, "gone", testPassword)
	shown["disabled"] = shownText(a.window)
	for range core.MaxFailedLogins {
		typeLogin(t, a, "desk", "not the password")
	}
	shown["wrong password"] = shownText(a.window)
	typeLogin(t, a, "desk", testPassword)
	shown["locked"] = shownText(a.window)
	for why, text := range shown {
		if !strings.Contains(text, want) || text != shown["locked"] {
			t.Errorf("%s: shown %q, want %q and the same for every refusal", why, text, want)
		}
	}
	if a.session != nil {
		t.Fatal("logged in while locked")
	}
	// The sentence fits in the form: nothing shown overlaps.
	noOverlap(t, a.window)
	shot(t, a.window, "login-refused")
	c.now = c.now.Add(core.LockoutTime + time.Second)
	typeLogin(t, a, "desk", testPassword)
	if a.session == nil {
		t.Fatal("the lockout did not end")
	}
}

func TestFirstStartCreatesTheAdministrator(t *testing.T) {
	e, _ := newEngine(t)
	demo := false
	a, _, _ := newTestApp(t, e, Options{OpenDemo: func() { demo = true }})
	var entries []*widget.Entry
	buttons := map[string]*widget.Button{}
	for _, o := range test.LaidOutObjects(a.window.Content()) {
		if e := entryOf(o); e != nil {
			entries = append(entries, e)
		}
		switch w := o.(type) {
		case *widget.Button:
			buttons[w.Text] = w
		}
	}
	if len(entries) != 3 || buttons["Create the administrator"] == nil || buttons["Open the demo site instead"] == nil {
		t.Fatalf("first start: %d entries, buttons %v", len(entries), buttons)
	}
	entries[1].SetText("short")
	entries[2].SetText("short")
	test.Tap(buttons["Create the administrator"])
	if e.HasAccounts() || !strings.Contains(shownText(a.window), "10") {
		t.Fatalf("a short password: accounts %v, shown %q", e.HasAccounts(), shownText(a.window))
	}
	entries[1].SetText(testPassword)
	entries[2].SetText(testPassword + "x")
	test.Tap(buttons["Create the administrator"])
	if e.HasAccounts() || !strings.Contains(shownText(a.window), "The two passwords differ.") {
		t.Fatal("different passwords accepted")
	}
	entries[2].SetText(testPassword)
	// Enter in the first field creates it, as the button does.
	entries[0].TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	if a.session == nil || a.session.actor.Name != "admin" || !a.session.can(core.PermAccountsEdit) {
		t.Fatal("not logged in as the new administrator")
	}
	if got := strings.Join(a.shell.pageIDs(), ","); got != "home,people,grants,audit" {
		t.Errorf("admin sees %s", got)
	}
	test.Tap(buttons["Open the demo site instead"])
	if !demo {
		t.Error("the demo button did nothing")
	}
}

func TestIdleLogout(t *testing.T) {
	e, _ := newEngine(t)
	addStaffAccount(t, e, "desk", "", core.PermPeopleView)
	a, _, now := newTestApp(t, e, Options{})
	start := *now
	at := func(d time.Duration) { *now = start.Add(d) }
	typeLogin(t, a, "desk", testPassword)
	idle := a.shell.idle
	if idle == nil || idle.limit != defaultIdleMinutes*time.Minute {
		t.Fatalf("idle watch %+v", idle)
	}
	// Typing into the home page's entry is activity.
	var entry *widget.Entry
	for _, o := range test.LaidOutObjects(a.window.Content()) {
		if en, ok := o.(*widget.Entry); ok {
			entry = en
		}
	}
	if entry == nil {
		t.Fatal("no entry on the home page")
	}
	a.window.Canvas().Focus(entry)
	at(5 * time.Minute)
	entry.SetText("typing")
	idle.check()
	// 9 min 40 s after the typing: the warning, still logged in.
	at(14*time.Minute + 40*time.Second)
	idle.check()
	if idle.warning == nil || a.session == nil {
		t.Fatalf("20 s before the limit: warning %v, session %v", idle.warning, a.session)
	}
	// "Stay logged in" keeps the session for another 10 minutes.
	idle.warning.Hide()
	at(24 * time.Minute)
	idle.check()
	if a.session == nil {
		t.Fatal("logged out though the user chose to stay")
	}
	at(25 * time.Minute)
	idle.check()
	if a.session != nil {
		t.Fatal("still logged in after 10 idle minutes")
	}
	if !slices.ContainsFunc(test.LaidOutObjects(a.window.Content()), func(o fyne.CanvasObject) bool {
		b, ok := o.(*widget.Button)
		return ok && b.Text == "Log in"
	}) {
		t.Error("no login form after the automatic logout")
	}
}

func TestPreferencesSetTheIdleLogout(t *testing.T) {
	e, _ := newEngine(t)
	addStaffAccount(t, e, "desk", "", core.PermPeopleView)
	a, _, now := newTestApp(t, e, Options{})
	start := *now
	typeLogin(t, a, "desk", testPassword)
	form := test.NewWindow(a.shell.preferences())
	defer form.Close()
	var selects []*widget.Select
	for _, o := range test.LaidOutObjects(form.Content()) {
		if s, ok := o.(*widget.Select); ok {
			selects = append(selects, s)
		}
	}
	if len(selects) != 2 || selects[1].Selected != "After 10 idle minutes" {
		t.Fatalf("preferences: %d selects, idle %q", len(selects), selects[len(selects)-1].Selected)
	}
	selects[1].SetSelected("Never")
	*now = start.Add(3 * time.Hour)
	a.shell.idle.check()
	if a.session == nil {
		t.Fatal("logged out with the automatic logout set to never")
	}
	selects[1].SetSelected("After 5 idle minutes")
	if got := a.fyne.Preferences().Int(prefIdleMinutes); got != 5 {
		t.Errorf("preference %d, want 5", got)
	}
	*now = now.Add(5*time.Minute + time.Second)
	a.shell.idle.check()
	if a.session != nil {
		t.Fatal("still logged in 5 idle minutes after choosing 5")
	}
	selects[0].SetSelected("Français")
	if got := a.fyne.Preferences().String(prefLanguage); got != "fr" {
		t.Errorf("language preference %q, want fr", got)
	}
}

// noOverlap fails when two labels, entries or buttons shown in w overlap,
// or a box or one of them is shown smaller than its content needs.
func noOverlap(t *testing.T, w fyne.Window) {
	t.Helper()
	type box struct {
		what     string
		pos, end fyne.Position
	}
	var boxes []box
	d := fyne.CurrentApp().Driver()
	for _, o := range test.LaidOutObjects(w.Content()) {
		if c, ok := o.(*fyne.Container); ok && c.Visible() {
			if size, min := c.Size(), c.MinSize(); size.Height+0.5 < min.Height {
				t.Errorf("a box is %v high, less than the %v its content needs: something is cut or overlaps", size.Height, min.Height)
			}
			continue
		}
		what := ""
		switch x := o.(type) {
		case *widget.Label:
			what = "label " + x.Text
		case *widget.Entry:
			what = "entry " + x.PlaceHolder
		case *formEntry:
			what = "entry " + x.PlaceHolder
		case *widget.Button:
			what = "button " + x.Text
		default:
			continue
		}
		if !o.Visible() {
			continue
		}
		if size, min := o.Size(), o.MinSize(); size.Width < 1 || size.Height < min.Height {
			t.Errorf("%q is shown at %v, less than its %v: not laid out, or cut", what, size, min)
			continue
		}
		pos := d.AbsolutePositionForObject(o)
		boxes = append(boxes, box{what, pos, pos.Add(o.Size())})
	}
	for i, a := range boxes {
		for _, b := range boxes[i+1:] {
			if a.pos.X < b.end.X && b.pos.X < a.end.X && a.pos.Y < b.end.Y && b.pos.Y < a.end.Y {
				t.Errorf("%q at %v-%v overlaps %q at %v-%v", a.what, a.pos, a.end, b.what, b.pos, b.end)
			}
		}
	}
}
