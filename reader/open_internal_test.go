package reader

import (
	"bytes"
	"log/slog"
	"slices"
	"strings"
	"testing"
	"time"

	"frontdesk/core/coretest"
)

// behindSite is a door on channel 1 of a relay board.
const behindSite = `{"site": {"name": "Behind", "timezone": "Europe/Paris"},
  "zones": [{"id": "outside", "name": "Outside"}, {"id": "office", "name": "Office"}],
  "doors": [{"id": "main", "name": "Main", "from": "outside", "to": "office", "relay": "relay:1", "pulse": "1s"}],
  "devices": [{"id": "relay", "kind": "serial-lcus-relay", "port": "/dev/null"}]}`

// TestADoorWhosePulseCannotEndIsNotLeftOpen: when the relay's goroutine is
// so far behind that the pulse cannot reach it, nothing would switch the
// door off again, so the "on" the tap's thread sent is taken back at once
// and the log says the door was not opened. A door already on (held
// unlocked) is left as it is.
func TestADoorWhosePulseCannotEndIsNotLeftOpen(t *testing.T) {
	e := coretest.SiteEngine(t, behindSite, time.Now)
	for _, held := range []bool{false, true} {
		rl := &recordingRelay{}
		r := &device{pulses: make(chan pulse)} // nobody takes a pulse: the relay is behind
		r.board.attach(rl)
		var log bytes.Buffer // open logs on this goroutine
		s := &Supervisor{Engine: e, Log: slog.New(slog.NewTextHandler(&log, nil)), running: map[string]*device{"relay": r}}
		want := []relayCmd{{1, true}, {1, false}}
		if held {
			if err := r.board.Set(1, true); err != nil {
				t.Fatal(err)
			}
			want = []relayCmd{{1, true}}
		}
		s.open("main")
		if got := rl.cmds; !slices.Equal(got, want) {
			t.Errorf("held %v: the board got %v, want %v", held, got, want)
		}
		if r.board.on[1] != held {
			t.Errorf("held %v: channel 1 ends on=%v", held, r.board.on[1])
		}
		if !strings.Contains(log.String(), "door not opened: its relay is behind") {
			t.Errorf("held %v: the log does not say the relay is behind:\n%s", held, log.String())
		}
	}
}
