package core_test

import (
	"testing"
	"time"

	"frontdesk/core"
)

// TestEventHashFrozen pins the hash of one event: a change to the encoding
// would make every logged event fail verify.
func TestEventHashFrozen(t *testing.T) {
	e := core.Event{Seq: 7, At: time.Date(2026, 11, 24, 8, 0, 0, 0, time.UTC), Reader: "main-in", Door: "main",
		Direction: core.In, Card: "em:0102B0A5FD", Person: "ann", Result: core.Granted,
		Explanation: "level Staff", Zone: "lobby", PrevHash: "ab"}
	const want = "c1a00d39b1e894b2c296983c2942a2d01afb900b05c2b48790085213d96408f5"
	if got := core.EventHash(e); got != want {
		t.Fatalf("got %s, want %s", got, want)
	}
	changed := e
	changed.Result = core.DeniedNoAccess
	if core.EventHash(changed) == core.EventHash(e) {
		t.Fatal("changing the result did not change the hash")
	}
	moved := e
	moved.Reader, moved.Door = "main-inm", "ain" // same bytes, other split
	if core.EventHash(moved) == core.EventHash(e) {
		t.Fatal("moving bytes between fields did not change the hash")
	}
}

// TestEventHashReason: an event with a reason hashes it (in its own
// encoding), so that a changed reason breaks the chain; one without
// keeps the frozen encoding above.
func TestEventHashReason(t *testing.T) {
	e := core.Event{Seq: 7, At: time.Date(2026, 11, 24, 8, 0, 0, 0, time.UTC), Reader: "main-in", Door: "main",
		Result: core.Granted, Explanation: "level Staff, at any time", PrevHash: "ab",
		Why: core.NewReason(core.ReasonLevelAnyTime, "level", "Staff")}
	const want = "44933c3ac62d9499c5da72dcb0a42bd5211a2ce9b292ff20c09b2c5b6f8293e1"
	if got := core.EventHash(e); got != want {
		t.Fatalf("got %s, want %s", got, want)
	}
	plain := e
	plain.Why = nil
	other := e
	other.Why = core.NewReason(core.ReasonLevelAnyTime, "level", "Admin")
	swapped := e
	swapped.Why = core.NewReason(core.ReasonMaster, "level", "Staff")
	hashes := map[string]string{}
	for name, ev := range map[string]core.Event{"with": e, "without": plain, "other value": other, "other code": swapped} {
		h := core.EventHash(ev)
		for n, seen := range hashes {
			if seen == h {
				t.Errorf("%s and %s: the same hash", name, n)
			}
		}
		hashes[name] = h
	}
}
