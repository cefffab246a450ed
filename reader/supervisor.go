package reader

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"runtime/trace"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"frontdesk/core"
	"frontdesk/core/procs"
)

// Engine is what the supervisor needs of core.Engine.
type Engine interface {
	// Devices and Doors read the engine's in-memory copy of the site.
	Devices(core.Actor) []core.Device
	Door(core.Actor, string) (core.Door, bool)
	Doors(core.Actor) []core.Door
	// Tap decides a tap and returns once its event is durable.
	Tap(core.Tap) (core.Event, error)
	ReportHealth(core.DeviceHealth)
	ForgetHealth(device string)
	// UsableCards gives the demo's simulated readers cards to tap.
	UsableCards(core.Actor, int) ([]string, error)
	Site() core.Site
	// OnOpenDoor calls fn with the door opened from the screen, after the
	// opening is recorded; cancel stops the calls.
	OnOpenDoor(fn func(door string)) (cancel func())
}

// USBBus opens USB devices; *USB is the real one.
type USBBus interface {
	// OpenWedge opens the keyboard-wedge reader vid:pid, reading the lines
	// it types in format (core.Device.Format); ErrNoDevice when none is
	// plugged in, core.ErrInvalid for a format a wedge does not have.
	OpenWedge(vid, pid uint16, format string) (Reader, error)
	// OpenDcttech opens the dcttech relay board with serial ("" for the
	// first one found); ErrNoDevice when none matches.
	OpenDcttech(serial string) (Relay, error)
}

// Supervisor runs every device of the site: one goroutine per reader and
// per relay, each opening its device, reading or switching, and opening it
// again after an unplug. It turns reads into taps through the engine and
// pulses a door's relay once the granted tap's event is durable.
//
// Set the fields before Run; only Engine is required.
type Supervisor struct {
	Engine Engine
	// Log receives device health changes and failures; default none.
	Log *slog.Logger
	// USB opens USB devices; default a *USB on libusb, created when a USB
	// device is first opened.
	USB USBBus
	// Simulate makes the site's sim readers tap cards at random (the demo);
	// otherwise they tap only what Inject gives them.
	Simulate bool
	// SimEvery is the time between simulated taps; default 4s.
	SimEvery time.Duration
	// Rand drives the simulation; default seeded at random.
	Rand *rand.Rand
	// RetryMax caps the wait between two opens of a missing device;
	// default 1s, so a device is back within about a second of returning.
	RetryMax time.Duration
	// Rescan is how often the site's devices are compared with the running
	// ones, to start, stop or restart what changed; default 1s.
	Rescan time.Duration

	mu       sync.Mutex
	running  map[string]*device
	rng      *rand.Rand // the simulation's only
	ordinary sync.Once  // the log saying the readers are not raised
}

// supervisorActor is who the supervisor is to the engine when it reads the
// site.
var supervisorActor = core.Actor{Kind: core.ActorSystem, Name: "supervisor"}

// device is one running device.
type device struct {
	cfg    core.Device
	cancel context.CancelFunc
	done   chan struct{}
	health *health
	// pulses reach a relay's goroutine; inject reaches a sim reader's.
	pulses chan pulse
	inject chan string
	board  board // a relay's board, open or not
}

// pulse asks a relay to open a door.
type pulse struct {
	door    string
	channel int
	length  time.Duration
	at      time.Time // when it was asked, to drop it if the relay was away
	on      bool      // the door's channel is on already (open switched it)
	err     error     // open's command to the board failed
}

// stalePulse is how old a pulse may be when the relay gets to it: a door
// must not open seconds after the person gave up and left.
const stalePulse = time.Second

// defaultPulse is how long a door stays unlocked when it sets no pulse.
const defaultPulse = 3 * time.Second

// Run runs the site's devices until ctx ends, then switches every relay
// off, closes every device and returns nil. Devices added, changed or
// removed in the site while it runs are started, restarted or stopped
// within Rescan.
func (s *Supervisor) Run(ctx context.Context) error {
	if s.Engine == nil {
		return errors.New("supervisor: no engine")
	}
	if s.Log == nil {
		s.Log = slog.New(slog.DiscardHandler)
	}
	if s.USB == nil {
		s.USB = &USB{}
	}
	if s.RetryMax <= 0 {
		s.RetryMax = time.Second
	}
	if s.Rescan <= 0 {
		s.Rescan = time.Second
	}
	if s.SimEvery <= 0 {
		s.SimEvery = 4 * time.Second
	}
	s.rng = s.Rand
	if s.rng == nil {
		s.rng = rand.New(rand.NewPCG(rand.Uint64(), rand.Uint64()))
	}
	s.mu.Lock()
	s.running = map[string]*device{}
	s.mu.Unlock()

	s.sync(ctx)
	// A door opened from the screen (Engine.OpenDoor) pulses its relay
	// like a granted tap; the engine recorded the opening first.
	stopOpens := s.Engine.OnOpenDoor(s.open)
	defer stopOpens()
	simDone := make(chan struct{})
	go func() {
		defer close(simDone)
		if s.Simulate {
			s.simulate(ctx)
		}
	}()
	tick := time.NewTicker(s.Rescan)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			<-simDone // it taps through running readers
			s.stopAll()
			if u, ok := s.USB.(*USB); ok {
				u.Close()
			}
			return nil
		case <-tick.C:
			s.sync(ctx)
		}
	}
}

// sync starts the devices the site has and the supervisor does not run,
// and stops those it no longer has or whose settings changed.
func (s *Supervisor) sync(ctx context.Context) {
	want := map[string]core.Device{}
	for _, d := range s.Engine.Devices(supervisorActor) {
		if d.Site != "" {
			continue // another site's: plugged in there, never opened here
		}
		want[d.ID] = d
	}
	s.mu.Lock()
	var stop []*device
	for id, r := range s.running {
		if d, ok := want[id]; !ok || !sameDevice(d, r.cfg) {
			stop = append(stop, r)
			delete(s.running, id)
		}
	}
	s.mu.Unlock()
	for _, r := range stop {
		r.cancel()
		<-r.done
		s.Engine.ForgetHealth(r.cfg.ID)
		s.Log.Info("device stopped", "device", r.cfg.ID)
	}
	ids := make([]string, 0, len(want))
	for id := range want {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, id := range ids {
		if _, ok := s.running[id]; ok {
			continue
		}
		s.running[id] = s.start(ctx, want[id])
	}
}

// sameDevice reports whether a running device can go on as it is.
func sameDevice(a, b core.Device) bool {
	return a == b
}

// start runs d in its own goroutine.
func (s *Supervisor) start(ctx context.Context, d core.Device) *device {
	dctx, cancel := context.WithCancel(ctx)
	r := &device{cfg: d, cancel: cancel, done: make(chan struct{}), health: newHealth(s, d)}
	if d.IsReader() {
		r.inject = make(chan string, 16)
		go func() {
			defer close(r.done)
			if d.Kind != "sim" {
				s.raise()
			}
			s.runReader(dctx, r)
		}()
	} else {
		r.pulses = make(chan pulse, 64)
		go func() {
			defer close(r.done)
			if d.Kind != "sim" {
				s.raise()
			}
			s.runRelay(dctx, r)
		}()
	}
	return r
}

// raise puts the calling device's goroutine on a thread of its own above
// the ordinary ones (procs.Raise). A reader's reads, decides, commits and
// switches the door's relay there. A relay board's ends pulses and checks
// the board there: it holds the board's lock while it writes, and a reader
// that opens a door on the same board waits for that lock, so the write
// must not wait behind ordinary threads either. The goroutine ends with
// its device, and its thread with it. Where the process may not, the
// devices run as ordinary goroutines, and the log says so once.
func (s *Supervisor) raise() {
	if err := procs.Raise(); err != nil {
		s.ordinary.Do(func() { s.Log.Info("the devices run at ordinary priority", "why", err) })
	}
}

// stopAll stops every device and waits for each to switch off and close.
func (s *Supervisor) stopAll() {
	s.mu.Lock()
	all := make([]*device, 0, len(s.running))
	for _, r := range s.running {
		all = append(all, r)
	}
	s.running = map[string]*device{}
	s.mu.Unlock()
	for _, r := range all {
		r.cancel()
	}
	for _, r := range all {
		<-r.done
	}
}

// Inject taps code at the sim reader id, as if the card were presented:
// the demo's tap panel and tests use it. It fails for a reader that is not
// a running sim reader.
func (s *Supervisor) Inject(reader, code string) error {
	s.mu.Lock()
	r, ok := s.running[reader]
	s.mu.Unlock()
	if !ok || r.cfg.Kind != "sim" || r.inject == nil {
		return fmt.Errorf("%w: no simulated reader %q running", core.ErrNotFound, reader)
	}
	select {
	case r.inject <- code:
		return nil
	default:
		return fmt.Errorf("simulated reader %q is busy", reader)
	}
}

// wait waits d or until ctx ends; it reports whether ctx is still live.
func wait(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-t.C:
		return true
	}
}

// backoff is the wait between failed opens: 100 ms doubling to max.
type backoff struct {
	next, max time.Duration
}

func (b *backoff) reset() { b.next = 0 }

func (b *backoff) wait(ctx context.Context) bool {
	if b.next == 0 {
		b.next = 100 * time.Millisecond
	} else {
		b.next = min(2*b.next, b.max)
	}
	return wait(ctx, b.next)
}

// runReader keeps reader r open and delivering taps until ctx ends.
func (s *Supervisor) runReader(ctx context.Context, r *device) {
	b := backoff{max: s.RetryMax}
	sink := &tapSink{s: s, r: r}
	for ctx.Err() == nil {
		rd, err := s.openReader(r)
		if err != nil {
			r.health.failed(err)
			if !b.wait(ctx) {
				return
			}
			continue
		}
		b.reset()
		r.health.connect()
		err = rd.Run(ctx, sink)
		rd.Close()
		if ctx.Err() != nil {
			return
		}
		r.health.disconnect(err)
		if !b.wait(ctx) {
			return
		}
	}
}

// openReader opens the reader of r's kind.
func (s *Supervisor) openReader(r *device) (Reader, error) {
	d := r.cfg
	switch {
	case d.Kind == "sim":
		return &simReader{inject: r.inject}, nil
	case d.Kind == "usb-wedge":
		vid, err1 := strconv.ParseUint(d.VID, 16, 16)
		pid, err2 := strconv.ParseUint(d.PID, 16, 16)
		if err := errors.Join(err1, err2); err != nil {
			return nil, fmt.Errorf("%w: usb-wedge %s: vid/pid %q:%q", core.ErrInvalid, d.ID, d.VID, d.PID)
		}
		return s.USB.OpenWedge(uint16(vid), uint16(pid), d.Format)
	case strings.HasPrefix(d.Kind, "serial-"):
		return openSerialReader(d)
	}
	return nil, fmt.Errorf("%w: no reader driver for kind %q", core.ErrInvalid, d.Kind)
}

// heldGap is how far apart a serial reader's frames of one card may be
// and still be one presentation: an RDM6300 repeats its frame for as long
// as the card stays in the field, and a card held there is one tap, not a
// tap and a stream of duplicates in the log. A card taken away and
// presented again is a new tap, which the engine's debounce then judges.
const heldGap = 500 * time.Millisecond

// tapSink turns a reader's reads into taps.
type tapSink struct {
	s *Supervisor
	r *device
	// last is the code of the last frame and when it came, for heldGap.
	last   string
	lastAt time.Time
}

// Card taps code at the reader, then pulses the door's relay when the
// engine grants it: after Tap returns, the event is durable.
func (t *tapSink) Card(code string) {
	if strings.HasPrefix(t.r.cfg.Kind, "serial-") {
		now := time.Now()
		held := code == t.last && now.Sub(t.lastAt) < heldGap
		t.last, t.lastAt = code, now
		if held {
			t.r.health.frame(true)
			return
		}
	}
	// A region per tap, in a Go execution trace (runtime/trace): its
	// decision, commit and relay command, on this thread; it costs nothing
	// when no trace runs.
	defer trace.StartRegion(context.Background(), "tap").End()
	ev, err := t.s.Engine.Tap(core.Tap{Reader: t.r.cfg.ID, Code: code})
	if err != nil {
		t.r.health.frame(false)
		t.r.health.failed(fmt.Errorf("tap %s: %w", code, err))
		return
	}
	t.r.health.frame(true)
	if ev.Result.Opens() && ev.Door != "" {
		t.s.open(ev.Door)
	}
}

// Reject counts a bad frame.
func (t *tapSink) Reject(err error) { t.r.health.reject(err) }

// open pulses the relay of door, if it has one.
func (s *Supervisor) open(doorID string) {
	door, ok := s.Engine.Door(supervisorActor, doorID)
	if !ok || door.Relay == "" {
		return
	}
	dev, ch, err := splitRelay(door.Relay)
	if err != nil {
		s.Log.Error("door relay", "door", doorID, "err", err)
		return
	}
	length := time.Duration(door.Pulse)
	if length <= 0 {
		length = defaultPulse
	}
	s.mu.Lock()
	r, ok := s.running[dev]
	s.mu.Unlock()
	if !ok || r.pulses == nil {
		s.Log.Warn("door not opened: its relay is not running", "door", doorID, "relay", dev)
		return
	}
	// The door opens now, from this goroutine (a reader's raised thread,
	// after its tap's commit): a handoff to the relay's goroutine would
	// wait for an ordinary thread to be scheduled first. The relay's
	// goroutine only ends the pulse; when the board is not open, it opens
	// the door itself if the board comes back within stalePulse.
	p := pulse{door: doorID, channel: ch, length: length, at: time.Now()}
	region := trace.StartRegion(context.Background(), "relay on")
	sent, err := r.board.switchOn(ch)
	region.End()
	p.on = err == nil
	if err != nil && !errors.Is(err, errBoardClosed) {
		p.err = err
	}
	select {
	case r.pulses <- p:
	default:
		// Nothing would end the pulse: the door must not stay open.
		if sent {
			if err := r.board.Set(ch, false); err != nil {
				s.Log.Error("switch off a door its relay cannot end", "door", doorID, "relay", dev, "err", err)
			}
		}
		s.Log.Warn("door not opened: its relay is behind", "door", doorID, "relay", dev)
	}
}

// splitRelay reads a door's DEVICE:CHANNEL.
func splitRelay(s string) (string, int, error) {
	dev, chs, ok := strings.Cut(s, ":")
	ch, err := strconv.Atoi(chs)
	if !ok || err != nil || ch < 1 {
		return "", 0, fmt.Errorf("%w: relay %q: want DEVICE:CHANNEL", core.ErrInvalid, s)
	}
	return dev, ch, nil
}

// runRelay keeps relay r open and switching until ctx ends.
func (s *Supervisor) runRelay(ctx context.Context, r *device) {
	b := backoff{max: s.RetryMax}
	for ctx.Err() == nil {
		rl, err := s.openRelay(r)
		if err != nil {
			r.health.failed(err)
			s.dropPulses(r, "relay not connected")
			if !b.wait(ctx) {
				return
			}
			continue
		}
		r.board.attach(rl)
		err = s.drive(ctx, r, &r.board)
		r.board.detach()
		rl.Close()
		if ctx.Err() != nil {
			return
		}
		r.health.disconnect(err)
		b.reset()
		if !b.wait(ctx) {
			return
		}
	}
}

// dropPulses empties r's queue, logging each door that could not open.
func (s *Supervisor) dropPulses(r *device, why string) {
	for {
		select {
		case p := <-r.pulses:
			if p.on {
				continue // it opened before the board went
			}
			s.Log.Warn("door not opened", "door", p.door, "relay", r.cfg.ID, "why", why)
		default:
			return
		}
	}
}

// openRelay opens the relay board of r's kind.
func (s *Supervisor) openRelay(r *device) (Relay, error) {
	d := r.cfg
	switch {
	case d.Kind == "sim":
		return &simRelay{id: d.ID, log: s.Log, state: map[int]bool{}}, nil
	case d.Kind == "usb-dcttech-relay":
		return s.USB.OpenDcttech(d.Serial)
	case strings.HasPrefix(d.Kind, "serial-"):
		return openSerialRelay(d)
	}
	return nil, fmt.Errorf("%w: no relay driver for kind %q", core.ErrInvalid, d.Kind)
}

// relayDoors returns the doors on relay id by channel.
func (s *Supervisor) relayDoors(id string) map[int][]core.Door {
	out := map[int][]core.Door{}
	for _, d := range s.Engine.Doors(supervisorActor) {
		dev, ch, err := splitRelay(d.Relay)
		if err == nil && dev == id {
			out[ch] = append(out[ch], d)
		}
	}
	return out
}

// offRetries is how many times a failed switch-off is tried again, offGap
// apart, before the door is reported faulty and the board reopened.
const (
	offRetries = 3
	offGap     = 100 * time.Millisecond
)

// drive switches an open relay board: every channel off first
// (fail-secure), doors in unlocked mode held on, pulses on then off. It
// returns nil when ctx ends, after switching every channel off, or the
// error of a command that failed.
func (s *Supervisor) drive(ctx context.Context, r *device, rl *board) error {
	doors := s.relayDoors(r.cfg.ID)
	for ch := range doors {
		if err := rl.Set(ch, false); err != nil {
			return fmt.Errorf("switch off channel %d at start: %w", ch, err)
		}
	}
	r.health.connect()
	r.health.setFaulty(nil)

	offAt := map[int]time.Time{} // channels on for a pulse, until when
	held := map[int]bool{}       // channels held on for unlocked doors
	names := map[int]string{}    // a door name per channel, for the log

	// hold applies the doors' modes: unlocked doors stay open.
	hold := func() error {
		doors = s.relayDoors(r.cfg.ID)
		for ch, ds := range doors {
			names[ch] = ds[0].ID
			want := slices.ContainsFunc(ds, func(d core.Door) bool { return d.Mode == core.DoorUnlocked })
			if want == held[ch] {
				continue
			}
			if !want && !offAt[ch].IsZero() {
				held[ch] = false // the pulse under way ends it
				continue
			}
			if err := rl.Set(ch, want); err != nil {
				return fmt.Errorf("hold channel %d: %w", ch, err)
			}
			held[ch] = want
			s.Log.Info("door held", "door", names[ch], "unlocked", want)
		}
		return nil
	}
	// allOff is the way out. A board that fails once is taken for gone:
	// waiting for each channel of a dead Modbus board to time out would
	// hold the stop past its 2 s.
	allOff := func() {
		for ch := range doors {
			if err := rl.Set(ch, false); err != nil {
				s.Log.Error("switch off on stop", "relay", r.cfg.ID, "channel", ch, "err", err)
				return
			}
		}
	}
	if err := hold(); err != nil {
		return err
	}

	tick := time.NewTicker(s.Rescan)
	defer tick.Stop()
	timer := time.NewTimer(time.Hour)
	defer timer.Stop()
	for {
		var due <-chan time.Time
		if next, ok := earliest(offAt); ok {
			timer.Reset(time.Until(next))
			due = timer.C
		}
		select {
		case <-ctx.Done():
			allOff()
			return nil
		case p := <-r.pulses:
			if p.err != nil {
				return fmt.Errorf("open door %s: %w", p.door, p.err)
			}
			if age := time.Since(p.at); !p.on && age > stalePulse {
				s.Log.Warn("door not opened: pulse too old", "door", p.door, "age", age.Round(time.Millisecond))
				continue
			}
			if !p.on && offAt[p.channel].IsZero() && !held[p.channel] {
				if err := rl.Set(p.channel, true); err != nil {
					return fmt.Errorf("open door %s: %w", p.door, err)
				}
			}
			if until := time.Now().Add(p.length); until.After(offAt[p.channel]) {
				offAt[p.channel] = until
			}
		case <-due:
			for ch, until := range offAt {
				if time.Now().Before(until) {
					continue
				}
				delete(offAt, ch)
				if held[ch] {
					continue
				}
				if err := switchOff(ctx, rl, ch); err != nil {
					r.health.setFaulty(doorIDs(doors[ch]))
					return fmt.Errorf("door %s did not lock: %w", names[ch], err)
				}
			}
		case <-tick.C:
			if err := rl.Check(); err != nil {
				return err
			}
			if err := hold(); err != nil {
				return err
			}
		}
	}
}

// checker is a relay board that can tell it is still there without
// switching anything.
type checker interface {
	Check() error
}

// switchOff switches ch off, trying again offRetries times.
func switchOff(ctx context.Context, rl *board, ch int) error {
	err := rl.Set(ch, false)
	for i := 0; err != nil && i < offRetries; i++ {
		if !wait(ctx, offGap) {
			break
		}
		err = rl.Set(ch, false)
	}
	return err
}

func doorIDs(ds []core.Door) []string {
	out := make([]string, len(ds))
	for i, d := range ds {
		out[i] = d.ID
	}
	return out
}

// earliest returns the soonest time in m.
func earliest(m map[int]time.Time) (time.Time, bool) {
	var t time.Time
	for _, v := range m {
		if t.IsZero() || v.Before(t) {
			t = v
		}
	}
	return t, !t.IsZero()
}
