package ui

import (
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"frontdesk/core"
	"frontdesk/storage/storagetest"
)

// testCLI is who sets the tests' sites and accounts up.
var testCLI = core.CommandLine("test")

// testPassword is the password of the accounts the tests make.
const testPassword = "correct horse battery"

// siteEngine imports site into a fresh store, with a clock that starts at
// start.
func siteEngine(t *testing.T, site string, start time.Time) (*core.Engine, *clock) {
	t.Helper()
	c := &clock{now: start}
	e, err := core.NewEngine(storagetest.MustOpen(t), c.read, nil)
	if err != nil {
		t.Fatal(err)
	}
	f, err := core.ReadSiteFile(strings.NewReader(site))
	if err != nil {
		t.Fatal(err)
	}
	if err := e.Import(testCLI, f); err != nil {
		t.Fatal(err)
	}
	return e, c
}

// addRole makes role id, called name, holding exactly perms.
func addRole(t *testing.T, e *core.Engine, id, name string, perms ...core.Permission) {
	t.Helper()
	if _, err := e.PutRole(testCLI, core.Role{ID: id, Name: name, Permissions: perms}); err != nil {
		t.Fatal(err)
	}
}

// addAccount makes account name, of person ("" for none), with roles and
// testPassword.
func addAccount(t *testing.T, e *core.Engine, name, person string, roles ...string) {
	t.Helper()
	if _, err := e.AddAccount(testCLI, core.AccountInfo{Username: name, Person: person, Roles: roles}, testPassword); err != nil {
		t.Fatal(err)
	}
}

// login logs account name in with testPassword.
func login(t *testing.T, e *core.Engine, name string) core.Actor {
	t.Helper()
	a, err := e.Login(name, testPassword)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// roleAccount makes account name with roles and logs it in.
func roleAccount(t *testing.T, e *core.Engine, name string, roles ...string) core.Actor {
	t.Helper()
	addAccount(t, e, name, "", roles...)
	return login(t, e, name)
}

// addStaffAccount makes account name, of person ("" for none), whose one
// role, "role-" + name, holds exactly perms.
func addStaffAccount(t *testing.T, e *core.Engine, name, person string, perms ...core.Permission) {
	t.Helper()
	addRole(t, e, "role-"+name, name, perms...)
	addAccount(t, e, name, person, "role-"+name)
}

// staffAccount is addStaffAccount, then logs the account in.
func staffAccount(t *testing.T, e *core.Engine, name, person string, perms ...core.Permission) core.Actor {
	t.Helper()
	addStaffAccount(t, e, name, person, perms...)
	return login(t, e, name)
}

// testSession is a session of actor on e with no logger, window, bridge
// or timers: tests set what they need.
func testSession(t *testing.T, e core.API, actor core.Actor) *session {
	t.Helper()
	s, err := newSession(e, actor, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// staffSession logs in a new account name, of person, whose one role holds
// perms, and returns its session.
func staffSession(t *testing.T, e *core.Engine, name, person string, perms ...core.Permission) *session {
	t.Helper()
	return testSession(t, e, staffAccount(t, e, name, person, perms...))
}

// testWindow puts content in a test window of the app's size, closed when
// the test ends.
func testWindow(t *testing.T, content fyne.CanvasObject) fyne.Window {
	t.Helper()
	w := test.NewWindow(content)
	w.Resize(fyne.NewSize(1100, 700))
	t.Cleanup(w.Close)
	return w
}

// showIn is testWindow made s's window, which s's dialogs use.
func showIn(t *testing.T, s *session, content fyne.CanvasObject) fyne.Window {
	t.Helper()
	w := testWindow(t, content)
	s.window = w
	return w
}

// startBridge starts b and closes it when the test ends, before the
// windows made earlier close.
func startBridge(t *testing.T, b *bridge) {
	t.Helper()
	b.start()
	t.Cleanup(b.close)
}

// shownTexts are the texts of the labels the window shows now. It walks
// the widgets' current renderers: test.LaidOutObjects makes new ones, and
// a new table renderer has no cells yet.
func shownTexts(w fyne.Window) []string { return textsIn(w.Content()) }

// textsIn is the text of the visible labels in o and its children.
func textsIn(o fyne.CanvasObject) []string {
	var out []string
	var walk func(o fyne.CanvasObject)
	walk = func(o fyne.CanvasObject) {
		if !o.Visible() {
			return
		}
		switch x := o.(type) {
		case *widget.Label:
			out = append(out, x.Text)
		case fyne.Widget:
			for _, c := range test.WidgetRenderer(x).Objects() {
				walk(c)
			}
		case *fyne.Container:
			for _, c := range x.Objects {
				walk(c)
			}
		}
	}
	walk(o)
	return out
}

// showsText reports whether a visible label in w reads text, once w is
// laid out and painted as a frame would.
func showsText(w fyne.Window, text string) bool {
	w.Canvas().Capture()
	return slices.Contains(shownTexts(w), text)
}

// bridgedSession is a session of actor whose screens hear the actor's
// watch through a bridge to ui; start it with startBridge once they are
// built.
func bridgedSession(t *testing.T, e core.API, actor core.Actor, ui uiThread) (*session, *bridge) {
	t.Helper()
	s := testSession(t, e, actor)
	b := watchingBridge(t, e, actor, ui)
	s.listen = b.add
	return s, b
}

// watchingBridge is a bridge to ui watching e as actor; start it with
// startBridge once its listeners are added.
func watchingBridge(t *testing.T, e core.API, actor core.Actor, ui uiThread) *bridge {
	t.Helper()
	b := newBridge(ui.do)
	if err := b.watch(e, actor); err != nil {
		t.Fatal(err)
	}
	return b
}

// shotsDir is where the screenshot tests write: $FRONTDESK_SHOTS when set,
// to look at the screens, else a temporary folder. Either way the tests
// build every screen in a realistic state and draw it.
func shotsDir(t *testing.T) string {
	t.Helper()
	if dir := os.Getenv("FRONTDESK_SHOTS"); dir != "" {
		return dir
	}
	return t.TempDir()
}

// shot draws w into shotsDir/name.png and fails when the picture is
// blank: a screen that lays out nothing, or one colour, is broken.
func shot(t *testing.T, w fyne.Window, name string) {
	t.Helper()
	img := w.Canvas().Capture()
	colours := map[color.RGBA]bool{}
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y += 4 {
		for x := b.Min.X; x < b.Max.X; x += 4 {
			colours[color.RGBAModel.Convert(img.At(x, y)).(color.RGBA)] = true
		}
	}
	if len(colours) < 8 {
		t.Errorf("%s: the screen drew %d colours: it is blank", name, len(colours))
	}
	f, err := os.Create(filepath.Join(shotsDir(t), name+".png"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := png.Encode(f, img); err != nil {
		t.Fatal(err)
	}
}

// entryOf is the entry o is, a window's own or a form's field; nil for
// anything else.
func entryOf(o fyne.CanvasObject) *widget.Entry {
	switch e := o.(type) {
	case *widget.Entry:
		return e
	case *formEntry:
		return &e.Entry
	case *searchPick:
		return &e.Entry
	}
	return nil
}
