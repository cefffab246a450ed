package ui

import (
	"log/slog"
	"slices"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"frontdesk/core"
)

func TestDeviceBarShowsHealth(t *testing.T) {
	test.NewTempApp(t)
	e, _ := newEngine(t)
	bar := newDeviceBar(e, core.CommandLine("test"), nil)
	bar.build()
	check := func(id, text string, imp widget.Importance) {
		t.Helper()
		l := bar.items[id]
		if l == nil {
			t.Fatalf("no item for %s", id)
		}
		if l.Text != text || l.Importance != imp {
			t.Errorf("%s: %q (importance %v), want %q (%v)", id, l.Text, l.Importance, text, imp)
		}
	}
	check("desk", "desk: not running", widget.LowImportance)

	e.ReportHealth(core.DeviceHealth{Device: "desk", Kind: "sim", Connected: true})
	e.ReportHealth(core.DeviceHealth{Device: "main-in", Kind: "sim", LastError: "open /dev/serial/by-id/usb-x: device not found"})
	e.ReportHealth(core.DeviceHealth{Device: "main-out", Kind: "sim", Connected: true, Faulty: []string{"main"}})
	bar.refresh()
	check("desk", "desk", widget.SuccessImportance)
	check("main-in", "main-in: not found", widget.DangerImportance)
	check("main-out", "main-out: door main may be unlocked", widget.DangerImportance)
	if n := len(bar.box.Objects); n != 4 {
		t.Errorf("strip has %d objects, want a title and 3 devices", n)
	}
	// The link to the company's hub, when the site has one, comes first.
	e.ReportHealth(core.DeviceHealth{Device: core.HubDevice, Kind: "hub", Connected: true})
	bar.refresh()
	check(core.HubDevice, "hub: connected", widget.SuccessImportance)
	if bar.box.Objects[1] != bar.items[core.HubDevice] {
		t.Error("the hub is not the strip's first item")
	}
	since := time.Date(2026, 11, 24, 9, 5, 0, 0, time.Local)
	bar.setHealth([]core.DeviceHealth{{Device: core.HubDevice, Kind: "hub", Since: since, LastError: "nats: timeout"}})
	check(core.HubDevice, "hub: not reachable since 09:05", widget.DangerImportance)
}

func TestDeviceBarRefreshesThroughTheBridge(t *testing.T) {
	fa := test.NewTempApp(t)
	e, _ := newEngine(t)
	ui := make(uiThread, 64)
	a := newApp(fa, e, Options{Actor: core.CommandLine("test"), Log: slog.New(slog.DiscardHandler)}, ui.do)
	t.Cleanup(a.bridge.close)
	shown := func(text string) bool { return slices.Contains(strings.Split(shownText(a.window), "\n"), text) }
	if !shown("desk: not running") {
		t.Fatalf("the desk before any report: %q", shownText(a.window))
	}
	e.ReportHealth(core.DeviceHealth{Device: "desk", Kind: "sim", Connected: true})
	ui.until(t, "the desk shown connected", func() bool { return shown("desk") })
}
