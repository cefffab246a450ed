package natslink_test

import (
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"

	"frontdesk/core"
	"frontdesk/core/natslink"
	"frontdesk/storage"
)

// BenchmarkEventsUpBacklog is issue 16's backlog budget: a branch cut off
// for an hour of taps (50,000 events, 14 taps a second) sends them up at
// >= 5,000 events a second, losing, duplicating and reordering nothing.
// events/s is from the outbox's start to the last event stored at the
// central site, with fsync at both ends.
func BenchmarkEventsUpBacklog(b *testing.B) {
	const backlog = 50000
	template := openSiteDB(b, false)
	logTaps(b, template, backlog)
	var elapsed time.Duration
	for i := range b.N {
		b.StopTimer()
		hub := startEventsHub(b)
		path := filepath.Join(b.TempDir(), "branch.db")
		if err := template.Backup(path); err != nil {
			b.Fatal(err)
		}
		branchDB, err := storage.Open(path, storage.Options{})
		if err != nil {
			b.Fatal(err)
		}
		central := startIngest(b, hub.url(), openSiteDB(b, false))
		b.StartTimer()
		start := time.Now()
		branch := startOutbox(b, hub.url(), "lyon", branchDB)
		eventually(b, 5*time.Minute, "the backlog at the central site", func() bool {
			last, err := central.db.SiteLastSeq("lyon")
			return err == nil && last == backlog
		})
		elapsed += time.Since(start)
		b.StopTimer()
		branch.stop()
		central.stop()
		if i == 0 {
			checkArrived(b, central.db, branchDB, "lyon", backlog)
			if n := len(streamSeqs(b, hub.url(), "lyon")); n != backlog {
				b.Fatalf("the stream holds %d events, want %d", n, backlog)
			}
		}
		_ = branchDB.Close()
		hub.stop()
	}
	b.ReportMetric(float64(backlog*b.N)/elapsed.Seconds(), "events/s")
	b.ReportMetric(0, "ns/op")
}

// timedStore notes when each event of a site is stored.
type timedStore struct {
	natslink.SiteEventStore
	mu     sync.Mutex
	stored map[uint64]time.Time
}

func (s *timedStore) PutSiteEvents(site string, evs []core.Event) error {
	err := s.SiteEventStore.PutSiteEvents(site, evs)
	now := time.Now()
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, e := range evs {
		if _, ok := s.stored[e.Seq]; !ok && err == nil {
			s.stored[e.Seq] = now
		}
	}
	return err
}

// BenchmarkEventUpLatency is issue 16's budget for a connected branch: an
// event reaches the central site within 1 s (p99), from its commit at the
// branch to its commit at the central site. The branch taps 100 times a
// second.
func BenchmarkEventUpLatency(b *testing.B) {
	hub := startEventsHub(b)
	store := &timedStore{SiteEventStore: openSiteDB(b, false), stored: map[uint64]time.Time{}}
	in, err := natslink.NewIngest(connectSite(b, hub.url()), "hq", store, natslink.IngestOptions{})
	if err != nil {
		b.Fatal(err)
	}
	runUntilStopped(b, in.Run)
	branchDB := openSiteDB(b, false)
	branch := startOutbox(b, hub.url(), "lyon", branchDB)
	logged := map[uint64]time.Time{}
	tick := time.NewTicker(10 * time.Millisecond)
	defer tick.Stop()
	b.ResetTimer()
	for range b.N {
		<-tick.C
		logTaps(b, branchDB, 1)
		seq, err := branchDB.LastSeq()
		if err != nil {
			b.Fatal(err)
		}
		logged[seq] = time.Now()
		branch.outbox.Notify()
	}
	eventually(b, 30*time.Second, "every event at the central site", func() bool {
		store.mu.Lock()
		defer store.mu.Unlock()
		return len(store.stored) == b.N
	})
	b.StopTimer()
	lat := make([]time.Duration, 0, b.N)
	store.mu.Lock()
	for seq, at := range logged {
		lat = append(lat, store.stored[seq].Sub(at))
	}
	store.mu.Unlock()
	slices.Sort(lat)
	at := func(p float64) float64 {
		return float64(lat[min(len(lat)-1, int(p*float64(len(lat))))]) / float64(time.Millisecond)
	}
	b.ReportMetric(at(0.50), "p50-ms")
	b.ReportMetric(at(0.99), "p99-ms")
	b.ReportMetric(0, "ns/op")
}
