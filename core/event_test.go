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
