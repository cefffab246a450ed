package reader_test

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"frontdesk/core"
	"frontdesk/core/httpapi"
	"frontdesk/core/lowprio"
	"frontdesk/reader/readertest"
)

// BenchmarkTapToRelayUnderClients is the service's load budget: one
// reader's tap-to-relay latency (as BenchmarkTapToRelay) while three more
// readers tap 20 times a second on pseudo-terminals, with no API client
// and with 20 clients calling the API on its Unix socket flat out
// (people, the log, the timesheet). Budget: p99 with clients within 1.2x
// of p99 without.
func BenchmarkTapToRelayUnderClients(b *testing.B) {
	for _, clients := range []int{0, 20} {
		b.Run(fmt.Sprintf("clients=%d", clients), func(b *testing.B) {
			defer lowprio.Reserve()() // the service's runtime, with clients or without
			measured, relay := readertest.NewLine(b), readertest.NewLine(b)
			lines := []*readertest.Line{measured, readertest.NewLine(b), readertest.NewLine(b), readertest.NewLine(b)}
			e := newEngine(b, benchSite(400, lines, relay))
			e.SpreadWith(lowprio.Spread) // as the service does
			startSupervisor(b, e, len(lines)+1)
			if _, err := relay.ReadN(4, 3*time.Second); err != nil { // fail-secure off
				b.Fatal(err)
			}
			ctx, cancel := context.WithCancel(context.Background())
			var wg sync.WaitGroup
			defer func() { cancel(); wg.Wait() }()
			// Three readers at 20 taps a second of cards nobody holds: each
			// is decided and logged durably like any tap, and switches no
			// relay, so the relay answers the measured reader alone.
			for r, l := range lines[1:] {
				wg.Add(1)
				go func() {
					defer wg.Done()
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
				}()
			}
			var clientsOut bytes.Buffer
			var child *exec.Cmd
			if clients > 0 {
				dir, err := os.MkdirTemp("", "fdload")
				if err != nil {
					b.Fatal(err)
				}
				defer os.RemoveAll(dir)
				path := filepath.Join(dir, "api.sock")
				ln, err := httpapi.Listen(path, -1)
				if err != nil {
					b.Fatal(err)
				}
				srv := httpapi.NewServer(e, httpapi.Options{})
				wg.Add(1)
				go func() {
					defer wg.Done()
					srv.Serve(ctx, ln, httpapi.PeerPolicy{Unix: true, OwnerUID: os.Getuid(), GroupGID: -1})
				}()
				// The clients are another process, at the lowest CPU
				// priority: they stand for PCs and scripts elsewhere, whose
				// own work (decoding answers) is not the service's.
				// nice(1) sets the priority before the program starts:
				// every thread of the child inherits it (setpriority on
				// a running process changes one thread only).
				child = exec.Command("nice", "-n", "19", os.Args[0])
				child.Env = append(os.Environ(), fmt.Sprintf("FRONTDESK_LOAD_CLIENTS=%s,%d", path, clients))
				child.Stdout = &clientsOut
				child.Stderr = &clientsOut
				if err := child.Start(); err != nil {
					b.Fatal(err)
				}
				time.Sleep(500 * time.Millisecond) // all clients calling
			}
			start := time.Now()
			b.ResetTimer()
			lat := tapsToRelay(b, measured, relay, 100)
			b.StopTimer()
			reportPercentiles(b, lat)
			if child != nil {
				child.Process.Signal(syscall.SIGTERM)
				child.Wait()
				var calls int
				if _, err := fmt.Sscanf(clientsOut.String(), "calls %d", &calls); err != nil {
					b.Fatalf("the clients: %v\n%s", err, clientsOut.String())
				}
				b.ReportMetric(float64(calls)/time.Since(start).Seconds(), "api-calls/s")
			}
		})
	}
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
