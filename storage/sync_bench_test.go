package storage

import (
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"syscall"
	"testing"
	"time"
)

// BenchmarkDiskSyncUnderBusyCPU measures what a commit waits for on this
// machine's disk: a page written and synced, then a meta page written
// and synced (as bbolt commits), with the processors idle, with three
// busy loops at nice 19, three in the idle scheduling class (SCHED_IDLE)
// and one in the idle class. The loops run nothing of Frontdesk's: it is
// the floor of the tap-to-relay latency under load (the relay switches
// once the tap's event is durable) that no priority inside Frontdesk
// changes. Two more turns have two loops at normal priority, as the
// service's own calls or other programs on the PC: one with the syncing
// thread at normal priority, one with it at nice -10, as a door's thread
// raised above the calls would be (where this process may raise it):
// whether raising the doors' threads could shorten their commits. All
// are measured in turns of 40 syncs within one run (the loops are
// stopped and continued), so that the disk's weather is the same for
// all.
func BenchmarkDiskSyncUnderBusyCPU(b *testing.B) {
	const turn = 40
	loop := func(prio ...string) *exec.Cmd {
		c := exec.Command(prio[0], append(prio[1:], "sh", "-c", "while :; do :; done")...)
		if err := c.Start(); err != nil {
			b.Skipf("no busy loop (%v): %v", prio, err)
		}
		b.Cleanup(func() { c.Process.Kill(); c.Wait() })
		c.Process.Signal(syscall.SIGSTOP)
		return c
	}
	niced, idle := []string{"nice", "-n", "19"}, []string{"chrt", "-i", "0"}
	if _, err := exec.LookPath("chrt"); err != nil {
		b.Skip("chrt (util-linux) is not installed: no idle-class loop")
	}
	modes := []struct {
		name  string
		loops []*exec.Cmd
		nice  int // the syncing thread's
		lat   []time.Duration
	}{
		{name: "idle-cpu"},
		{name: "3-nice19", loops: []*exec.Cmd{loop(niced...), loop(niced...), loop(niced...)}},
		{name: "3-idleclass", loops: []*exec.Cmd{loop(idle...), loop(idle...), loop(idle...)}},
		{name: "1-idleclass", loops: []*exec.Cmd{loop(idle...)}},
		{name: "2-normal", loops: []*exec.Cmd{loop("nice", "-n", "0"), loop("nice", "-n", "0")}},
		{name: "2-normal-raised", loops: []*exec.Cmd{loop("nice", "-n", "0"), loop("nice", "-n", "0")}, nice: -10},
	}
	// The turns' own thread, so that its nice value is the syncs'.
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	if err := setThreadNice(-10); err != nil {
		b.Logf("2-normal-raised not measured: this process may not raise a thread (%v)", err)
		modes = modes[:len(modes)-1]
	} else if err := setThreadNice(0); err != nil {
		b.Fatal(err)
	}
	f, err := os.Create(filepath.Join(b.TempDir(), "sync"))
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	page := make([]byte, 4096)
	for i := range 64 { // written once: the syncs below change no block map
		if _, err := f.WriteAt(page, int64(1+i)*4096); err != nil {
			b.Fatal(err)
		}
	}
	if err := f.Sync(); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for done := 0; done < b.N; done += turn {
		for m := range modes {
			mode := &modes[m]
			for _, l := range mode.loops {
				l.Process.Signal(syscall.SIGCONT)
			}
			if mode.nice != 0 {
				if err := setThreadNice(mode.nice); err != nil {
					b.Fatal(err)
				}
			}
			time.Sleep(20 * time.Millisecond)
			for i := range turn {
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
				mode.lat = append(mode.lat, time.Since(start))
				time.Sleep(3 * time.Millisecond) // taps, not a stream of syncs
			}
			for _, l := range mode.loops {
				l.Process.Signal(syscall.SIGSTOP)
			}
			if mode.nice != 0 {
				if err := setThreadNice(0); err != nil {
					b.Fatal(err)
				}
			}
		}
	}
	b.StopTimer()
	for _, mode := range modes {
		slices.Sort(mode.lat)
		b.ReportMetric(float64(mode.lat[len(mode.lat)/2].Microseconds())/1000, mode.name+"-p50-ms")
		b.ReportMetric(float64(mode.lat[len(mode.lat)*99/100].Microseconds())/1000, mode.name+"-p99-ms")
	}
}
