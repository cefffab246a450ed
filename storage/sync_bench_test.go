package storage

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"testing"
	"time"
)

// BenchmarkDiskSyncUnderBusyCPU measures what a commit waits for on this
// machine's disk: a page written and synced, then a meta page written
// and synced (as bbolt commits), on an idle machine and with three busy
// loops at the lowest priority (nice 19) on its processors. It is the
// floor of the tap-to-relay latency under load (the relay switches once
// the tap's event is durable) that no priority inside Frontdesk changes:
// the loops run nothing of Frontdesk's.
func BenchmarkDiskSyncUnderBusyCPU(b *testing.B) {
	for _, busy := range []int{0, 3} {
		b.Run(fmt.Sprintf("busy=%d", busy), func(b *testing.B) {
			for range busy {
				loop := exec.Command("nice", "-n", "19", "sh", "-c", "while :; do :; done")
				if err := loop.Start(); err != nil {
					b.Fatal(err)
				}
				defer func() { loop.Process.Kill(); loop.Wait() }()
			}
			f, err := os.Create(filepath.Join(b.TempDir(), "sync"))
			if err != nil {
				b.Fatal(err)
			}
			defer f.Close()
			page := make([]byte, 4096)
			lat := make([]time.Duration, 0, b.N)
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				start := time.Now()
				if _, err := f.WriteAt(page, int64(1+i%64)*4096); err != nil {
					b.Fatal(err)
				}
				if err := f.Sync(); err != nil {
					b.Fatal(err)
				}
				if _, err := f.WriteAt(page[:512], 0); err != nil {
					b.Fatal(err)
				}
				if err := f.Sync(); err != nil {
					b.Fatal(err)
				}
				lat = append(lat, time.Since(start))
				b.StopTimer()
				time.Sleep(5 * time.Millisecond) // taps, not a stream of syncs
				b.StartTimer()
			}
			b.StopTimer()
			slices.Sort(lat)
			b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "p50-ms")
			b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds())/1000, "p99-ms")
		})
	}
}
