package reader_test

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"runtime/metrics"
	"runtime/trace"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"frontdesk/core"
	"frontdesk/core/coretest"
	"frontdesk/core/httpapi"
	"frontdesk/core/procs"
	"frontdesk/reader/readertest"
)

// BenchmarkTapToRelayUnderClients is the service's load budget: one
// reader's tap-to-relay latency (as BenchmarkTapToRelay) while three more
// readers tap 20 times a second on pseudo-terminals, with 20 clients
// calling the API on its Unix socket flat out (people, the log, the
// timesheet) and without them. Budget: p99 with clients within 1.2x of
// p99 without.
//
// The disk of a shared machine is faster at some minutes than at others
// by more than the budget, so the two are measured in turns, 20 taps
// each, within one run: the clients' process is stopped (SIGSTOP) and
// continued. A third turn has no client but three busy loops in the
// idle scheduling class, which run nothing of Frontdesk's: what any
// work on the machine's processors costs the taps (a commit's sync is
// slower when they are all busy), the floor for the turn with clients.
// A fourth turn has the clients beside two busy loops at normal priority,
// as other programs on the reception PC: with the calls' threads at a
// lower priority than the rest of the process, a stop of the garbage
// collector waited for them, and the doors with it (up to 470 ms); each
// turn reports its longest stop (*-gc-stop-max-ms).
func BenchmarkTapToRelayUnderClients(b *testing.B) {
	const clients, turn = 20, 20
	defer procs.Reserve()() // the service's runtime
	measured, relay := readertest.NewLine(b), readertest.NewLine(b)
	lines := []*readertest.Line{measured, readertest.NewLine(b), readertest.NewLine(b), readertest.NewLine(b)}
	e := coretest.SiteEngine(b, benchSite(400, lines, relay), time.Now)
	startSupervisor(b, e, len(lines)+1)
	if _, err := relay.ReadN(4, 3*time.Second); err != nil { // fail-secure off
		b.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	defer func() { cancel(); wg.Wait() }()
	// Three readers at 20 taps a second of cards nobody holds: each is
	// decided and logged durably like any tap, and switches no relay, so
	// the relay answers the measured reader alone.
	for r, l := range lines[1:] {
		wg.Go(func() {
			tick := time.NewTicker(time.Second / 20)
			defer tick.Stop()
			for k := 0; ; k++ {
				select {
				case <-ctx.Done():
					return
				case <-tick.C:
					l.Write(readertest.RDM6300(fmt.Sprintf("%010X", 0x0A00000000+r*1000+k%1000)))
				}
			}
		})
	}
	path := filepath.Join(b.TempDir(), "api.sock")
	ln, err := httpapi.Listen(path, -1)
	if err != nil {
		b.Fatal(err)
	}
	srv := httpapi.NewServer(e, httpapi.Options{})
	wg.Go(func() {
		srv.Serve(ctx, ln, httpapi.PeerPolicy{Unix: true, OwnerUID: os.Getuid(), GroupGID: -1})
	})
	// The clients are another process: they stand for PCs and scripts
	// elsewhere, whose own work (decoding answers) is not the service's,
	// so it runs in the idle class as the service's calls do. The class
	// is set before the program starts, so every thread has it.
	var clientsOut bytes.Buffer
	child := idleCommand(b, os.Args[0])
	child.Env = append(os.Environ(), fmt.Sprintf("FRONTDESK_LOAD_CLIENTS=%s,%d", path, clients))
	child.Stdout, child.Stderr = &clientsOut, &clientsOut
	busy := make([]*exec.Cmd, 3)
	for i := range busy {
		busy[i] = idleCommand(b, "sh", "-c", spin)
	}
	others := make([]*exec.Cmd, 2)
	for i := range others {
		others[i] = exec.Command("sh", "-c", spin)
	}
	for _, c := range slices.Concat(busy, others, []*exec.Cmd{child}) {
		if err := c.Start(); err != nil {
			b.Fatal(err)
		}
		defer func() { c.Process.Kill(); c.Wait() }()
	}
	time.Sleep(500 * time.Millisecond) // all clients connected and calling
	type phase struct {
		name  string
		procs []*exec.Cmd
		lat   []time.Duration
		ran   time.Duration
		stops []uint64 // the garbage collector's stops, a histogram
	}
	phases := []*phase{{name: "alone"}, {name: "clients", procs: []*exec.Cmd{child}}, {name: "busy", procs: busy},
		{name: "pc", procs: append([]*exec.Cmd{child}, others...)}}
	signal := func(ps []*exec.Cmd, sig syscall.Signal) {
		for _, p := range ps {
			if err := p.Process.Signal(sig); err != nil {
				b.Fatal(err)
			}
		}
	}
	for _, ph := range phases[1:] {
		signal(ph.procs, syscall.SIGSTOP)
	}
	b.ResetTimer()
	for done := 0; done < b.N; done += turn {
		for _, ph := range phases {
			signal(ph.procs, syscall.SIGCONT)
			trace.Log(context.Background(), "turn", ph.name) // for -test.trace
			start := time.Now()
			time.Sleep(50 * time.Millisecond) // at work again
			before := gcStops()
			ph.lat = append(ph.lat, tapsToRelay(b, measured, relay, 400, turn)...)
			ph.stops = addStops(ph.stops, before, gcStops())
			signal(ph.procs, syscall.SIGSTOP)
			ph.ran += time.Since(start)
			time.Sleep(20 * time.Millisecond) // the service's calls in progress end
		}
	}
	b.StopTimer()
	p99 := map[string]time.Duration{}
	for _, ph := range phases {
		slices.Sort(ph.lat)
		p99[ph.name] = ph.lat[len(ph.lat)*99/100]
		b.ReportMetric(float64(ph.lat[len(ph.lat)/2].Microseconds())/1000, ph.name+"-p50-ms")
		b.ReportMetric(float64(p99[ph.name].Microseconds())/1000, ph.name+"-p99-ms")
		b.ReportMetric(longestStop(ph.stops)*1000, ph.name+"-gc-stop-max-ms")
	}
	b.ReportMetric(float64(p99["clients"])/float64(p99["alone"]), "clients/alone-p99")
	b.ReportMetric(float64(p99["clients"])/float64(p99["busy"]), "clients/busy-p99")
	signal([]*exec.Cmd{child}, syscall.SIGCONT)
	signal([]*exec.Cmd{child}, syscall.SIGTERM)
	child.Wait()
	var calls int
	if _, err := fmt.Sscanf(clientsOut.String(), "calls %d", &calls); err != nil {
		b.Fatalf("the clients: %v\n%s", err, clientsOut.String())
	}
	if calls == 0 {
		b.Fatal("the clients made no call")
	}
	b.ReportMetric(float64(calls)/phases[1].ran.Seconds(), "api-calls/s")
}

// spin is a shell's busy loop, which runs nothing of Frontdesk's.
const spin = "while :; do :; done"

// stopsMetric is the runtime's histogram of the garbage collector's
// stops of the world.
const stopsMetric = "/sched/pauses/total/gc:seconds"

// gcStops is the histogram's counts so far.
func gcStops() []uint64 {
	s := []metrics.Sample{{Name: stopsMetric}}
	metrics.Read(s)
	return slices.Clone(s[0].Value.Float64Histogram().Counts)
}

// addStops adds the stops between before and after to sum.
func addStops(sum, before, after []uint64) []uint64 {
	if sum == nil {
		sum = make([]uint64, len(after))
	}
	for i := range after {
		sum[i] += after[i] - before[i]
	}
	return sum
}

// longestStop is the lower bound, in seconds, of the highest bucket of
// counts that holds a stop.
func longestStop(counts []uint64) float64 {
	s := []metrics.Sample{{Name: stopsMetric}}
	metrics.Read(s)
	buckets := s[0].Value.Float64Histogram().Buckets
	for i := len(counts) - 1; i >= 0; i-- {
		if counts[i] > 0 {
			return max(0, buckets[i])
		}
	}
	return 0
}

// idleCommand is name with args run in the idle scheduling class
// (chrt -i 0), or at nice 19 where chrt is missing.
func idleCommand(b *testing.B, name string, args ...string) *exec.Cmd {
	if chrt, err := exec.LookPath("chrt"); err == nil {
		return exec.Command(chrt, append([]string{"-i", "0", name}, args...)...)
	}
	b.Log("chrt not found: the load runs at nice 19")
	return exec.Command("nice", append([]string{"-n", "19", name}, args...)...)
}

// TestMain runs the tests, or, in the process BenchmarkTapToRelayUnderClients
// starts with FRONTDESK_LOAD_CLIENTS=SOCKET,N, only its clients.
func TestMain(m *testing.M) {
	if spec := os.Getenv("FRONTDESK_LOAD_CLIENTS"); spec != "" {
		if err := loadClients(spec); err != nil {
			fmt.Println("error", err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// loadClients is the clients of BenchmarkTapToRelayUnderClients: N
// clients call the socket flat out until SIGTERM, then it prints how
// many calls they made.
func loadClients(spec string) error {
	path, n, _ := strings.Cut(spec, ",")
	clients, err := strconv.Atoi(n)
	if err != nil {
		return err
	}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM)
	defer stop()
	cli := core.CommandLine("bench")
	today := core.DateOf(time.Now(), time.UTC)
	var calls atomic.Int64
	var wg sync.WaitGroup
	for k := range clients {
		c, err := httpapi.DialUnix(path)
		if err != nil {
			return err
		}
		defer c.Close()
		wg.Add(1)
		go func() {
			defer wg.Done()
			for ctx.Err() == nil {
				var err error
				switch k % 3 {
				case 0:
					_, _, err = c.People(cli, core.PeopleQuery{Text: "p", Limit: 50})
				case 1:
					err = c.Events(cli, core.EventQuery{Limit: 200, Reverse: true}, func(core.Event) error { return nil })
				case 2:
					_, err = c.Timesheet(cli, core.TimesheetQuery{From: today, To: today})
				}
				if err != nil && ctx.Err() == nil {
					fmt.Println("error", err)
					return
				}
				calls.Add(1)
			}
		}()
	}
	wg.Wait()
	fmt.Printf("calls %d\n", calls.Load())
	return nil
}
