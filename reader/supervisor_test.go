package reader_test

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"frontdesk/core"
	"frontdesk/core/coretest"
	"frontdesk/reader"
	"frontdesk/reader/readertest"
)

// ptySite is a door with a reader and a relay on serial lines; the test
// fills in the lines' paths. Ann's EM card reads as em: on the RDM6300,
// w26:176:42493 on a Wiegand converter; Bob has a MIFARE UID.
const ptySite = `{
  "site": {"name": "Serial HQ", "timezone": "Europe/Paris", "debounce": "2s"},
  "zones": [{"id": "outside", "name": "Outside"}, {"id": "office", "name": "Office", "work": true}],
  "doors": [{"id": "main", "name": "Main entrance", "from": "outside", "to": "office", "relay": "relay:1", "pulse": "300ms"}],
  "devices": [
    {"id": "main-in", "kind": "%s", "port": "%s", "door": "main", "direction": "in"%s},
    {"id": "relay", "kind": "%s", "port": "%s"%s}],
  "access_levels": [{"id": "all", "name": "All doors", "rules": [{"doors": ["main"]}]}],
  "departments": [{"id": "staff", "name": "Staff", "access_level": "all"}],
  "people": [
    {"id": "ann", "name": "Ann Martin", "department": "staff", "cards": ["em:0102B0A5FD"]},
    {"id": "bob", "name": "Bob Stone", "department": "staff", "cards": ["uid:04A22B1A"]}]
}`

// rig is a supervisor running a site whose reader and relay are on
// pseudo-terminals.
type rig struct {
	t       *testing.T
	engine  *core.Engine
	reader  *readertest.Line
	relay   *readertest.Line
	cancel  context.CancelFunc
	stopped chan struct{}
	events  *eventLog
	logs    *syncBuffer
}

type rigOptions struct {
	readerKind, readerExtra string
	relayKind, relayExtra   string
}

func newRig(t *testing.T, o rigOptions) *rig {
	t.Helper()
	if o.readerKind == "" {
		o.readerKind = "serial-rdm6300"
	}
	if o.relayKind == "" {
		o.relayKind = "serial-lcus-relay"
	}
	r := &rig{t: t, reader: readertest.NewLine(t), relay: readertest.NewLine(t), events: &eventLog{}, logs: &syncBuffer{}}
	site := fmt.Sprintf(ptySite, o.readerKind, r.reader.Path, o.readerExtra, o.relayKind, r.relay.Path, o.relayExtra)
	r.engine = coretest.SiteEngine(t, site, time.Now)
	cancelSub := r.engine.Subscribe(r.events.add)
	t.Cleanup(cancelSub)
	ctx, cancel := context.WithCancel(context.Background())
	r.cancel = cancel
	r.stopped = make(chan struct{})
	sup := &reader.Supervisor{Engine: r.engine, Log: slog.New(slog.NewTextHandler(r.logs, nil)), Rescan: 100 * time.Millisecond}
	go func() {
		defer close(r.stopped)
		if err := sup.Run(ctx); err != nil {
			t.Errorf("Run: %v", err)
		}
	}()
	t.Cleanup(r.stop)
	return r
}

// stop stops the supervisor and fails if it takes more than a few
// seconds: a hang, not a slow machine.
func (r *rig) stop() {
	r.cancel()
	select {
	case <-r.stopped:
	case <-time.After(5 * time.Second):
		r.t.Fatal("supervisor did not stop")
	}
}

func (r *rig) health(id string) core.DeviceHealth {
	for _, h := range r.engine.Health(core.Actor{Kind: core.ActorSystem}) {
		if h.Device == id {
			return h
		}
	}
	return core.DeviceHealth{}
}

// waitHealth waits until the device's health satisfies ok.
func (r *rig) waitHealth(id, what string, ok func(core.DeviceHealth) bool) {
	r.t.Helper()
	waitFor(r.t, 5*time.Second, what, func() bool { return ok(r.health(id)) })
}

// expectRelay reads one 4-byte LCUS command and compares it.
func (r *rig) expectRelay(want []byte, what string) {
	r.t.Helper()
	got, err := r.relay.ReadN(len(want), 3*time.Second)
	if err != nil {
		r.t.Fatalf("%s: %v", what, err)
	}
	if !bytes.Equal(got, want) {
		r.t.Fatalf("%s: relay got % X, want % X", what, got, want)
	}
}

// expectNoRelay checks the relay receives nothing for a while.
func (r *rig) expectNoRelay(what string) {
	r.t.Helper()
	if got, err := r.relay.ReadN(1, 500*time.Millisecond); err == nil {
		r.t.Fatalf("%s: relay got % X, want nothing", what, got)
	}
}

var (
	lcusOn  = []byte{0xA0, 0x01, 0x01, 0xA2}
	lcusOff = []byte{0xA0, 0x01, 0x00, 0xA1}
)

func TestRelayOpensForKnownCardAfterEventIsDurable(t *testing.T) {
	r := newRig(t, rigOptions{})
	r.expectRelay(lcusOff, "fail-secure at start")
	r.waitHealth("main-in", "reader connected", func(h core.DeviceHealth) bool { return h.Connected })

	if err := r.reader.Write(readertest.RDM6300("0102B0A5FD")); err != nil {
		t.Fatal(err)
	}
	r.expectRelay(lcusOn, "pulse on")
	// The event was durable before the command left.
	evs := r.events.all()
	if len(evs) != 1 || evs[0].Result != core.Granted || evs[0].Person != "ann" {
		t.Fatalf("events when the relay switched on: %+v, want ann granted", evs)
	}
	var logged int
	r.engine.Events(core.Actor{Kind: core.ActorSystem}, core.EventQuery{}, func(core.Event) error { logged++; return nil })
	if logged != 1 {
		t.Fatalf("events in the log: %d, want 1", logged)
	}
	start := time.Now()
	r.expectRelay(lcusOff, "pulse off")
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("off came %v after on, want about the door's 300ms pulse", d)
	}
	if h := r.health("main-in"); h.Frames != 1 || h.Rejected != 0 || h.LastFrame.IsZero() {
		t.Errorf("reader health %+v, want 1 frame, 0 rejected", h)
	}
}

// TestDoorOpenedFromTheScreen: Engine.OpenDoor records the opening and
// the supervisor pulses the door's relay, as for a granted tap.
func TestDoorOpenedFromTheScreen(t *testing.T) {
	r := newRig(t, rigOptions{})
	r.expectRelay(lcusOff, "fail-secure at start")
	r.waitHealth("relay", "relay connected", func(h core.DeviceHealth) bool { return h.Connected })
	ev, err := r.engine.OpenDoor(core.CommandLine("test"), "main")
	if err != nil {
		t.Fatal(err)
	}
	if ev.Door != "main" || ev.Result != core.Granted || !strings.Contains(ev.Explanation, "from the screen") {
		t.Errorf("the opening's event: %+v", ev)
	}
	r.expectRelay(lcusOn, "pulse on")
	r.expectRelay(lcusOff, "pulse off")
}

func TestCorruptFramesAndUnknownCardsOpenNothing(t *testing.T) {
	r := newRig(t, rigOptions{})
	r.expectRelay(lcusOff, "fail-secure at start")
	r.waitHealth("main-in", "reader connected", func(h core.DeviceHealth) bool { return h.Connected })

	bad := readertest.RDM6300("0102B0A5FD")
	bad[11] ^= 0x01 // checksum digit
	noise := []byte{0x00, 0xFF, 0x13, '7', 0x03, 0x03}
	r.reader.Write(append(noise, bad...))
	r.waitHealth("main-in", "a rejected frame", func(h core.DeviceHealth) bool { return h.Rejected == 1 })
	r.expectNoRelay("corrupt frame")

	r.reader.Write(readertest.RDM6300("0D00000099")) // no such card
	waitFor(t, 3*time.Second, "the unknown card's event", func() bool { return len(r.events.all()) == 1 })
	if ev := r.events.all()[0]; ev.Result != core.DeniedUnknownCard {
		t.Fatalf("unknown card: %s, want %s", ev.Result, core.DeniedUnknownCard)
	}
	r.expectNoRelay("unknown card")

	// The reader still works after both.
	r.reader.Write(readertest.RDM6300("0102B0A5FD"))
	r.expectRelay(lcusOn, "pulse on after the bad frames")
}

func TestSplitFrameIsDecoded(t *testing.T) {
	r := newRig(t, rigOptions{})
	r.expectRelay(lcusOff, "fail-secure at start")
	r.waitHealth("main-in", "reader connected", func(h core.DeviceHealth) bool { return h.Connected })
	f := readertest.RDM6300("0102B0A5FD")
	r.reader.Write(f[:5])
	time.Sleep(250 * time.Millisecond) // beyond the port's read timeout
	r.reader.Write(f[5:])
	r.expectRelay(lcusOn, "pulse on")
}

func TestEverySerialReaderKindTaps(t *testing.T) {
	tests := []struct {
		kind, extra string
		frame       []byte
		person      string
	}{
		{"serial-rdm6300", "", readertest.RDM6300("0102b0a5fd"), "ann"},
		{"serial-id12", "", readertest.ID12("0102B0A5FD"), "ann"},
		{"serial-wiegand", "", []byte("B0A5FD\r\n"), "ann"},
		{"serial-wiegand", `, "bits": 34`, []byte("0045131261\r\n"), "ann"},
		{"serial-line", "", []byte("Card UID: 04 A2 2B 1A\r\n"), "bob"},
	}
	for _, tt := range tests {
		t.Run(tt.kind+tt.extra, func(t *testing.T) {
			r := newRig(t, rigOptions{readerKind: tt.kind, readerExtra: tt.extra})
			r.expectRelay(lcusOff, "fail-secure at start")
			r.waitHealth("main-in", "reader connected", func(h core.DeviceHealth) bool { return h.Connected })
			r.reader.Write([]byte("\r\n")) // a stray line end, as converters send at power-up
			r.reader.Write(tt.frame)
			r.expectRelay(lcusOn, "pulse on")
			evs := r.events.all()
			if len(evs) != 1 || evs[0].Person != tt.person || evs[0].Result != core.Granted {
				t.Fatalf("events %+v, want %s granted", evs, tt.person)
			}
		})
	}
}

func TestReaderUnplugAndReplug(t *testing.T) {
	r := newRig(t, rigOptions{})
	r.expectRelay(lcusOff, "fail-secure at start")
	r.waitHealth("main-in", "reader connected", func(h core.DeviceHealth) bool { return h.Connected })

	r.reader.Unplug()
	r.waitHealth("main-in", "reader disconnected", func(h core.DeviceHealth) bool { return !h.Connected && h.LastError != "" })
	time.Sleep(1500 * time.Millisecond) // long enough for the backoff to reach its cap
	if err := r.reader.Plug(); err != nil {
		t.Fatal(err)
	}
	plugged := time.Now()
	r.waitHealth("main-in", "reader back", func(h core.DeviceHealth) bool { return h.Connected })
	t.Logf("reader back %v after it was plugged in again", time.Since(plugged).Round(time.Millisecond))
	r.reader.Write(readertest.RDM6300("0102B0A5FD"))
	r.expectRelay(lcusOn, "pulse on after replug")
	if !strings.Contains(r.logs.String(), "device disconnected") {
		t.Errorf("log has no disconnection:\n%s", r.logs)
	}
}

func TestRelayUnplugAndReplugSwitchesOffFirst(t *testing.T) {
	r := newRig(t, rigOptions{})
	r.expectRelay(lcusOff, "fail-secure at start")
	r.waitHealth("relay", "relay connected", func(h core.DeviceHealth) bool { return h.Connected })

	r.relay.Unplug()
	// An idle board that goes away shows in its health.
	r.waitHealth("relay", "idle relay seen disconnected", func(h core.DeviceHealth) bool { return !h.Connected })
	// A granted tap while the relay is away opens nothing later.
	r.reader.Write(readertest.RDM6300("0102B0A5FD"))
	waitFor(t, 3*time.Second, "the tap's event", func() bool { return len(r.events.all()) == 1 })
	r.waitHealth("relay", "relay disconnected", func(h core.DeviceHealth) bool { return !h.Connected })
	time.Sleep(1500 * time.Millisecond)
	if err := r.relay.Plug(); err != nil {
		t.Fatal(err)
	}
	r.expectRelay(lcusOff, "fail-secure after replug")
	r.expectNoRelay("the pulse asked while unplugged")
}

func TestModbusRelay(t *testing.T) {
	r := newRig(t, rigOptions{relayKind: "serial-modbus-relay", relayExtra: `, "address": 2, "first_coil": 1`})
	var mu sync.Mutex
	var got [][]byte
	answer := func(exception bool) {
		req, err := r.relay.ReadN(8, 3*time.Second)
		if err != nil {
			t.Errorf("modbus request: %v", err)
			return
		}
		mu.Lock()
		got = append(got, req)
		mu.Unlock()
		if exception {
			r.relay.Write(readertest.Modbus(req[0], 0x85, 0x02))
			return
		}
		r.relay.Write(req)
	}
	answer(false) // fail-secure
	r.waitHealth("relay", "relay connected", func(h core.DeviceHealth) bool { return h.Connected })
	r.waitHealth("main-in", "reader connected", func(h core.DeviceHealth) bool { return h.Connected })
	r.reader.Write(readertest.RDM6300("0102B0A5FD"))
	answer(false) // on
	answer(false) // off
	want := [][]byte{
		readertest.Modbus(2, 0x05, 0x00, 0x01, 0x00, 0x00),
		readertest.Modbus(2, 0x05, 0x00, 0x01, 0xFF, 0x00),
		readertest.Modbus(2, 0x05, 0x00, 0x01, 0x00, 0x00),
	}
	mu.Lock()
	defer mu.Unlock()
	for i := range want {
		if i >= len(got) || !bytes.Equal(got[i], want[i]) {
			t.Fatalf("command %d: got % X, want % X", i, got, want[i])
		}
	}
}

func TestRelayThatDoesNotSwitchOffMakesTheDoorFaulty(t *testing.T) {
	r := newRig(t, rigOptions{relayKind: "serial-modbus-relay"})
	echo := func() {
		req, err := r.relay.ReadN(8, 3*time.Second)
		if err != nil {
			t.Fatalf("modbus request: %v", err)
		}
		r.relay.Write(req)
	}
	echo() // fail-secure
	r.waitHealth("main-in", "reader connected", func(h core.DeviceHealth) bool { return h.Connected })
	r.reader.Write(readertest.RDM6300("0102B0A5FD"))
	echo() // on; then the board stops answering: the off fails
	r.waitHealth("relay", "door faulty", func(h core.DeviceHealth) bool { return len(h.Faulty) == 1 && h.Faulty[0] == "main" })
	// The log line follows the health report.
	waitFor(t, 3*time.Second, "the log saying the door is faulty", func() bool {
		return strings.Contains(r.logs.String(), "door faulty")
	})
	// The board answers again: the reopen switches it off and the fault clears.
	go func() {
		for {
			req, err := r.relay.ReadN(8, 5*time.Second)
			if err != nil {
				return
			}
			r.relay.Write(req)
		}
	}()
	r.waitHealth("relay", "fault cleared", func(h core.DeviceHealth) bool { return h.Connected && len(h.Faulty) == 0 })
}

func TestStopWhileReading(t *testing.T) {
	r := newRig(t, rigOptions{})
	r.expectRelay(lcusOff, "fail-secure at start")
	r.waitHealth("main-in", "reader connected", func(h core.DeviceHealth) bool { return h.Connected })
	r.reader.Write(readertest.RDM6300("0102B0A5FD"))
	r.expectRelay(lcusOn, "pulse on")
	start := time.Now()
	r.stop() // fails the test on a hang
	t.Logf("stopped in %v", time.Since(start).Round(time.Millisecond))
	// Stopping in the middle of a pulse switches the door off.
	r.expectRelay(lcusOff, "off on stop")
}

func TestManyReadersNoneLostNoneOutOfOrder(t *testing.T) {
	const readers, taps = 4, 40
	lines := make([]*readertest.Line, readers)
	var devs []string
	for i := range lines {
		lines[i] = readertest.NewLine(t)
		devs = append(devs, fmt.Sprintf(`{"id": "r%d", "kind": "serial-rdm6300", "port": %q, "door": "main", "direction": "in"}`, i, lines[i].Path))
	}
	var people []string
	for i := range taps {
		people = append(people, fmt.Sprintf(`{"id": "p%d", "name": "P %d", "department": "staff", "cards": ["em:%010X"]}`, i, i, 0x0100000000+i))
	}
	site := `{"site": {"name": "Busy", "timezone": "UTC"},
	  "zones": [{"id": "outside", "name": "Outside"}, {"id": "office", "name": "Office"}],
	  "doors": [{"id": "main", "name": "Main", "from": "outside", "to": "office"}],
	  "devices": [` + strings.Join(devs, ",") + `],
	  "access_levels": [{"id": "all", "name": "All", "rules": [{"doors": ["main"]}]}],
	  "departments": [{"id": "staff", "name": "Staff", "access_level": "all"}],
	  "people": [` + strings.Join(people, ",") + `]}`
	e := coretest.SiteEngine(t, site, time.Now)
	log := &eventLog{}
	defer e.Subscribe(log.add)()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	stopped := make(chan struct{})
	go func() {
		defer close(stopped)
		(&reader.Supervisor{Engine: e}).Run(ctx)
	}()
	defer func() { cancel(); <-stopped }()
	waitFor(t, 5*time.Second, "readers connected", func() bool {
		n := 0
		for _, h := range e.Health(core.Actor{Kind: core.ActorSystem}) {
			if h.Connected {
				n++
			}
		}
		return n == readers
	})
	var wg sync.WaitGroup
	for i, l := range lines {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for k := range taps {
				// Each reader starts at another card, so no two readers tap
				// the same card at once.
				l.Write(readertest.RDM6300(fmt.Sprintf("%010X", 0x0100000000+(k+i*10)%taps)))
				time.Sleep(50 * time.Millisecond) // 20 taps a second
			}
		}()
	}
	wg.Wait()
	waitFor(t, 10*time.Second, "every tap logged", func() bool { return len(log.all()) == readers*taps })
	byReader := map[string][]string{}
	for _, ev := range log.all() {
		byReader[ev.Reader] = append(byReader[ev.Reader], ev.Card)
		if ev.Result != core.Granted {
			t.Errorf("%s at %s: %s, want granted", ev.Card, ev.Reader, ev.Result)
		}
	}
	for i := range readers {
		got := byReader[fmt.Sprintf("r%d", i)]
		for k, code := range got {
			if want := fmt.Sprintf("em:%010X", 0x0100000000+(k+i*10)%taps); code != want {
				t.Fatalf("reader r%d tap %d: %s, want %s (out of order)", i, k, code, want)
			}
		}
	}
}

// waitFor polls cond until it holds, failing after timeout.
func waitFor(t testing.TB, timeout time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// eventLog collects the events the engine publishes.
type eventLog struct {
	mu  sync.Mutex
	evs []core.Event
}

func (l *eventLog) add(ev core.Event) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.evs = append(l.evs, ev)
}

func (l *eventLog) all() []core.Event {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]core.Event(nil), l.evs...)
}

// syncBuffer is a log destination safe for the supervisor's goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func TestChangedDeviceIsRestarted(t *testing.T) {
	r := newRig(t, rigOptions{})
	r.expectRelay(lcusOff, "fail-secure at start")
	r.waitHealth("main-in", "reader connected", func(h core.DeviceHealth) bool { return h.Connected })

	// The admin moves the reader to another port: the supervisor closes
	// the old one and opens the new one, without a restart of the program.
	moved := readertest.NewLine(t)
	f, err := core.ReadSiteFile(strings.NewReader(fmt.Sprintf(
		`{"devices": [{"id": "main-in", "kind": "serial-rdm6300", "port": %q, "door": "main", "direction": "in"}]}`, moved.Path)))
	if err != nil {
		t.Fatal(err)
	}
	if err := r.engine.Import(core.CommandLine("test"), f); err != nil {
		t.Fatal(err)
	}
	waitFor(t, 5*time.Second, "the reader on its new port", func() bool {
		return strings.Contains(r.logs.String(), `msg="device stopped" device=main-in`) && r.health("main-in").Connected
	})
	moved.Write(readertest.RDM6300("0102B0A5FD"))
	r.expectRelay(lcusOn, "pulse on from the moved reader")
	r.reader.Write(readertest.RDM6300("0A0A0A0A0A"))
	r.expectRelay(lcusOff, "pulse off")
	r.expectNoRelay("a frame on the old port")
	if n := len(r.events.all()); n != 1 {
		t.Errorf("%d events, want 1: the old port is closed", n)
	}
}

func TestCardHeldInTheFieldIsOneTap(t *testing.T) {
	r := newRig(t, rigOptions{})
	r.expectRelay(lcusOff, "fail-secure at start")
	r.waitHealth("main-in", "reader connected", func(h core.DeviceHealth) bool { return h.Connected })
	// An RDM6300 repeats its frame while the card stays on it.
	for range 8 {
		r.reader.Write(readertest.RDM6300("0102B0A5FD"))
		time.Sleep(60 * time.Millisecond)
	}
	r.waitHealth("main-in", "8 frames", func(h core.DeviceHealth) bool { return h.Frames == 8 })
	if evs := r.events.all(); len(evs) != 1 || evs[0].Result != core.Granted {
		t.Fatalf("events %+v, want one granted tap for a held card", evs)
	}
	// Taken away and presented again: a new tap, for the engine to judge.
	time.Sleep(700 * time.Millisecond)
	r.reader.Write(readertest.RDM6300("0102B0A5FD"))
	waitFor(t, 3*time.Second, "the second presentation", func() bool { return len(r.events.all()) == 2 })
}

// TestReaderFormatReachesTheDecoder checks that the supervisor reads a
// Wiegand converter's lines in the device's format, and that a line the
// format does not fit is a rejected frame in the device's health, saying
// why, and opens nothing.
func TestReaderFormatReachesTheDecoder(t *testing.T) {
	r := newRig(t, rigOptions{readerKind: "serial-wiegand", readerExtra: `, "format": "dec24"`})
	r.expectRelay(lcusOff, "fail-secure at start")
	r.waitHealth("main-in", "reader connected", func(h core.DeviceHealth) bool { return h.Connected })
	r.reader.Write([]byte("11576829\r\n")) // the low 24 bits of Ann's card in decimal
	r.expectRelay(lcusOn, "pulse on")
	if evs := r.events.all(); len(evs) != 1 || evs[0].Person != "ann" || evs[0].Result != core.Granted {
		t.Fatalf("events %+v, want ann granted", evs)
	}
	r.expectRelay(lcusOff, "pulse off")

	// Back to the default: eight digits could be another convention.
	f, err := core.ReadSiteFile(strings.NewReader(fmt.Sprintf(
		`{"devices": [{"id": "main-in", "kind": "serial-wiegand", "port": %q, "door": "main", "direction": "in"}]}`, r.reader.Path)))
	if err != nil {
		t.Fatal(err)
	}
	if err := r.engine.Import(core.CommandLine("test"), f); err != nil {
		t.Fatal(err)
	}
	waitFor(t, 5*time.Second, "the reader restarted", func() bool {
		return strings.Contains(r.logs.String(), `msg="device stopped" device=main-in`) && r.health("main-in").Connected
	})
	r.reader.Write([]byte("11576829\r\n"))
	r.waitHealth("main-in", "a rejected line", func(h core.DeviceHealth) bool {
		return h.Rejected == 1 && strings.Contains(h.LastError, "set the reader's format")
	})
	r.expectNoRelay("a line of an unknown convention")
	if n := len(r.events.all()); n != 1 {
		t.Errorf("%d events, want none for the rejected line", n)
	}
}

// TestAnotherSitesDevicesAreNotRun: the copies of another site's reader
// and relay are never opened (no health reported) or tapped from; the site's own
// devices run beside them.
func TestAnotherSitesDevicesAreNotRun(t *testing.T) {
	r := newRig(t, rigOptions{})
	r.engine.SetFederation(core.Federation{Site: "hq", IsCentral: true, Central: "hq"})
	if _, err := r.engine.ApplySiteObjects("lyon", []core.Zone{{ID: "lyon", Name: "Lyon", Work: true}},
		[]core.Door{{ID: "lyon-main", Name: "Lyon main", From: "outside", To: "lyon"}},
		core.Device{ID: "lyon-in", Kind: "sim", Door: "lyon-main", Direction: core.In},
		core.Device{ID: "lyon-relay", Kind: "serial-lcus-relay"}); err != nil {
		t.Fatal(err)
	}
	r.waitHealth("main-in", "the site's own reader connected", func(h core.DeviceHealth) bool { return h.Connected })
	time.Sleep(300 * time.Millisecond) // a few rescans
	for _, id := range []string{"lyon-in", "lyon-relay"} {
		if h := r.health(id); h.Device != "" {
			t.Errorf("another site's %s run here: health %+v", id, h)
		}
	}
	if _, err := r.engine.Tap(core.Tap{Reader: "lyon-in", Code: "em:0102B0A5FD"}); err == nil {
		t.Error("a tap from another site's reader was decided here")
	}
}
