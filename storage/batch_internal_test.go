package storage

import (
	"fmt"
	"math/rand/v2"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"
)

// serialWrites stands for DB.write: it runs a transaction's function and
// "commits" by sleeping a random while, and notes whether two
// transactions ever ran at once. A function's error fails its
// transaction.
type serialWrites struct {
	running atomic.Int32
	overlap atomic.Bool
	mu      sync.Mutex // rng is not safe for concurrent use
	rng     *rand.Rand
}

func (f *serialWrites) write(fn func(*bolt.Tx) error) error {
	if f.running.Add(1) > 1 {
		f.overlap.Store(true)
	}
	defer f.running.Add(-1)
	err := fn(nil)
	f.mu.Lock()
	d := time.Duration(f.rng.IntN(300)) * time.Microsecond
	f.mu.Unlock()
	time.Sleep(d)
	return err
}

// TestGroupCommitCarriesWaitersAndHandsOnTheLead: calls that find a
// commit running wait, and are carried by the next commit or lead it;
// every call returns once with its own result, a failing call fails
// alone, transactions never overlap, and the committer ends idle. The
// calls come at random moments, as taps of several readers do, over many
// rounds.
func TestGroupCommitCarriesWaitersAndHandsOnTheLead(t *testing.T) {
	for round := range 40 {
		rng := rand.New(rand.NewPCG(uint64(round), 7))
		f := &serialWrites{rng: rand.New(rand.NewPCG(uint64(round), 8))}
		c := &committer{write: f.write}
		const calls = 60
		fails := map[int]bool{}
		for range 1 + rng.IntN(4) {
			fails[rng.IntN(calls)] = true
		}
		delays := make([]time.Duration, calls)
		for i := range delays {
			delays[i] = time.Duration(rng.IntN(2000)) * time.Microsecond
		}
		results := make([]error, calls)
		var wg sync.WaitGroup
		for i := range calls {
			wg.Go(func() {
				time.Sleep(delays[i])
				results[i] = c.batch(func(*bolt.Tx) error {
					if fails[i] {
						return fmt.Errorf("call %d refused", i)
					}
					return nil
				})
			})
		}
		done := make(chan struct{})
		go func() { wg.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			t.Fatalf("round %d: calls still waiting after 10 s: a waiter was never woken", round)
		}
		for i, err := range results {
			if (err != nil) != fails[i] {
				t.Errorf("round %d: call %d: %v, want failure %v", round, i, err, fails[i])
			}
		}
		if f.overlap.Load() {
			t.Errorf("round %d: two transactions ran at once", round)
		}
		if c.busy || len(c.pending) != 0 {
			t.Errorf("round %d: committer left busy %v with %d pending", round, c.busy, len(c.pending))
		}
	}
}

// TestGroupCommitSharesOneCommitAmongWaiters: calls queued behind a
// running commit share the next one, and the first of them leads it.
func TestGroupCommitSharesOneCommitAmongWaiters(t *testing.T) {
	release := make(chan struct{})
	entered := make(chan struct{}, 1)
	var commits int
	var mu sync.Mutex
	c := &committer{}
	c.write = func(fn func(*bolt.Tx) error) error {
		err := fn(nil)
		mu.Lock()
		commits++
		k := commits
		mu.Unlock()
		if k == 1 {
			entered <- struct{}{}
			<-release
		}
		return err
	}
	count := func(n *int) func(*bolt.Tx) error {
		return func(*bolt.Tx) error {
			mu.Lock()
			*n++
			mu.Unlock()
			return nil
		}
	}
	var first int
	go c.batch(count(&first))
	<-entered
	const waiters = 5
	ran := make([]int, waiters)
	errs := make(chan error, waiters)
	for i := range waiters {
		go func() { errs <- c.batch(count(&ran[i])) }()
	}
	waitQueued(t, c, waiters)
	close(release)
	for range waiters {
		select {
		case err := <-errs:
			if err != nil {
				t.Fatal(err)
			}
		case <-time.After(5 * time.Second):
			t.Fatal("a waiter was never woken")
		}
	}
	mu.Lock()
	defer mu.Unlock()
	if commits != 2 {
		t.Errorf("%d transactions, want 2: the running one and one shared by the %d waiters", commits, waiters)
	}
	for i, n := range ran {
		if n != 1 {
			t.Errorf("waiter %d ran %d times, want once", i, n)
		}
	}
}

// waitQueued waits until n calls wait behind the running commit.
func waitQueued(t *testing.T, c *committer, n int) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		c.mu.Lock()
		got := len(c.pending)
		c.mu.Unlock()
		if got == n {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d calls queued, want %d", got, n)
		}
		time.Sleep(time.Millisecond)
	}
}

// TestWakerWakesOnceWhicheverComesFirst: a wake before the wait is kept,
// and one from another goroutine ends the wait.
func TestWakerWakesOnceWhicheverComesFirst(t *testing.T) {
	w := newWaker()
	w.wake()
	w.wait() // returns at once
	w = newWaker()
	woke := make(chan struct{})
	go func() { w.wait(); close(woke) }()
	select {
	case <-woke:
		t.Fatal("wait returned before wake")
	case <-time.After(20 * time.Millisecond):
	}
	w.wake()
	select {
	case <-woke:
	case <-time.After(5 * time.Second):
		t.Fatal("wait did not return after wake")
	}
}
