package storage

import (
	"context"
	"runtime"
	"runtime/trace"
	"sync"
	"sync/atomic"

	bolt "go.etcd.io/bbolt"
)

// committer gathers concurrent Batch calls into shared commits (group
// commit). Unlike bbolt's DB.Batch it never waits for company: a call that
// finds no commit running commits at once, alone, so a tap that arrives by
// itself pays one fsync and no timer; calls that arrive while a commit is
// running queue up and share the next one. Under load every commit carries
// every tap that arrived during the previous fsync, which is as many as
// group commit can share.
type committer struct {
	// write runs a function in a write transaction of its own and commits
	// it (DB.write): it returns, as an error, a panic of the function or
	// of the commit, so that a damaged page fails the calls of its commit
	// and the lead still passes on.
	write func(func(*bolt.Tx) error) error

	mu      sync.Mutex
	pending []*batchCall
	busy    bool // a leader is committing
}

// maxBatch bounds one commit, so a burst cannot make one transaction (and
// its leader's wait) arbitrarily long.
const maxBatch = 1000

type batchCall struct {
	fn func(*bolt.Tx) error
	// A call that finds no commit running leads at once (state lead).
	// One that waits for a running commit is woken (wake) once: with its
	// result (err, then state done) when a commit carried it, or with state
	// lead when it must lead the next commit.
	wake  waker
	err   error
	state atomic.Int32
}

// A waiting call's states.
const (
	waiting int32 = iota
	done
	lead
)

// batch runs fn in a transaction shared with the calls queued at the same
// time. fn may run twice: when a shared transaction fails, each of its
// calls is run again in a transaction of its own, so that one failing call
// does not fail the others.
func (c *committer) batch(fn func(*bolt.Tx) error) error {
	call := &batchCall{fn: fn}
	c.mu.Lock()
	if c.busy {
		call.wake = newWaker()
		c.pending = append(c.pending, call)
		c.mu.Unlock()
		region := trace.StartRegion(context.Background(), "commit wait")
		call.wake.wait()
		region.End()
		for call.state.Load() == waiting {
			// Only if the eventfd failed, which it does not: the state is
			// set before the wake, so this ends.
			runtime.Gosched()
		}
		if call.state.Load() == done {
			return call.err
		}
	} else {
		call.state.Store(lead)
		c.pending = append(c.pending, call)
		c.busy = true
		c.mu.Unlock()
	}
	// This call leads: commit what is queued, which includes this call,
	// then hand the lead to the first call still waiting, if any.
	c.mu.Lock()
	n := min(len(c.pending), maxBatch)
	calls := c.pending[:n:n]
	c.pending = c.pending[n:]
	c.mu.Unlock()
	region := trace.StartRegion(context.Background(), "commit")
	c.commit(calls)
	region.End()
	c.mu.Lock()
	var next *batchCall
	if len(c.pending) > 0 {
		next = c.pending[0] // stays queued, and leads with what is queued
	} else {
		c.busy = false
	}
	c.mu.Unlock()
	if next != nil {
		next.state.Store(lead)
		next.wake.wake()
	}
	return call.err
}

// commit runs calls in one transaction, or each in its own when the shared
// one fails.
func (c *committer) commit(calls []*batchCall) {
	err := c.write(func(tx *bolt.Tx) error {
		for _, call := range calls {
			if err := call.fn(tx); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil && len(calls) > 1 {
		for _, call := range calls {
			call.err = c.write(call.fn)
		}
	} else {
		for _, call := range calls {
			call.err = err
		}
	}
	for _, call := range calls {
		if call.state.Load() == waiting { // not the lead's own
			call.state.Store(done)
			call.wake.wake()
		}
	}
}
