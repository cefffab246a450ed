package ui

import (
	"slices"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"frontdesk/core"
)

// TestDoorsDevicesOfAnotherSite: another site's readers and relays are
// not in the device list (nothing here runs them), nor its doors among
// those a reader may serve, and the device form refuses one of their
// ids, naming that site and this one, adding nothing.
func TestDoorsDevicesOfAnotherSite(t *testing.T) {
	test.NewTempApp(t)
	e, _ := newAdminEngine(t)
	e.SetFederation(core.Federation{Site: "hq", IsCentral: true, Central: "hq"})
	if _, err := e.ApplySiteObjects("lyon", []core.Zone{{ID: "lyon", Name: "Lyon", Work: true}},
		[]core.Door{{ID: "lyon-main", Name: "Lyon main", From: "outside", To: "lyon"}},
		core.Device{ID: "lyon-in", Kind: "sim", Door: "lyon-main", Direction: core.In},
		core.Device{ID: "lyon-relay", Kind: "sim"}); err != nil {
		t.Fatal(err)
	}
	s := staffSession(t, e, "tech", "", core.PermDoorsView, core.PermDoorsEdit)
	x, _ := newDoors(t, s)
	x.tabs.SelectIndex(2)
	if i := slices.IndexFunc(x.devices, func(d core.Device) bool { return d.Site != "" }); i >= 0 {
		t.Errorf("the device list shows %+v, another site's", x.devices[i])
	}
	if slices.Contains(x.devDoor.ids, "lyon-main") || !slices.Contains(x.devDoor.ids, "main") {
		t.Errorf("a reader's doors to choose from: %v, want this site's and not lyon-main", x.devDoor.ids)
	}
	before := len(e.Devices(s.actor))

	test.Tap(x.devCat.newBtn)
	x.devID.SetText("lyon-relay")
	x.devKind.SetSelected("sim")
	test.Tap(x.devCat.saveBtn)
	p := x.devCat.problem
	if !p.Visible() || !strings.Contains(p.Text, "devices/lyon-relay: the id is site lyon's, not this site's (hq)") {
		t.Errorf("problem %q, want the id refused naming lyon and hq", p.Text)
	}
	if after := len(e.Devices(s.actor)); after != before {
		t.Errorf("%d devices after the refusal, want %d", after, before)
	}
}
