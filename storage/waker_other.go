//go:build !linux

package storage

// waker wakes one call waiting for a group commit (see waker_linux.go).
type waker struct{ ch chan struct{} }

func newWaker() waker { return waker{ch: make(chan struct{}, 1)} }

// wait returns once wake was called.
func (w waker) wait() { <-w.ch }

// wake wakes the call waiting in wait; it is called once.
func (w waker) wake() { w.ch <- struct{}{} }
