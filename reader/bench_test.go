package reader_test

import (
	"bytes"
	"context"
	"fmt"
	"runtime/trace"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"frontdesk/core"
	"frontdesk/core/coretest"
	"frontdesk/core/procs"
	"frontdesk/reader"
	"frontdesk/reader/readertest"
)

// benchSite is a door whose RDM6300 reader and LCUS relay are on
// pseudo-terminals, with people enough that no card comes back within the
// debounce interval. The pulse is short so that each tap sees its own "on"
// command.
func benchSite(people int, readers []*readertest.Line, relay *readertest.Line) string {
	var devs, ps []string
	for i, l := range readers {
		devs = append(devs, fmt.Sprintf(`{"id": "r%d", "kind": "serial-rdm6300", "port": %q, "door": "main", "direction": "in"}`, i, l.Path))
	}
	relayRef := ""
	if relay != nil {
		devs = append(devs, fmt.Sprintf(`{"id": "relay", "kind": "serial-lcus-relay", "port": %q}`, relay.Path))
		relayRef = `, "relay": "relay:1", "pulse": "20ms"`
	}
	for i := range people {
		ps = append(ps, fmt.Sprintf(`{"id": "p%d", "name": "P %d", "department": "staff", "cards": ["em:%010X"]}`, i, i, 0x0100000000+i))
	}
	return `{"site": {"name": "Bench", "timezone": "Europe/Paris", "debounce": "1s"},
	  "zones": [{"id": "outside", "name": "Outside"}, {"id": "office", "name": "Office"}],
	  "doors": [{"id": "main", "name": "Main", "from": "outside", "to": "office"` + relayRef + `}],
	  "devices": [` + strings.Join(devs, ",") + `],
	  "access_levels": [{"id": "all", "name": "All", "rules": [{"doors": ["main"]}]}],
	  "departments": [{"id": "staff", "name": "Staff", "access_level": "all"}],
	  "people": [` + strings.Join(ps, ",") + `]}`
}

// startSupervisor runs a supervisor on e until the benchmark ends.
func startSupervisor(b *testing.B, e *core.Engine, devices int) {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		(&reader.Supervisor{Engine: e}).Run(ctx)
	}()
	b.Cleanup(func() { cancel(); <-done })
	waitFor(b, 5*time.Second, "devices connected", func() bool {
		n := 0
		for _, h := range e.Health(core.Actor{Kind: core.ActorSystem}) {
			if h.Connected {
				n++
			}
		}
		return n == devices
	})
}

// BenchmarkTapToRelay measures DESIGN §7's tap-to-relay latency: from the
// last byte of an RDM6300 frame written to the reader's pseudo-terminal to
// the LCUS "on" command read from the relay's, through real tarm/serial,
// the decision, and the event's fsync to a real bbolt file, which the
// supervisor waits for before it switches the relay. Budget: p99 ≤ 25 ms.
func BenchmarkTapToRelay(b *testing.B) {
	in, relay := readertest.NewLine(b), readertest.NewLine(b)
	e := coretest.SiteEngine(b, benchSite(200, []*readertest.Line{in}, relay), time.Now)
	startSupervisor(b, e, 2)
	if _, err := relay.ReadN(4, 3*time.Second); err != nil { // fail-secure off
		b.Fatal(err)
	}
	b.ResetTimer()
	lat := tapsToRelay(b, in, relay, 200, b.N)
	b.StopTimer()
	reportPercentiles(b, lat)
}

// tapsToRelay taps n known cards (of the people 0 to people-1 of
// benchSite, in turn from the card after the last it tapped) on in, one
// at a time, and returns how long each took from the frame's last byte
// to the relay's "on" command; the pulse's "off" is read with the timer
// stopped.
func tapsToRelay(b *testing.B, in, relay *readertest.Line, people, n int) []time.Duration {
	on := []byte{0xA0, 0x01, 0x01, 0xA2}
	lat := make([]time.Duration, 0, n)
	// This side of the lines stands for the devices, which wait for no
	// processor: it runs on a raised thread, where the process may, and
	// ReadN waits in poll(2) on that thread. The goroutine ends with the
	// benchmark, and the thread with it.
	if err := procs.Raise(); err != nil {
		harnessOrdinary.Do(func() { b.Logf("the devices' side runs at ordinary priority: %v", err) })
	}
	for i := range n {
		tapped++
		frame := readertest.RDM6300(fmt.Sprintf("%010X", 0x0100000000+tapped%people))
		region := trace.StartRegion(context.Background(), "frame to relay on") // for -test.trace
		start := time.Now()
		if err := in.Write(frame); err != nil {
			b.Fatal(err)
		}
		got, err := relay.ReadN(4, 3*time.Second)
		region.End()
		if err != nil {
			b.Fatalf("tap %d: %v", i, err)
		}
		lat = append(lat, time.Since(start))
		if !bytes.Equal(got, on) {
			b.Fatalf("tap %d: relay got % X, want % X", i, got, on)
		}
		b.StopTimer()
		if _, err := relay.ReadN(4, 3*time.Second); err != nil { // the pulse's off
			b.Fatalf("tap %d off: %v", i, err)
		}
		b.StartTimer()
	}
	return lat
}

// tapped counts the cards tapsToRelay tapped, so that one card comes back
// as late as can be (the debounce would ignore it).
var tapped int

// harnessOrdinary logs once that tapsToRelay could not raise its thread.
var harnessOrdinary sync.Once

// BenchmarkFourReadersSixtySeconds is DESIGN §7's load: 4 readers × 20
// taps a second for 60 s through pseudo-terminals, every tap logged. It
// reports the taps logged (they must all be), the tap-to-event latency
// percentiles, and fails if one is lost or out of order.
func BenchmarkFourReadersSixtySeconds(b *testing.B) {
	const readers, rate, seconds = 4, 20, 60
	for range b.N {
		lines := make([]*readertest.Line, readers)
		for i := range lines {
			lines[i] = readertest.NewLine(b)
		}
		// Each reader taps its own people, so no card repeats within the
		// debounce interval and every tap is granted.
		const perReader = 100
		e := coretest.SiteEngine(b, benchSite(readers*perReader, lines, nil), time.Now)
		var mu sync.Mutex
		sent := map[string]time.Time{} // reader+code+n → when written
		var lat []time.Duration
		got := map[string][]string{}
		cancel := e.Subscribe(func(ev core.Event) {
			mu.Lock()
			defer mu.Unlock()
			got[ev.Reader] = append(got[ev.Reader], ev.Card)
			key := fmt.Sprintf("%s/%s/%d", ev.Reader, ev.Card, len(got[ev.Reader])-1)
			if t, ok := sent[key]; ok {
				lat = append(lat, time.Since(t))
			}
		})
		startSupervisor(b, e, readers)
		b.ResetTimer()
		var wg sync.WaitGroup
		for r, l := range lines {
			wg.Add(1)
			go func() {
				defer wg.Done()
				tick := time.NewTicker(time.Second / rate)
				defer tick.Stop()
				for k := range rate * seconds {
					<-tick.C
					code := fmt.Sprintf("%010X", 0x0100000000+r*perReader+k%perReader)
					mu.Lock()
					sent[fmt.Sprintf("r%d/em:%s/%d", r, code, k)] = time.Now()
					mu.Unlock()
					if err := l.Write(readertest.RDM6300(code)); err != nil {
						b.Error(err)
						return
					}
				}
			}()
		}
		wg.Wait()
		want := readers * rate * seconds
		waitFor(b, 10*time.Second, "every tap logged", func() bool {
			mu.Lock()
			defer mu.Unlock()
			n := 0
			for _, cs := range got {
				n += len(cs)
			}
			return n == want
		})
		b.StopTimer()
		cancel()
		var logged int
		e.Events(core.Actor{Kind: core.ActorSystem}, core.EventQuery{}, func(ev core.Event) error {
			if ev.Result == core.Granted {
				logged++
			}
			return nil
		})
		if logged != want {
			b.Fatalf("%d granted taps in the log, want %d", logged, want)
		}
		for r := range readers {
			cs := got[fmt.Sprintf("r%d", r)]
			for k, c := range cs {
				if w := fmt.Sprintf("em:%010X", 0x0100000000+r*perReader+k%perReader); c != w {
					b.Fatalf("reader r%d tap %d: %s, want %s", r, k, c, w)
				}
			}
		}
		b.ReportMetric(float64(logged), "taps-logged")
		reportPercentiles(b, lat)
	}
}

// reportPercentiles reports p50 and p99 of lat in milliseconds.
func reportPercentiles(b *testing.B, lat []time.Duration) {
	if len(lat) == 0 {
		return
	}
	slices.Sort(lat)
	at := func(p float64) float64 {
		return float64(lat[min(len(lat)-1, int(p*float64(len(lat))))]) / float64(time.Millisecond)
	}
	b.ReportMetric(at(0.50), "p50-ms")
	b.ReportMetric(at(0.99), "p99-ms")
	b.ReportMetric(0, "ns/op")
}
