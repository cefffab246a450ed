package ui

import (
	"slices"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"frontdesk/core"
)

func TestDemoTapPanel(t *testing.T) {
	e, _ := newEngine(t)
	addStaffAccount(t, e, "desk", "", core.PermAttendanceView)
	var taps []string
	tap := func(reader, code string) error {
		taps = append(taps, reader+" "+code)
		return nil
	}
	a, _, _ := newTestApp(t, e, Options{})
	a.pages = allPages(Options{DemoTap: tap})
	typeLogin(t, a, "desk", testPassword)
	if ids := a.shell.pageIDs(); len(ids) < 2 || ids[1] != "demo" {
		t.Fatalf("pages %v, want the demo panel second", ids)
	}
	d := newDemoTap(a.session, tap)
	w := test.NewWindow(d.build())
	defer w.Close()
	if !slices.Contains(d.readers.Options, "main-in") || slices.Contains(d.readers.Options, "relay") {
		t.Errorf("readers %v", d.readers.Options)
	}
	ann := ""
	for _, c := range d.cards.Options {
		if strings.HasPrefix(c, "Ann Martin — em:0102B0A5FD") {
			ann = c
		}
	}
	if ann == "" {
		t.Fatalf("no card of Ann's among %v", d.cards.Options)
	}
	d.readers.SetSelected("main-in")
	d.cards.SetSelected(ann)
	d.present()
	if len(taps) != 1 || taps[0] != "main-in em:0102B0A5FD" || !strings.Contains(d.result.Text, "Tapped em:0102B0A5FD at main-in") {
		t.Errorf("taps %v, shown %q", taps, d.result.Text)
	}
	// Without a demo, no panel.
	b, _, _ := newTestApp(t, e, Options{})
	b.pages = allPages(Options{})
	typeLogin(t, b, "desk", testPassword)
	if slices.Contains(b.shell.pageIDs(), "demo") {
		t.Error("a tap panel outside the demo")
	}
}
