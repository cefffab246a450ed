package main

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"frontdesk/core"
)

// crashSite has 8 readers on one door and 64 people who may pass it.
func crashSite() string {
	var devices, people []string
	for i := range 8 {
		devices = append(devices, fmt.Sprintf(`{"id": "r%d", "kind": "sim", "door": "main", "direction": "in"}`, i))
	}
	for i := range 64 {
		people = append(people, fmt.Sprintf(`{"id": "p%d", "name": "Person %d", "department": "staff", "cards": ["em:01%08X"]}`, i, i, i))
	}
	return `{"site": {"name": "Crash", "timezone": "Europe/Paris"},
	  "zones": [{"id": "outside", "name": "Outside"}, {"id": "office", "name": "Office", "work": true}],
	  "doors": [{"id": "main", "name": "Main", "from": "outside", "to": "office"}],
	  "devices": [` + strings.Join(devices, ",") + `],
	  "access_levels": [{"id": "all", "name": "All", "rules": [{"doors": ["main"]}]}],
	  "departments": [{"id": "staff", "name": "Staff", "access_level": "all"}],
	  "people": [` + strings.Join(people, ",") + `]}`
}

// tapStorm is the child of TestKillDuringTapStorm (see TestMain): it taps
// as fast as 8 readers can and prints "seq hash" for each tap once Tap has
// returned, that is once the event is durable and the door would open. It
// runs until it is killed.
func tapStorm(path string) {
	m := &Main{DBPath: path}
	if err := m.Open(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	var mu sync.Mutex
	var wg sync.WaitGroup
	for r := range 8 {
		wg.Go(func() {
			for i := 0; ; i++ {
				ev, err := m.Engine.Tap(core.Tap{Reader: fmt.Sprintf("r%d", r), Code: fmt.Sprintf("em:01%08X", (r*8+i)%64)})
				if err != nil {
					fmt.Fprintln(os.Stderr, err)
					os.Exit(1)
				}
				mu.Lock()
				// One write per line, straight to the pipe: the parent
				// sees exactly what was reported before the kill.
				os.Stdout.WriteString(fmt.Sprintf("%d %s\n", ev.Seq, ev.Hash))
				mu.Unlock()
			}
		})
	}
	wg.Wait()
}

// TestKillDuringTapStorm kills a process with SIGKILL in the middle of a
// storm of taps, three times, and checks after each that every tap it had
// reported as decided is in the log with the same hash, and that the
// database verifies clean (DESIGN §7, reliability).
func TestKillDuringTapStorm(t *testing.T) {
	if testing.Short() {
		t.Skip("short mode: the kill test starts child processes")
	}
	dir := t.TempDir()
	path := filepath.Join(dir, "crash.db")
	site := filepath.Join(dir, "site.json")
	if err := os.WriteFile(site, []byte(crashSite()), 0o600); err != nil {
		t.Fatal(err)
	}
	if code := run([]string{"import", "--db", path, site}, nil, io.Discard, os.Stderr); code != 0 {
		t.Fatalf("import: exit %d", code)
	}
	reported := map[uint64]string{}
	for round, after := range []int{50, 400, 1500} {
		cmd := exec.Command(os.Args[0])
		cmd.Env = append(os.Environ(), "FRONTDESK_CRASH_DB="+path)
		cmd.Stderr = os.Stderr
		out, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		sc := bufio.NewScanner(out)
		n := 0
		for sc.Scan() {
			seq, hash, ok := strings.Cut(sc.Text(), " ")
			if !ok {
				continue
			}
			s, err := strconv.ParseUint(seq, 10, 64)
			if err != nil {
				continue
			}
			reported[s] = hash
			if n++; n == after {
				cmd.Process.Signal(syscall.SIGKILL)
			}
		}
		err = cmd.Wait()
		if n < after {
			t.Fatalf("round %d: child reported %d taps before it ended (%v), want at least %d", round, n, err, after)
		}

		m := &Main{DBPath: path}
		if err := m.Open(); err != nil {
			t.Fatalf("round %d: reopen after kill: %v", round, err)
		}
		rep, err := m.DB.Verify()
		if err != nil || len(rep.Problems) > 0 {
			m.Close()
			t.Fatalf("round %d: verify after kill: %v %v", round, err, rep.Problems)
		}
		logged := map[uint64]string{}
		m.Engine.Events(core.CommandLine("test"), core.EventQuery{}, func(e core.Event) error {
			logged[e.Seq] = e.Hash
			return nil
		})
		m.Close()
		for seq, hash := range reported {
			if logged[seq] != hash {
				t.Fatalf("round %d: tap %d was reported decided with hash %s, log has %q", round, seq, hash, logged[seq])
			}
		}
		t.Logf("round %d: killed after %d reported taps; log holds %d events, all reported ones among them", round, n, len(logged))
		time.Sleep(10 * time.Millisecond)
	}
}
