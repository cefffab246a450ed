package reader

import (
	"errors"
	"math/rand/v2"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// recordingRelay is a relay board that records its commands, fails those
// of the channels in fail, and notices two commands at once.
type recordingRelay struct {
	inSet   atomic.Bool
	overlap atomic.Bool
	mu      sync.Mutex
	cmds    []relayCmd
	fail    map[int]bool
}

type relayCmd struct {
	channel int
	on      bool
}

var errRelayFails = errors.New("the board does not answer")

func (r *recordingRelay) Set(channel int, on bool) error {
	if !r.inSet.CompareAndSwap(false, true) {
		r.overlap.Store(true)
	}
	defer r.inSet.Store(false)
	time.Sleep(20 * time.Microsecond) // a command takes a while on the wire
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.fail[channel] {
		return errRelayFails
	}
	r.cmds = append(r.cmds, relayCmd{channel, on})
	return nil
}

func (r *recordingRelay) Close() error { return nil }

// TestBoardSwitchesOnOnceAndOneCommandAtATime: readers' threads switching
// doors on while the relay's goroutine switches them off never send two
// commands at once, never send "on" to a channel that is on, and the board
// ends knowing each channel's last command.
func TestBoardSwitchesOnOnceAndOneCommandAtATime(t *testing.T) {
	rl := &recordingRelay{}
	var b board
	b.attach(rl)
	var wg sync.WaitGroup
	var onSent sync.Map // the commands switchOn sent, by their index
	for g := range 4 {
		wg.Go(func() {
			rng := rand.New(rand.NewPCG(uint64(g), 7))
			for range 300 {
				ch := 1 + rng.IntN(3)
				if g == 0 { // the relay's goroutine: pulses end
					if err := b.Set(ch, false); err != nil {
						t.Error(err)
					}
					continue
				}
				rl.mu.Lock()
				before := len(rl.cmds)
				rl.mu.Unlock()
				sent, err := b.switchOn(ch)
				if err != nil {
					t.Errorf("switchOn(%d): %v", ch, err)
				}
				rl.mu.Lock()
				found := false
				for i := before; i < len(rl.cmds); i++ {
					if rl.cmds[i] == (relayCmd{ch, true}) {
						onSent.Store(i, true)
						found = true
					}
				}
				rl.mu.Unlock()
				if sent && !found {
					t.Errorf("switchOn(%d) says it sent a command the board did not get", ch)
				}
			}
		})
	}
	wg.Wait()
	if rl.overlap.Load() {
		t.Error("two commands reached the board at once")
	}
	last := map[int]bool{}
	for i, c := range rl.cmds {
		if _, ok := onSent.Load(i); ok && last[c.channel] {
			t.Errorf("command %d: switchOn sent on to channel %d, which was on", i, c.channel)
		}
		last[c.channel] = c.on
	}
	for ch := 1; ch <= 3; ch++ {
		if b.on[ch] != last[ch] {
			t.Errorf("channel %d: the board thinks on=%v, its last command was on=%v", ch, b.on[ch], last[ch])
		}
	}
	if len(rl.cmds) < 300 {
		t.Errorf("only %d commands: the test did not race", len(rl.cmds))
	}
}

// TestBoardClosedOrFailingChangesNothing: a board that is not open takes
// no command, and a command the board fails leaves the channel off, so
// the next tap tries again.
func TestBoardClosedOrFailingChangesNothing(t *testing.T) {
	rl := &recordingRelay{fail: map[int]bool{2: true}}
	var b board
	for _, stage := range []string{"before attach", "after detach"} {
		if stage == "after detach" {
			b.attach(rl)
			b.detach()
		}
		if sent, err := b.switchOn(1); sent || !errors.Is(err, errBoardClosed) {
			t.Errorf("%s: switchOn = %v, %v; want false, errBoardClosed", stage, sent, err)
		}
		if err := b.Set(1, false); !errors.Is(err, errBoardClosed) {
			t.Errorf("%s: Set = %v, want errBoardClosed", stage, err)
		}
	}
	if len(rl.cmds) != 0 {
		t.Fatalf("a closed board sent %v", rl.cmds)
	}
	b.attach(rl)
	for try := range 2 {
		if sent, err := b.switchOn(2); sent || !errors.Is(err, errRelayFails) {
			t.Errorf("try %d on a failing channel: %v, %v; want false and the board's error", try, sent, err)
		}
	}
	if b.on[2] {
		t.Error("a failed command left the channel on")
	}
	rl.fail = nil
	if sent, err := b.switchOn(2); !sent || err != nil {
		t.Fatalf("the board answers again: %v, %v", sent, err)
	}
	if sent, err := b.switchOn(2); sent || err != nil || len(rl.cmds) != 1 {
		t.Errorf("switchOn of a channel on: %v, %v, commands %v; want nothing sent, one command in all", sent, err, rl.cmds)
	}
}
