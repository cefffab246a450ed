package ui

import (
	"slices"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"frontdesk/core"
)

// TestVersionShown: the build's version is under the preferences, and in
// the options of every report the window prints.
func TestVersionShown(t *testing.T) {
	e, _ := newEngine(t)
	addStaffAccount(t, e, "desk", "", core.PermPeopleView)
	a, _, _ := newTestApp(t, e, Options{Version: "1.4.0-3-gabc1234"})
	typeLogin(t, a, "desk", testPassword)
	form := test.NewWindow(a.shell.preferences())
	defer form.Close()
	if !slices.ContainsFunc(test.LaidOutObjects(form.Content()), func(o fyne.CanvasObject) bool {
		l, ok := o.(*widget.Label)
		return ok && l.Text == "Frontdesk 1.4.0-3-gabc1234"
	}) {
		t.Error("the preferences do not show the version")
	}
	if got := a.session.printOptions("A4"); got.Version != "1.4.0-3-gabc1234" || got.Paper != "A4" {
		t.Errorf("printOptions: %+v, want the version and the paper", got)
	}
}
