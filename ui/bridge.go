package ui

import (
	"sync"
	"sync/atomic"
	"time"

	"fyne.io/fyne/v2"

	"frontdesk/core"
)

// A listener is a screen that shows what the session's watch tells (its
// methods run on the UI thread, called by the bridge): it implements
// reload, and any of eventListener, deskListener and healthListener.
type listener interface {
	// reload rereads what the screen shows: the watch lost updates because
	// the window fell behind, or the service is back after the link was
	// down.
	reload()
}

// An eventListener shows events of the actor's log.
type eventListener interface {
	// addEvents shows events recorded since the screen was built, oldest
	// first. The same event may come again right after the screen read the
	// log, so screens skip the sequence numbers they already hold.
	addEvents([]core.Event)
}

// A deskListener takes the desk taps that are not in the actor's log
// (core.Update.Desk): the self-view and an enrolment waiting for a card.
// It gets the desk taps of the log through addEvents as well.
type deskListener interface {
	addDeskTaps([]core.Event)
}

// A presenceListener shows who is where: it reads presence again when
// someone moved by an event it does not see in the log (an eventListener
// hears of the others).
type presenceListener interface {
	presenceChanged()
}

// A healthListener shows the devices' health as the supervisor reports it.
type healthListener interface {
	// setHealth gives the latest report of each device that sent one
	// since the last call; a report with only Device set is a device no
	// longer run.
	setHealth([]core.DeviceHealth)
}

// Sizes of the bridge's queue.
const (
	// bridgeBuffer is how many updates wait for the UI thread before the
	// bridge starts dropping them: minutes of a busy office, about a tenth
	// of a second of the heaviest tap storm the engine is built for.
	bridgeBuffer = 4096
	// maxBatch bounds the updates handed to the UI thread at once, so that
	// one batch never freezes the window for long.
	maxBatch = 1000
)

// bridge is the one place where the session's live updates reach the UI
// thread.
//
// The session's watch (core.API.Watch, as the logged-in actor) calls the
// bridge on the goroutine that recorded the event, which also opens doors,
// so the bridge must never make it wait: it only puts the update in a
// buffered channel, without blocking. One goroutine takes the updates out
// in batches and hands each batch to the listeners on the UI thread
// (fyne.Do), then waits until the UI thread has run it before it sends the
// next one. So a busy UI thread gets fewer, larger batches instead of an
// unbounded queue of calls, and drops nothing under any load the UI thread
// keeps up with, even seconds late.
//
// If the UI thread stalls for longer (a modal loop, a debugger, a machine
// swapping), the channel fills up and the bridge drops the updates that do
// not fit, counting them; nothing is lost from the log, which is written
// before the engine publishes. When the UI thread runs again, the listeners
// get the updates that fit and then reload, which rereads what they show.
// A watch that fell behind further up (the service's queue for a slow
// client) says so with Update.Missed, which the bridge treats the same.
//
// A watch of the service also says when the link to it is down and up
// again: the bridge tells the app (onLink), which shows a banner while it is
// down; the screens keep what they show, and reload when it is back.
//
// The watch belongs to a session: watch starts it as the session's actor,
// unwatch ends it at logout. Each watch has a generation, and the bridge
// drops what an ended watch still sends, so a session never sees updates
// meant for the one before.
type bridge struct {
	in      chan watched
	dropped atomic.Int64
	// do runs fn on the UI thread without waiting: fyne.Do, or in tests a
	// function that hands fn to the test's goroutine.
	do func(fn func())
	// gen is the generation of the current watch; updates of others are
	// dropped.
	gen atomic.Uint64

	// onLink, when set, is told on the UI thread when the link to the
	// service goes down or comes back.
	onLink func(core.Link)

	// Only used on the UI thread.
	listeners []listener
	cancel    func() // the current watch's; nil when none

	stop     chan struct{}
	stopOnce sync.Once
	done     chan struct{}
}

// watched is an update with the generation of the watch that sent it.
type watched struct {
	gen uint64
	u   core.Update
}

// newBridge returns a bridge to the UI thread through do (nil means
// fyne.Do). Start it, then watch for each session.
func newBridge(do func(func())) *bridge {
	if do == nil {
		do = fyne.Do
	}
	return &bridge{
		in:   make(chan watched, bridgeBuffer),
		do:   do,
		stop: make(chan struct{}),
		done: make(chan struct{}),
	}
}

// watch starts the live updates of actor from api, ending the previous
// watch. Call it on the UI thread before the session's screens read what
// they show, so that no update falls between their read and the first
// delivery; the screens skip what they read twice.
func (b *bridge) watch(api core.API, actor core.Actor) error {
	b.unwatch()
	gen := b.gen.Load()
	cancel, err := api.Watch(actor, func(u core.Update) { b.publish(gen, u) })
	if err != nil {
		return err
	}
	b.cancel = cancel
	return nil
}

// unwatch ends the current watch, if any: updates it still sends are
// dropped. Call it on the UI thread.
func (b *bridge) unwatch() {
	if b.cancel != nil {
		b.cancel()
		b.cancel = nil
	}
	b.gen.Add(1)
}

// add registers l. Call it on the UI thread.
func (b *bridge) add(l listener) { b.listeners = append(b.listeners, l) }

// clear unregisters every listener: the screens of a session that ended.
// Call it on the UI thread.
func (b *bridge) clear() { b.listeners = nil }

// publish is the watch's function: it must not block.
func (b *bridge) publish(gen uint64, u core.Update) {
	select {
	case b.in <- watched{gen, u}:
	default:
		b.dropped.Add(1)
	}
}

// start delivers updates until close.
func (b *bridge) start() { go b.run() }

func (b *bridge) run() {
	defer close(b.done)
	for {
		var batch []watched
		select {
		case <-b.stop:
			return
		case w := <-b.in:
			batch = append(batch, w)
		}
	drain:
		for len(batch) < maxBatch {
			select {
			case w := <-b.in:
				batch = append(batch, w)
			default:
				break drain
			}
		}
		gen := b.gen.Load()
		d := sortBatch(batch, gen)
		// Updates dropped before this point were sent before the reload
		// the listeners do below reads what they show.
		d.reload = d.reload || b.dropped.Swap(0) > 0
		if d.empty() {
			continue
		}
		ran := make(chan struct{})
		b.do(func() {
			defer close(ran)
			if b.gen.Load() == gen {
				b.deliver(d)
			}
		})
		select {
		case <-ran:
		case <-b.stop:
			return
		}
	}
}

// delivery is one batch of updates, sorted for the listeners.
type delivery struct {
	events []core.Event
	desk   []core.Event
	// health is the latest report of each device, in the order they came.
	health []core.DeviceHealth
	// presence: someone moved, by an event not among events.
	presence bool
	// reload: updates were lost, or the link came back.
	reload bool
	// link is the link's last state in the batch; "" for no news.
	link core.Link
}

func (d delivery) empty() bool {
	return len(d.events) == 0 && len(d.desk) == 0 && len(d.health) == 0 && !d.presence && !d.reload && d.link == ""
}

// sortBatch sorts the updates of watch gen in batch for the listeners.
func sortBatch(batch []watched, gen uint64) delivery {
	var d delivery
	latest := map[string]int{} // device → index in d.health
	for _, w := range batch {
		if w.gen != gen {
			continue
		}
		u := w.u
		switch {
		case u.Event != nil:
			d.events = append(d.events, *u.Event)
		case u.Desk != nil:
			d.desk = append(d.desk, *u.Desk)
		case u.Health != nil:
			if i, ok := latest[u.Health.Device]; ok {
				d.health[i] = *u.Health
			} else {
				latest[u.Health.Device] = len(d.health)
				d.health = append(d.health, *u.Health)
			}
		case u.Presence:
			d.presence = true
		case u.Missed > 0:
			d.reload = true
		case u.Link != "":
			d.link = u.Link
			if u.Link == core.LinkUp {
				d.reload = true
			}
		}
	}
	return d
}

// deliver hands d to the listeners, on the UI thread.
func (b *bridge) deliver(d delivery) {
	if d.link != "" && b.onLink != nil {
		b.onLink(d.link)
	}
	for _, l := range b.listeners {
		if el, ok := l.(eventListener); ok && len(d.events) > 0 {
			el.addEvents(d.events)
		}
		if dl, ok := l.(deskListener); ok && len(d.desk) > 0 {
			dl.addDeskTaps(d.desk)
		}
		if hl, ok := l.(healthListener); ok && len(d.health) > 0 {
			hl.setHealth(d.health)
		}
		if pl, ok := l.(presenceListener); ok && d.presence {
			pl.presenceChanged()
		}
		if d.reload {
			l.reload()
		}
	}
}

// after runs fn on the UI thread after d, unless the bridge is closed by
// then. Screens use it for what changes with the clock rather than with
// events, such as the date of "today".
func (b *bridge) after(d time.Duration, fn func()) {
	fired := make(chan struct{})
	t := time.AfterFunc(d, func() {
		close(fired)
		select {
		case <-b.stop:
			return
		default:
		}
		b.do(func() {
			select {
			case <-b.stop:
			default:
				fn()
			}
		})
	})
	go func() {
		select {
		case <-b.stop:
			t.Stop()
		case <-fired:
		}
	}()
}

// close ends the watch and stops the delivery. It does not wait for the
// delivering goroutine, so it may be called on the UI thread, which that
// goroutine may be waiting for; a batch already handed to the UI thread
// still runs, unless a watch ended meanwhile.
func (b *bridge) close() {
	b.stopOnce.Do(func() {
		b.unwatch()
		close(b.stop)
	})
}
