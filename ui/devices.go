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

// deviceBarEvery is how often the device strip rereads the devices and
// their health without being told: the session's watch brings each health
// report as it comes, so the timer only catches what no report tells (a
// device added or removed without a report yet, a watch that failed).
const deviceBarEvery = 10 * time.Second

// deviceBar is the strip at the bottom of the window with one item per
// device: its id in green while it works, in red when it is disconnected or
// its door is faulty, with the reason as the item's text. It is a listener:
// the bridge hands it the health reports of the session's watch, the latest
// of each device per batch, so a reader that reports every frame costs the
// strip one change per batch.
type deviceBar struct {
	engine core.API
	actor  core.Actor
	// after runs a function on the UI thread later (bridge.after).
	after func(time.Duration, func())

	devices []core.Device
	health  map[string]core.DeviceHealth

	box   *fyne.Container
	items map[string]*widget.Label
}

func newDeviceBar(engine core.API, actor core.Actor, after func(time.Duration, func())) *deviceBar {
	return &deviceBar{engine: engine, actor: actor, after: after,
		health: map[string]core.DeviceHealth{}, items: map[string]*widget.Label{}}
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

// reload rereads the devices and their health: the watch missed some, or
// the service is back.
func (d *deviceBar) reload() { d.refresh() }

// setHealth shows the reports of the session's watch.
func (d *deviceBar) setHealth(hs []core.DeviceHealth) {
	for _, h := range hs {
		if forgotten(h) {
			delete(d.health, h.Device)
		} else {
			d.health[h.Device] = h
		}
		if _, ok := d.items[h.Device]; !ok && !forgotten(h) {
			// A device this strip does not show yet: one just added.
			d.refresh()
			return
		}
	}
	d.show()
}

// refresh rereads the site's devices with their last health.
func (d *deviceBar) refresh() {
	clear(d.health)
	for _, h := range d.engine.Health(d.actor) {
		d.health[h.Device] = h
	}
	d.devices = d.engine.Devices(d.actor)
	d.show()
}

// show shows the devices read last with their health.
func (d *deviceBar) show() {
	hub, linked := d.health[core.HubDevice]
	if len(d.devices) == 0 && !linked {
		d.box.Objects = []fyne.CanvasObject{widget.NewLabel(lang.L("No devices"))}
		d.box.Refresh()
		return
	}
	objs := []fyne.CanvasObject{widget.NewLabel(lang.L("Devices:"))}
	if linked {
		// The link to the company's other sites, first: without it the
		// doors still work, but nothing reaches or leaves the site.
		l, ok := d.items[core.HubDevice]
		if !ok {
			l = widget.NewLabel("")
			d.items[core.HubDevice] = l
		}
		text, imp := hubState(hub)
		if l.Text != text || l.Importance != imp {
			l.Text, l.Importance = text, imp
			l.Refresh()
		}
		objs = append(objs, l)
	}
	seen := map[string]bool{}
	for _, dev := range d.devices {
		seen[dev.ID] = true
		l, ok := d.items[dev.ID]
		if !ok {
			l = widget.NewLabel("")
			d.items[dev.ID] = l
		}
		text, imp := deviceState(dev, d.health[dev.ID])
		if l.Text != text || l.Importance != imp {
			l.Text, l.Importance = text, imp
			l.Refresh()
		}
		objs = append(objs, l)
	}
	for id := range d.items {
		if !seen[id] && !(id == core.HubDevice && linked) {
			delete(d.items, id)
		}
	}
	d.box.Objects = objs
	d.box.Refresh()
}

// forgotten reports whether h is the report of a device no longer run,
// which names only the device (core.Engine.ForgetHealth).
func forgotten(h core.DeviceHealth) bool {
	return h.Kind == "" && !h.Connected && h.Since.IsZero() && h.LastFrame.IsZero() &&
		h.Frames == 0 && h.Rejected == 0 && h.LastError == "" && h.ErrorAt.IsZero() && len(h.Faulty) == 0
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

// hubState words the link to the company's hub for the strip.
func hubState(h core.DeviceHealth) (string, widget.Importance) {
	if h.Connected {
		return lang.L("hub: connected"), widget.SuccessImportance
	}
	if h.Since.IsZero() {
		return lang.L("hub: not reachable"), widget.DangerImportance
	}
	return fmt.Sprintf(lang.L("hub: not reachable since %s"), h.Since.Local().Format("15:04")), widget.DangerImportance
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
