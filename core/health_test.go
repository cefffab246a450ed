package core_test

import (
	"slices"
	"testing"
	"time"

	"frontdesk/core"
)

const healthSite = `{
  "site": {"name": "Health", "timezone": "Europe/Paris"},
  "zones": [{"id": "outside", "name": "Outside"}, {"id": "office", "name": "Office"}],
  "doors": [{"id": "main", "name": "Main", "from": "outside", "to": "office", "owners": ["ann"], "relay": "relay:1"},
            {"id": "back", "name": "Back", "from": "outside", "to": "office"}],
  "devices": [{"id": "relay", "kind": "sim"}],
  "people": [
    {"id": "ann", "name": "Ann", "cards": ["em:0100000001", {"code": "em:0100000002", "state": "lost"}]},
    {"id": "bob", "name": "Bob", "active": false, "cards": ["em:0100000003"]},
    {"id": "cyd", "name": "Cyd", "cards": ["uid:04A22B1A"]}]
}`

func TestHealthReportsAndListeners(t *testing.T) {
	e := newEngine(t, healthSite, time.Now())
	a := core.Actor{Kind: core.ActorSystem}
	var heard []core.DeviceHealth
	cancel := e.SubscribeHealth(func(h core.DeviceHealth) { heard = append(heard, h) })

	faulty := []string{"main"}
	e.ReportHealth(core.DeviceHealth{Device: "relay", Kind: "sim", Connected: true, Faulty: faulty})
	e.ReportHealth(core.DeviceHealth{Device: "a-reader", Kind: "sim", Rejected: 2})
	faulty[0] = "changed by the caller afterwards"
	got := e.Health(a)
	if len(got) != 2 || got[0].Device != "a-reader" || got[1].Device != "relay" {
		t.Fatalf("Health = %+v, want a-reader then relay", got)
	}
	if got[1].Faulty[0] != "main" || !got[1].Connected || got[0].Rejected != 2 {
		t.Errorf("Health = %+v, want the reports as made", got)
	}
	e.ForgetHealth("a-reader")
	if got := e.Health(a); len(got) != 1 || got[0].Device != "relay" {
		t.Errorf("after ForgetHealth: %+v, want relay only", got)
	}
	cancel()
	e.ReportHealth(core.DeviceHealth{Device: "relay"})
	if len(heard) != 3 || heard[2].Device != "a-reader" || heard[2].Kind != "" {
		t.Errorf("listener heard %+v, want two reports and a forget, nothing after cancel", heard)
	}
}

func TestDoorLookups(t *testing.T) {
	e := newEngine(t, healthSite, time.Now())
	a := core.Actor{Kind: core.ActorSystem}
	d, ok := e.Door(a, "main")
	if !ok || d.Relay != "relay:1" || !d.OwnedBy("ann") {
		t.Errorf("Door(main) = %+v, %v", d, ok)
	}
	d.Owners[0] = "mallory" // a copy: the engine's site is unchanged
	if d, _ := e.Door(a, "main"); !d.OwnedBy("ann") {
		t.Error("changing the returned door changed the engine's")
	}
	if _, ok := e.Door(a, "nope"); ok {
		t.Error("Door(nope) found a door")
	}
	var ids []string
	for _, d := range e.Doors(a) {
		ids = append(ids, d.ID)
	}
	if !slices.Equal(ids, []string{"back", "main"}) {
		t.Errorf("Doors = %v, want back, main", ids)
	}
}

func TestUsableCards(t *testing.T) {
	e := newEngine(t, healthSite, time.Now())
	a := core.Actor{Kind: core.ActorSystem}
	got, err := e.UsableCards(a, 10)
	if err != nil {
		t.Fatal(err)
	}
	// Not the lost card, not the inactive person's.
	if want := []string{"em:0100000001", "uid:04A22B1A"}; !slices.Equal(got, want) {
		t.Errorf("UsableCards = %v, want %v", got, want)
	}
	if got, _ := e.UsableCards(a, 1); len(got) != 1 {
		t.Errorf("UsableCards(limit 1) = %v, want one", got)
	}
}
