package httpapi

import (
	"context"
	"net"
	"net/http"
	"testing"
	"time"

	"frontdesk/core/procs"
)

// TestCallsWaitForATurnOfTheWork checks that a call works only while it
// holds one of the turns of the work other than the doors' (procs.Turn):
// with every turn held, as by calls as many as the processors the work may
// keep busy, the next call is not answered; it is as soon as a turn comes
// back. A caller that gives up while waiting takes no turn with it.
func TestCallsWaitForATurnOfTheWork(t *testing.T) {
	s := newSite(t, (&testClock{t: t0}).now, siteOptions{})
	srv := NewServer(s.engine, Options{})
	srv.handle("GET /v1/test/turn", func(*call) (any, error) { return "worked", nil })
	path := serve(t, srv, trusted())
	hc := &http.Client{Transport: &http.Transport{DialContext: func(ctx context.Context, _, _ string) (net.Conn, error) {
		return (&net.Dialer{}).DialContext(ctx, "unix", path)
	}}}
	get := func(ctx context.Context) error {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, "http://frontdesk/v1/test/turn", nil)
		if err != nil {
			return err
		}
		resp, err := hc.Do(req)
		if err != nil {
			return err
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Errorf("the call: %s", resp.Status)
		}
		return nil
	}
	if err := get(context.Background()); err != nil {
		t.Fatalf("a call with the turns free: %v", err)
	}
	var held []func()
	for {
		done, ok := procs.Spare()
		if !ok {
			break
		}
		held = append(held, done)
	}
	// A caller who gives up while every turn is held.
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	if err := get(ctx); err == nil {
		t.Fatal("a call was answered while every turn was held")
	}
	answered := make(chan error, 1)
	go func() { answered <- get(context.Background()) }()
	select {
	case err := <-answered:
		t.Fatalf("a call was answered while every turn was held (%v)", err)
	case <-time.After(150 * time.Millisecond):
	}
	held[0]()
	select {
	case err := <-answered:
		if err != nil {
			t.Fatalf("the waiting call: %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("a turn given back did not reach the waiting call")
	}
	for _, done := range held[1:] {
		done()
	}
	// Every turn is free again: neither the caller who gave up nor the
	// answered call kept one.
	// (The server notices the caller who gave up when its connection
	// closes: it is given a little while.)
	var free []func()
	for end := time.Now().Add(5 * time.Second); len(free) < procs.Width(); {
		done, ok := procs.Spare()
		if ok {
			free = append(free, done)
			continue
		}
		if time.Now().After(end) {
			t.Fatalf("only %d of %d turns free after the calls", len(free), procs.Width())
		}
		time.Sleep(10 * time.Millisecond)
	}
	for _, done := range free {
		done()
	}
}
