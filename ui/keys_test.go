package ui

import (
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
)

// TestKeyboardReachesPagesAndSearch: Ctrl+1..9 show the pages in the
// navigation's order, Ctrl+F goes to the shown page's search field, and
// after a logout the keys do nothing.
func TestKeyboardReachesPagesAndSearch(t *testing.T) {
	a := demoApp(t)
	typeLogin(t, a, "desk", "frontdesk-demo")
	if a.session == nil {
		t.Fatal("desk not logged in")
	}
	press := func(key fyne.KeyName) {
		a.window.Canvas().(interface{ TypedShortcut(fyne.Shortcut) }).TypedShortcut(
			&desktop.CustomShortcut{KeyName: key, Modifier: fyne.KeyModifierShortcutDefault})
	}
	ids := a.shell.pageIDs()
	for i := len(ids) - 1; i >= 0 && i < len(pageKeys); i-- {
		press(pageKeys[i])
		if a.shell.current != ids[i] {
			t.Errorf("Ctrl+%d shows %q, want %q", i+1, a.shell.current, ids[i])
		}
	}
	for _, page := range []string{"reception", "people"} {
		a.shell.show(page)
		a.window.Canvas().Focus(nil)
		press(fyne.KeyF)
		e, ok := a.window.Canvas().Focused().(*widget.Entry)
		if !ok || e != a.shell.search[page] {
			t.Errorf("Ctrl+F on %s focuses %v, want its search field", page, a.window.Canvas().Focused())
		}
	}
	a.logout()
	press(pageKeys[1]) // nothing to show: no panic, the login stays
	if a.session != nil || a.shell != nil {
		t.Error("a key brought a session back")
	}
}

// demoApp is the whole window on the demo site, at its login screen.
func demoApp(t *testing.T) *App {
	t.Helper()
	fa := test.NewTempApp(t)
	e, c := demoEngine(t)
	ui := make(uiThread, 1024)
	opts := Options{}
	a := &App{fyne: fa, engine: e, opts: opts, pages: allPages(opts), now: c.read}
	a.build(ui.do)
	t.Cleanup(a.bridge.close)
	return a
}
