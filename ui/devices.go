package ui

import (
	"fmt"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"frontdesk/core"
)

// deviceBarEvery is how often the device strip rereads the devices'
// health: a reader unplugged shows within about a second.
const deviceBarEvery = time.Second

// deviceBar is the strip at the bottom of the window with one item per
// device: its id in green while it works, in red when it is disconnected or
// its door is faulty, with the reason as the item's text. It rereads the
// engine's health on a timer rather than per report: a reader sends a
// report per frame, and the strip needs a glance, not every frame.
type deviceBar struct {
	engine *core.Engine
	actor  core.Actor
	// after runs a function on the UI thread later (bridge.after).
	after func(time.Duration, func())

	box   *fyne.Container
	items map[string]*widget.Label
}

func newDeviceBar(engine *core.Engine, actor core.Actor, after func(time.Duration, func())) *deviceBar {
	return &deviceBar{engine: engine, actor: actor, after: after, items: map[string]*widget.Label{}}
}

func (d *deviceBar) build() fyne.CanvasObject {
	d.box = container.NewHBox()
	d.refresh()
	d.schedule()
	// A site with many devices scrolls rather than widening the window.
	return container.NewHScroll(d.box)
}

func (d *deviceBar) schedule() {
	if d.after == nil {
		return
	}
	d.after(deviceBarEvery, func() {
		d.refresh()
		d.schedule()
	})
}

// refresh shows the site's devices with their last health.
func (d *deviceBar) refresh() {
	health := map[string]core.DeviceHealth{}
	for _, h := range d.engine.Health(d.actor) {
		health[h.Device] = h
	}
	devices := d.engine.Devices(d.actor)
	if len(devices) == 0 {
		d.box.Objects = []fyne.CanvasObject{widget.NewLabel(lang.L("No devices"))}
		d.box.Refresh()
		return
	}
	objs := []fyne.CanvasObject{widget.NewLabel(lang.L("Devices:"))}
	seen := map[string]bool{}
	for _, dev := range devices {
		seen[dev.ID] = true
		l, ok := d.items[dev.ID]
		if !ok {
			l = widget.NewLabel("")
			d.items[dev.ID] = l
		}
		text, imp := deviceState(dev, health[dev.ID])
		if l.Text != text || l.Importance != imp {
			l.Text, l.Importance = text, imp
			l.Refresh()
		}
		objs = append(objs, l)
	}
	for id := range d.items {
		if !seen[id] {
			delete(d.items, id)
		}
	}
	d.box.Objects = objs
	d.box.Refresh()
}

// deviceState words one device's health for the strip.
func deviceState(dev core.Device, h core.DeviceHealth) (string, widget.Importance) {
	switch {
	case h.Device == "":
		return dev.ID + ": " + lang.L("not running"), widget.LowImportance
	case len(h.Faulty) > 0:
		return fmt.Sprintf(lang.L("%s: door %s may be unlocked"), dev.ID, strings.Join(h.Faulty, ", ")), widget.DangerImportance
	case !h.Connected && h.LastError != "":
		return dev.ID + ": " + shortError(h.LastError), widget.DangerImportance
	case !h.Connected:
		return dev.ID + ": " + lang.L("disconnected"), widget.DangerImportance
	}
	return dev.ID, widget.SuccessImportance
}

// shortError keeps what a receptionist can act on from a driver's error:
// "not found" rather than the port's path and the errno.
func shortError(s string) string {
	switch {
	case strings.Contains(s, "device not found"):
		return lang.L("not found")
	case strings.Contains(s, "permission denied"):
		return lang.L("permission denied")
	}
	if len(s) > 40 {
		s = s[:40] + "…"
	}
	return s
}
