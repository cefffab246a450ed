package httpapi

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"slices"
	"sync/atomic"
	"testing"
	"time"

	"frontdesk/core"
)

// deskDecision is what a tap of ann's card at the desk would give now,
// without recording it.
func deskDecision(t testing.TB, e *core.Engine, at time.Time) core.Result {
	t.Helper()
	ev, err := e.Decide(core.Tap{Reader: "desk", Code: annCard, At: at})
	if err != nil {
		t.Fatal(err)
	}
	return ev.Result
}

// TestCaptureDeskThroughTheService: while a client holds the desk, a desk
// tap is a card read; once it releases, the next desk tap checks in. The
// desk is held while any holder holds it, and a client that dies
// releases its hold with its connection.
func TestCaptureDeskThroughTheService(t *testing.T) {
	clock := &testClock{t: t0}
	s := newSite(t, clock.now, siteOptions{})
	path := serve(t, NewServer(s.engine, Options{}), trusted())
	cli := dial(t, path)
	a := commandLine(t, cli)

	release, err := cli.CaptureDesk(a)
	if err != nil {
		t.Fatal(err)
	}
	ev, err := s.engine.Tap(core.Tap{Reader: "desk", Code: annCard, At: t0})
	if err != nil || ev.Result != core.CardRead || ev.Person != "ann" {
		t.Errorf("held: got %s for %q (%v), want card_read for ann", ev.Result, ev.Person, err)
	}
	second, err := cli.CaptureDesk(a)
	if err != nil {
		t.Fatal(err)
	}
	release()
	release()
	if got := deskDecision(t, s.engine, t0.Add(time.Minute)); got != core.CardRead {
		t.Errorf("held by a second screen: got %s, want card_read", got)
	}
	second()
	ev, err = s.engine.Tap(core.Tap{Reader: "desk", Code: annCard, At: t0.Add(time.Minute)})
	if err != nil || ev.Result != core.CheckedIn {
		t.Errorf("released: got %s (%v), want checked_in", ev.Result, err)
	}

	// A client that dies: its connection closes, and the service
	// releases its hold.
	conn, err := net.Dial("unix", path)
	if err != nil {
		t.Fatal(err)
	}
	fmt.Fprint(conn, "GET /v1/desk/capture HTTP/1.1\r\nHost: frontdesk\r\n\r\n")
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatal(err)
	}
	line, err := bufio.NewReader(resp.Body).ReadBytes('\n')
	if err != nil || !bytes.Contains(line, []byte(`"capture"`)) {
		t.Fatalf("got %q, %v; want the capture's first line", line, err)
	}
	if got := deskDecision(t, s.engine, t0.Add(2*time.Minute)); got != core.CardRead {
		t.Errorf("held by a raw client: got %s, want card_read", got)
	}
	conn.Close()
	deadline := time.Now().Add(5 * time.Second)
	for deskDecision(t, s.engine, t0.Add(2*time.Minute)) == core.CardRead {
		if time.Now().After(deadline) {
			t.Fatal("the capture of a client gone is still held after 5s")
		}
		time.Sleep(10 * time.Millisecond)
	}

	// A boss may not capture the desk.
	bob, bobActor := login(t, serve(t, NewServer(s.engine, Options{}), stranger()), "bob", bobPassword)
	_, wantErr := s.engine.CaptureDesk(bobActor)
	if _, err := bob.CaptureDesk(bobActor); sameError(err, wantErr) != "" || wantErr == nil {
		t.Errorf("bob: %s", sameError(err, wantErr))
	}
}

// TestWatchSeesTaps: a tap recorded in the engine reaches a client's
// Watch, as the engine published it.
func TestWatchSeesTaps(t *testing.T) {
	clock := &testClock{t: t0}
	s := newSite(t, clock.now, siteOptions{})
	cli := dial(t, serve(t, NewServer(s.engine, Options{}), trusted()))
	got := make(chan core.Event, 16)
	cancel, err := cli.Watch(commandLine(t, cli), func(u core.Update) {
		if u.Event != nil {
			got <- *u.Event
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	defer cancel()
	want, err := s.engine.Tap(core.Tap{Reader: "desk", Code: annCard})
	if err != nil {
		t.Fatal(err)
	}
	select {
	case ev := <-got:
		if d := sameValue(ev, want); d != "" {
			t.Error(d)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the tap did not reach the watch in 5s")
	}
}

// TestSlowWatcherDoesNotSlowTaps: a client that never reads its watch
// holds up no tap; when it reads again it is told how many updates it
// missed.
func TestSlowWatcherDoesNotSlowTaps(t *testing.T) {
	clock := &testClock{t: t0}
	s := newSite(t, clock.now, siteOptions{})
	path := serve(t, NewServer(s.engine, Options{WatchBuffer: 8}), trusted())
	// A raw client, whose small socket buffer fills fast and which reads
	// nothing until the taps are over.
	conn, err := net.Dial("unix", path)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	conn.(*net.UnixConn).SetReadBuffer(4096)
	fmt.Fprint(conn, "GET /v1/watch HTTP/1.1\r\nHost: frontdesk\r\n\r\n")
	br := bufio.NewReader(conn)
	resp, err := http.ReadResponse(br, nil)
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("watch: %v %v", resp.Status, err)
	}
	// The watch is in place once its first line is sent.
	body := bufio.NewReader(resp.Body)
	if l, err := body.ReadBytes('\n'); err != nil {
		t.Fatalf("first line %q: %v", l, err)
	}

	const taps = 3000
	durations := make([]time.Duration, 0, taps)
	var done atomic.Bool
	finished := make(chan struct{})
	go func() {
		defer close(finished)
		for i := range taps {
			start := time.Now()
			if _, err := s.engine.Tap(core.Tap{Reader: "main-in", Code: fmt.Sprintf("em:%010x", i)}); err != nil {
				t.Errorf("tap %d: %v", i, err)
				return
			}
			durations = append(durations, time.Since(start))
		}
		done.Store(true)
	}()
	select {
	case <-finished:
	case <-time.After(20 * time.Second):
		t.Fatal("the taps were held up by a watch nobody reads")
	}
	if !done.Load() {
		t.FailNow()
	}
	slices.Sort(durations)
	slowest, median := durations[len(durations)-1], durations[len(durations)/2]
	t.Logf("%d taps while a watch was not read: median %v, slowest %v", taps, median, slowest)
	if slowest > time.Second {
		t.Errorf("the slowest tap took %v with a watch not read", slowest)
	}

	// Now it reads: events, and how many it missed, which add up to the
	// taps.
	conn.SetReadDeadline(time.Now().Add(10 * time.Second))
	events, missed, notices := 0, 0, 0
	for events+missed < taps {
		l, err := body.ReadBytes('\n')
		if err != nil {
			t.Fatalf("after %d events and %d missed: %v", events, missed, err)
		}
		var w watchLine
		if err := json.Unmarshal(l, &w); err != nil {
			t.Fatalf("line %q: %v", l, err)
		}
		if w.Event != nil {
			events++
		}
		if w.Missed > 0 {
			missed += w.Missed
			notices++
		}
	}
	t.Logf("read %d events, and %d notices of %d missed", events, notices, missed)
	if events+missed != taps || missed == 0 {
		t.Errorf("read %d, missed %d: want some missed, %d in all", events, missed, taps)
	}
}

// BenchmarkWatchLatency measures how long a tap takes to reach a
// client's Watch through the socket, from the call of Tap (its durable
// commit included: fsync on) to the client's callback, over 200 taps in
// a row; it reports the median and the 99th percentile, whose budget is
// 100 ms.
func BenchmarkWatchLatency(b *testing.B) {
	clock := &testClock{t: t0}
	s := newSite(b, clock.now, siteOptions{sync: true})
	cli := dial(b, serve(b, NewServer(s.engine, Options{}), trusted()))
	arrived := make(chan time.Time, 1)
	cancel, err := cli.Watch(commandLine(b, cli), func(u core.Update) {
		if u.Event != nil {
			arrived <- time.Now()
		}
	})
	if err != nil {
		b.Fatal(err)
	}
	defer cancel()
	const taps = 200
	var all []time.Duration
	b.ResetTimer()
	for n := 0; b.Loop(); n++ {
		for i := range taps {
			start := time.Now()
			if _, err := s.engine.Tap(core.Tap{Reader: "main-in", Code: fmt.Sprintf("em:%010x", n*taps+i)}); err != nil {
				b.Fatal(err)
			}
			select {
			case at := <-arrived:
				all = append(all, at.Sub(start))
			case <-time.After(5 * time.Second):
				b.Fatal("a tap did not reach the watch in 5s")
			}
		}
	}
	b.StopTimer()
	slices.Sort(all)
	p50, p99 := all[len(all)/2], all[len(all)*99/100]
	b.ReportMetric(float64(p50.Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(p99.Microseconds())/1000, "p99-ms")
	b.ReportMetric(float64(all[len(all)-1].Microseconds())/1000, "max-ms")
	if p99 > 100*time.Millisecond {
		b.Errorf("p99 %v over the budget of 100ms", p99)
	}
}
