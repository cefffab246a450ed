package natslink_test

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"runtime"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"frontdesk/core"
	"frontdesk/core/natslink"
	"frontdesk/storage"
	"frontdesk/storage/storagetest"
)

// BenchmarkDirectoryToBranch measures the time from a change of the
// directory at the central site to its application at a connected
// branch, through a hub on loopback. Budget (issue 16): p99 within 1 s.
func BenchmarkDirectoryToBranch(b *testing.B) {
	hq, lyon := company(b)
	hub := startPlainHub(b, b.TempDir(), -1)
	defer hub.stop()
	js := connectPlain(b, hub)
	log := slog.New(slog.DiscardHandler)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go natslink.PublishDirectory(ctx, js, hq, log)
	go natslink.FollowDirectory(ctx, js, lyon, log)
	cmd := core.CommandLine("bench")
	var took []time.Duration
	b.ResetTimer()
	for i := range b.N {
		id := fmt.Sprint("b", i)
		start := time.Now()
		if _, err := hq.AddPerson(cmd, core.Person{ID: id, Name: "Bench " + id, Department: "sales"}); err != nil {
			b.Fatal(err)
		}
		for {
			if _, err := lyon.Person(cmd, id); err == nil {
				break
			}
			if time.Since(start) > 10*time.Second {
				b.Fatalf("change %d not applied within 10 s", i)
			}
			time.Sleep(time.Millisecond)
		}
		took = append(took, time.Since(start))
	}
	b.StopTimer()
	reportLatency(b, took)
}

// BenchmarkDirectoryFanOut is the company of the simulation: 100
// branches, each following the directory of a central site with 1,000
// people a branch (100,000 in all), in one process on loopback. It
// reports the time until every branch has the whole directory, then the
// fan-out of one change (p99 over the branches), and the memory in use.
// Run it alone: `make bench BENCH=DirectoryFanOut BENCHTIME=1x`; it
// takes minutes.
func BenchmarkDirectoryFanOut(b *testing.B) {
	branches, perBranch := 100, 1000
	// FRONTDESK_FANOUT=BRANCHESxPEOPLE runs a smaller company, to try it.
	if v := os.Getenv("FRONTDESK_FANOUT"); v != "" {
		if _, err := fmt.Sscanf(v, "%dx%d", &branches, &perBranch); err != nil {
			b.Fatalf("FRONTDESK_FANOUT=%q: want BRANCHESxPEOPLE, such as 10x100", v)
		}
	}
	hub := startPlainHub(b, b.TempDir(), -1)
	defer hub.stop()
	js := connectPlain(b, hub)
	hqDB := storagetest.MustOpen(b)
	hq := engineOn(b, hqDB, `{"site": {"name": "HQ", "timezone": "Europe/Paris"},
  "zones": [{"id": "outside", "name": "Outside"}, {"id": "hq", "name": "HQ", "work": true}],
  "doors": [{"id": "hq-main", "name": "HQ main", "from": "outside", "to": "hq"}],
  "access_levels": [{"id": "staff", "name": "Staff", "rules": [{"doors": ["hq-main"]}]}],
  "departments": [{"id": "sales", "name": "Sales", "access_level": "staff"}]}`)
	hq.SetFederation(core.Federation{Site: "hq", IsCentral: true, Central: "hq"})
	var people []byte
	people = append(people, `{"people": [`...)
	for i := range branches * perBranch {
		if i > 0 {
			people = append(people, ',')
		}
		people = fmt.Appendf(people, `{"id": "p%d", "name": "Person %d", "department": "sales", "cards": ["em:%010X"]}`, i, i, i+1)
	}
	people = append(people, "]}"...)
	importInto(b, hq, string(people))
	sites := make([]*core.Engine, branches)
	dbs := make([]*storage.DB, branches)
	for i := range sites {
		dbs[i] = storagetest.MustOpen(b)
		sites[i] = engineOn(b, dbs[i], fmt.Sprintf(`{"site": {"name": "Branch %d", "timezone": "Europe/Paris"}}`, i))
		sites[i].SetFederation(core.Federation{Site: fmt.Sprint("b", i), Central: "hq"})
	}
	log := slog.New(slog.DiscardHandler)
	if os.Getenv("FRONTDESK_FANOUT_LOG") != "" {
		log = slog.New(slog.NewTextHandler(os.Stderr, nil))
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	start := time.Now()
	go natslink.PublishDirectory(ctx, js, hq, log)
	for _, e := range sites {
		// Each branch on a connection of its own, as each site is.
		nc, err := nats.Connect(hub.url(), nats.MaxReconnects(-1), nats.ErrorHandler(func(*nats.Conn, *nats.Subscription, error) {}))
		if err != nil {
			b.Fatal(err)
		}
		defer nc.Close()
		bjs, err := jetstream.New(nc)
		if err != nil {
			b.Fatal(err)
		}
		go natslink.FollowDirectory(ctx, bjs, e, log)
	}
	cmd := core.CommandLine("bench")
	// A person added after the import: at a branch once all before it is.
	if _, err := hq.AddPerson(cmd, core.Person{ID: "last", Name: "Last", Department: "sales"}); err != nil {
		b.Fatal(err)
	}
	last := "last"
	waitAll := func(id string, since time.Time) []time.Duration {
		took := make([]time.Duration, len(sites))
		var wg sync.WaitGroup
		for i, e := range sites {
			wg.Go(func() {
				for {
					if _, err := e.Person(cmd, id); err == nil {
						took[i] = time.Since(since)
						return
					}
					if time.Since(since) > 10*time.Minute {
						took[i] = -1
						return
					}
					time.Sleep(5 * time.Millisecond)
				}
			})
		}
		wg.Wait()
		if slices.Contains(took, -1) {
			b.Fatalf("%s not at every branch within 10 minutes", id)
		}
		return took
	}
	b.ResetTimer()
	full := slices.Max(waitAll(last, start))
	var fan []time.Duration
	for i := range b.N {
		id := fmt.Sprint("new", i)
		since := time.Now()
		if _, err := hq.AddPerson(cmd, core.Person{ID: id, Name: "New " + id, Department: "sales"}); err != nil {
			b.Fatal(err)
		}
		fan = append(fan, waitAll(id, since)...)
	}
	b.StopTimer()
	rate := eventsFromEveryBranch(b, hub.url(), hqDB, dbs)
	var mem runtime.MemStats
	runtime.ReadMemStats(&mem)
	b.ReportMetric(full.Seconds(), "full-directory-s")
	reportLatency(b, fan)
	b.ReportMetric(rate, "central-events/s")
	b.ReportMetric(float64(mem.HeapInuse)/(1<<20), "heap-MiB")
}

// eventsFromEveryBranch is the simulation's second half: every branch
// has taps its link has not sent (FRONTDESK_FANOUT_EVENTS a branch, 500
// by default), all links start at once, and the central site stores them
// all. It returns the events a second stored at the central site, and
// checks each branch's events arrived exactly, in order.
func eventsFromEveryBranch(b *testing.B, url string, hqDB *storage.DB, dbs []*storage.DB) float64 {
	b.Helper()
	perSite := 500
	if v := os.Getenv("FRONTDESK_FANOUT_EVENTS"); v != "" {
		if _, err := fmt.Sscan(v, &perSite); err != nil || perSite < 1 {
			b.Fatalf("FRONTDESK_FANOUT_EVENTS=%q: want a number of events a branch", v)
		}
	}
	for _, db := range dbs {
		logTaps(b, db, perSite)
	}
	central := startIngest(b, url, hqDB)
	defer central.stop()
	start := time.Now()
	for i, db := range dbs {
		defer startOutbox(b, url, fmt.Sprint("b", i), db).stop()
	}
	eventually(b, 10*time.Minute, "every branch's events at the central site", func() bool {
		for i := range dbs {
			if last, err := hqDB.SiteLastSeq(fmt.Sprint("b", i)); err != nil || last != uint64(perSite) {
				return false
			}
		}
		return true
	})
	rate := float64(perSite*len(dbs)) / time.Since(start).Seconds()
	for i, db := range dbs {
		checkArrived(b, hqDB, db, fmt.Sprint("b", i), perSite)
	}
	return rate
}

// reportLatency reports the median and the 99th percentile of took.
func reportLatency(b *testing.B, took []time.Duration) {
	slices.Sort(took)
	at := func(q float64) float64 {
		return float64(took[min(len(took)-1, int(q*float64(len(took))))].Microseconds()) / 1000
	}
	b.ReportMetric(at(0.50), "p50-ms")
	b.ReportMetric(at(0.99), "p99-ms")
	b.ReportMetric(0, "ns/op")
}
