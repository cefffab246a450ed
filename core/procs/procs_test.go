package procs

import (
	"context"
	"errors"
	"runtime"
	"testing"
	"time"
)

func TestReserveRaisesProcessorsAndRestores(t *testing.T) {
	t.Setenv("GOMAXPROCS", "")
	t.Setenv("GOGC", "")
	t.Setenv("GOMEMLIMIT", "")
	before := runtime.GOMAXPROCS(0)
	cores := Cores()
	restore := Reserve()
	if got := runtime.GOMAXPROCS(0); got < 8 || got < 4*runtime.NumCPU() {
		t.Errorf("GOMAXPROCS %d under Reserve, want at least max(8, 4 per core)", got)
	}
	if got := Cores(); got != cores {
		t.Errorf("Cores %d under Reserve, want %d (the real ones)", got, cores)
	}
	restore()
	if got := runtime.GOMAXPROCS(0); got != before {
		t.Errorf("GOMAXPROCS %d after restore, want %d", got, before)
	}
}

// TestReserveKeepsACoreFromTheOtherWork checks that, where the doors run,
// the work other than theirs gets one core fewer than the machine has (at
// least one), that a turn waits while they are all taken and ends with
// its context, and that a turn taken before Reserve goes back to where it
// came from.
func TestReserveKeepsACoreFromTheOtherWork(t *testing.T) {
	t.Setenv("GOMAXPROCS", "")
	if got := Width(); got != Cores() {
		t.Fatalf("Width %d without Reserve, want the cores, %d", got, Cores())
	}
	before, err := Turn(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	restore := Reserve()
	want := max(1, Cores()-1)
	if got := Width(); got != want {
		t.Fatalf("Width %d under Reserve on %d cores, want %d", got, Cores(), want)
	}
	before() // to the pool it came from, not the new one
	var held []func()
	for range want {
		done, ok := Spare()
		if !ok {
			t.Fatalf("only %d of %d turns free", len(held), want)
		}
		held = append(held, done)
	}
	if _, ok := Spare(); ok {
		t.Fatalf("a turn beyond the width %d", want)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Millisecond)
	defer cancel()
	if _, err := Turn(ctx); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Turn with every turn taken: %v, want the context's end", err)
	}
	got := make(chan func(), 1)
	go func() {
		done, err := Turn(context.Background())
		if err == nil {
			got <- done
		}
	}()
	held[0]()
	select {
	case done := <-got:
		done()
	case <-time.After(5 * time.Second):
		t.Fatal("a turn given back did not reach the call waiting for one")
	}
	for _, done := range held[1:] {
		done()
	}
	restore()
	if got := Width(); got != Cores() {
		t.Fatalf("Width %d after restore, want %d", got, Cores())
	}
}
