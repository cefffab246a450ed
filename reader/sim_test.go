package reader_test

import (
	"context"
	"errors"
	"math/rand/v2"
	"sync"
	"testing"
	"time"

	"frontdesk/core"
	"frontdesk/core/coretest"
	"frontdesk/reader"
)

// simSite has three sim readers (two at a door, one at the desk), a serial
// reader and a sim relay that the simulator must leave alone, and people
// whose cards it may or may not tap. The short debounce keeps the test's
// double taps quick.
const simSite = `{
  "site": {"name": "Sim HQ", "timezone": "Europe/Paris", "debounce": "300ms", "desk_zone": "lobby"},
  "zones": [{"id": "outside", "name": "Outside"}, {"id": "lobby", "name": "Lobby", "work": true}],
  "doors": [{"id": "main", "name": "Main entrance", "from": "outside", "to": "lobby", "relay": "relay1:1"},
            {"id": "side", "name": "Side door", "from": "outside", "to": "lobby"}],
  "devices": [
    {"id": "relay1", "kind": "sim"},
    {"id": "main-in", "kind": "sim", "door": "main", "direction": "in"},
    {"id": "main-out", "kind": "sim", "door": "main", "direction": "out"},
    {"id": "desk", "kind": "sim", "desk": true},
    {"id": "side-in", "kind": "serial-rdm6300", "port": "/dev/ttyUSB9", "door": "side", "direction": "in"}],
  "access_levels": [{"id": "all", "name": "All doors", "rules": [{"doors": ["main", "side"]}]}],
  "departments": [{"id": "staff", "name": "Staff", "access_level": "all"}],
  "people": [
    {"id": "ann", "name": "Ann Martin", "department": "staff", "cards": ["em:0102B0A5FD"]},
    {"id": "bob", "name": "Bob Stone", "department": "staff", "cards": ["em:0A00000001", {"code": "em:0A00000002", "state": "lost"}]},
    {"id": "ina", "name": "Ina Inactive", "department": "staff", "active": false, "cards": ["em:0D00000005"]}]
}`

var simReaders = map[string]bool{"main-in": true, "main-out": true, "desk": true}

// record collects the events the engine publishes.
type record struct {
	mu   sync.Mutex
	evs  []core.Event
	more chan struct{}
}

func listen(e *core.Engine, t *testing.T) *record {
	r := &record{more: make(chan struct{}, 1)}
	t.Cleanup(e.Subscribe(func(ev core.Event) {
		r.mu.Lock()
		r.evs = append(r.evs, ev)
		r.mu.Unlock()
		select {
		case r.more <- struct{}{}:
		default:
		}
	}))
	return r
}

func (r *record) events() []core.Event {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]core.Event(nil), r.evs...)
}

// runSim runs a supervisor on the site in the background and returns it
// with a function that cancels it and reports how long Run took to return.
func runSim(t *testing.T, e *core.Engine, sup *reader.Supervisor) (stop func() time.Duration) {
	t.Helper()
	sup.Engine = e
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- sup.Run(ctx) }()
	t.Cleanup(cancel)
	return func() time.Duration {
		start := time.Now()
		cancel()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("Run returned %v, want nil after cancel", err)
			}
		case <-time.After(5 * time.Second):
			t.Fatal("Run did not return within 5s of the cancel")
		}
		return time.Since(start)
	}
}

func TestSimTaps(t *testing.T) {
	e := coretest.SiteEngine(t, simSite, time.Now)
	rec := listen(e, t)
	stop := runSim(t, e, &reader.Supervisor{Simulate: true, SimEvery: 2 * time.Millisecond, Rand: rand.New(rand.NewPCG(1, 2))})

	// Enough taps to see every kind: known, unknown, duplicates. Each tap
	// waits for its commit to be durable, which takes its time under -race
	// on a busy machine.
	deadline := time.After(30 * time.Second)
	for len(rec.events()) < 60 {
		select {
		case <-rec.more:
		case <-deadline:
			t.Fatalf("got %d events in 30s, want 60", len(rec.events()))
		}
	}
	if took := stop(); took > 2*time.Second {
		t.Errorf("Run took %v to return after cancel, want < 2s", took)
	}

	known := map[string]bool{"em:0102B0A5FD": true, "em:0A00000001": true}
	count := map[core.Result]int{}
	people := map[string]bool{}
	for _, ev := range rec.events() {
		count[ev.Result]++
		if !simReaders[ev.Reader] {
			t.Errorf("event at reader %q, want only sim readers", ev.Reader)
		}
		if ev.Reader == "desk" {
			t.Errorf("a random tap at the desk (%s): the desk is left to the tap panel", ev.Result)
		}
		if ev.Person != "" {
			people[ev.Person] = true
			if !known[ev.Card] {
				t.Errorf("tapped card %s of %s, want only active cards of active people", ev.Card, ev.Person)
			}
		}
	}
	if !people["ann"] || !people["bob"] {
		t.Errorf("people tapped %v, want ann and bob", people)
	}
	for _, r := range []core.Result{core.Granted, core.DeniedUnknownCard, core.IgnoredDuplicate} {
		if count[r] == 0 {
			t.Errorf("no %s among %d events (%v)", r, len(rec.events()), count)
		}
	}
	// The sim relay ran, and the serial reader with no port is reported.
	health := map[string]core.DeviceHealth{}
	for _, h := range e.Health(core.CommandLine("test")) {
		health[h.Device] = h
	}
	if h := health["relay1"]; !h.Connected {
		t.Errorf("sim relay health %+v, want connected", h)
	}
	if h := health["side-in"]; h.Connected || h.LastError == "" {
		t.Errorf("missing serial reader health %+v, want not connected with an error", h)
	}
}

func TestSimDoubleTapIsDuplicate(t *testing.T) {
	// Now and then the same card comes twice in a row at the same reader
	// within the debounce interval: the engine ignores the second.
	e := coretest.SiteEngine(t, simSite, time.Now)
	rec := listen(e, t)
	stop := runSim(t, e, &reader.Supervisor{Simulate: true, SimEvery: 20 * time.Millisecond, Rand: rand.New(rand.NewPCG(7, 7))})
	deadline := time.After(20 * time.Second)
	for {
		evs := rec.events()
		found := false
		for i := 1; i < len(evs); i++ {
			b := evs[i]
			if b.Result != core.IgnoredDuplicate {
				continue
			}
			for _, a := range evs[:i] {
				if a.Card == b.Card && a.Reader == b.Reader && a.Result != core.IgnoredDuplicate {
					found = true
				}
			}
		}
		if found {
			break
		}
		select {
		case <-rec.more:
		case <-deadline:
			t.Fatalf("no double tap ignored as duplicate in 20s among %d events", len(evs))
		}
	}
	stop()
}

func TestInjectTapsAtASimReader(t *testing.T) {
	e := coretest.SiteEngine(t, simSite, time.Now)
	rec := listen(e, t)
	sup := &reader.Supervisor{Rescan: 20 * time.Millisecond}
	stop := runSim(t, e, sup)
	defer stop()
	// The supervisor starts its devices as it runs.
	deadline := time.Now().Add(5 * time.Second)
	for sup.Inject("main-in", "em:0102B0A5FD") != nil {
		if time.Now().After(deadline) {
			t.Fatal("sim reader main-in never ran")
		}
		time.Sleep(10 * time.Millisecond)
	}
	select {
	case <-rec.more:
	case <-time.After(5 * time.Second):
		t.Fatal("no event for the injected tap")
	}
	if evs := rec.events(); len(evs) != 1 || evs[0].Person != "ann" || evs[0].Result != core.Granted || evs[0].Reader != "main-in" {
		t.Fatalf("events %+v, want ann granted at main-in", evs)
	}
	// Without Simulate nothing else taps.
	time.Sleep(200 * time.Millisecond)
	if n := len(rec.events()); n != 1 {
		t.Errorf("%d events, want only the injected one", n)
	}
	for _, id := range []string{"side-in", "relay1", "nowhere"} {
		if err := sup.Inject(id, "em:0102B0A5FD"); !errors.Is(err, core.ErrNotFound) {
			t.Errorf("Inject at %s = %v, want ErrNotFound", id, err)
		}
	}
}

func TestSupervisorStopsPromptlyWhileSimWaits(t *testing.T) {
	// Cancelled while the simulated readers wait for their next tap, hours
	// away.
	e := coretest.SiteEngine(t, simSite, time.Now)
	stop := runSim(t, e, &reader.Supervisor{Simulate: true, SimEvery: time.Hour})
	time.Sleep(50 * time.Millisecond)
	if took := stop(); took > time.Second {
		t.Errorf("Run took %v to return after cancel, want < 1s", took)
	}
}
