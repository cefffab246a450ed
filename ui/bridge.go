package ui

import (
	"sync"
	"sync/atomic"
	"time"

	"fyne.io/fyne/v2"

	"frontdesk/core"
)

// A listener is a screen that shows engine events. Its methods run on the
// UI thread, called by the bridge.
type listener interface {
	// addEvents shows events recorded since the screen was built, oldest
	// first. The same event may come again right after the screen read the
	// log, so screens skip the sequence numbers they already hold.
	addEvents([]core.Event)
	// reload rereads what the screen shows from the engine: the bridge
	// lost events because the UI thread fell behind.
	reload()
}

// Sizes of the bridge's queue.
const (
	// bridgeBuffer is how many events wait for the UI thread before the
	// bridge starts dropping them: minutes of a busy office, about a tenth
	// of a second of the heaviest tap storm the engine is built for.
	bridgeBuffer = 4096
	// maxBatch bounds the events handed to the UI thread at once, so that
	// one batch never freezes the window for long.
	maxBatch = 1000
)

// bridge is the one place where engine events reach the UI thread.
//
// The engine calls its subscribers on the recording goroutine, which also
// opens doors, so the bridge must never make it wait: the subscription only
// puts the event in a buffered channel, without blocking. One goroutine
// takes the events out in batches and hands each batch to the listeners on
// the UI thread (fyne.Do), then waits until the UI thread has run it before
// it sends the next one. So a busy UI thread gets fewer, larger batches
// instead of an unbounded queue of calls, and drops nothing under any load
// the UI thread keeps up with, even seconds late.
//
// If the UI thread stalls for longer (a modal loop, a debugger, a machine
// swapping), the channel fills up and the bridge drops the events that do
// not fit, counting them; nothing is lost from the log, which is written
// before the engine publishes. When the UI thread runs again, the listeners
// get the events that fit and then reload, which rereads what they show from
// the log. The engine never notices.
type bridge struct {
	in      chan core.Event
	dropped atomic.Int64
	// do runs fn on the UI thread without waiting: fyne.Do, or in tests a
	// function that hands fn to the test's goroutine.
	do func(fn func())

	// listeners are only used on the UI thread.
	listeners []listener

	unsubscribe func()
	stop        chan struct{}
	stopOnce    sync.Once
	done        chan struct{}
}

// newBridge returns a bridge from engine to the UI thread through do
// (nil means fyne.Do). Add the listeners, then start it.
func newBridge(engine *core.Engine, do func(func())) *bridge {
	if do == nil {
		do = fyne.Do
	}
	b := &bridge{
		in:   make(chan core.Event, bridgeBuffer),
		do:   do,
		stop: make(chan struct{}),
		done: make(chan struct{}),
	}
	b.unsubscribe = engine.Subscribe(b.publish)
	return b
}

// add registers l. Call it on the UI thread.
func (b *bridge) add(l listener) { b.listeners = append(b.listeners, l) }

// clear unregisters every listener: the screens of a session that ended.
// Call it on the UI thread.
func (b *bridge) clear() { b.listeners = nil }

// publish is the engine's subscriber: it must not block.
func (b *bridge) publish(ev core.Event) {
	select {
	case b.in <- ev:
	default:
		b.dropped.Add(1)
	}
}

// start delivers events until close. The bridge subscribes when it is made,
// so events recorded between newBridge and start wait in the channel.
func (b *bridge) start() { go b.run() }

func (b *bridge) run() {
	defer close(b.done)
	for {
		var batch []core.Event
		select {
		case <-b.stop:
			return
		case ev := <-b.in:
			batch = append(batch, ev)
		}
	drain:
		for len(batch) < maxBatch {
			select {
			case ev := <-b.in:
				batch = append(batch, ev)
			default:
				break drain
			}
		}
		// Events dropped before this point were recorded before the
		// reload the listeners do below reads the log.
		missed := b.dropped.Swap(0) > 0
		ran := make(chan struct{})
		b.do(func() {
			defer close(ran)
			for _, l := range b.listeners {
				l.addEvents(batch)
				if missed {
					l.reload()
				}
			}
		})
		select {
		case <-ran:
		case <-b.stop:
			return
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

// close unsubscribes from the engine and stops the delivery. It does not
// wait for the delivering goroutine, so it may be called on the UI thread,
// which that goroutine may be waiting for; a batch already handed to the UI
// thread still runs.
func (b *bridge) close() {
	b.stopOnce.Do(func() {
		b.unsubscribe()
		close(b.stop)
	})
}
