package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"frontdesk/core"
	"frontdesk/reader/readertest"
)

// serveSite is a door with an RDM6300 reader and an LCUS relay on serial
// ports the test fills in.
const serveSite = `{
  "site": {"name": "Serve HQ", "timezone": "Europe/Paris", "debounce": "1s"},
  "zones": [{"id": "outside", "name": "Outside"}, {"id": "office", "name": "Office", "work": true}],
  "doors": [{"id": "main", "name": "Main entrance", "from": "outside", "to": "office", "relay": "relay:1", "pulse": "200ms"}],
  "devices": [
    {"id": "main-in", "kind": "serial-rdm6300", "port": %q, "door": "main", "direction": "in"},
    {"id": "relay", "kind": "serial-lcus-relay", "port": %q}],
  "access_levels": [{"id": "all", "name": "All doors", "rules": [{"doors": ["main"]}]}],
  "departments": [{"id": "staff", "name": "Staff", "access_level": "all"}],
  "people": [{"id": "ann", "name": "Ann Martin", "department": "staff", "cards": ["em:0102B0A5FD"]}]
}`

// lockedBuffer collects a child's standard error while it runs.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// serveChild is `frontdesk serve` running as a process of its own.
type serveChild struct {
	cmd    *exec.Cmd
	stderr *lockedBuffer
	stdout *lockedBuffer // startServeArgs only
	done   chan struct{} // closed when the process has ended
	err    error         // its exit, once done is closed
}

// startServe starts `frontdesk serve --db db` (startServeArgs); the
// test's cleanup kills it if it still runs.
func startServe(t *testing.T, db string) *serveChild { return startServeArgs(t, db) }

// TestServe runs `frontdesk serve` as its own process with an RDM6300
// reader and an LCUS relay on pseudo-terminals: the relay opens for a known
// card, corrupt frames and unknown cards open nothing, the reader survives
// an unplug, `frontdesk devices` shows the live state meanwhile, and
// SIGTERM stops it within 2 s.
func TestServe(t *testing.T) {
	in, relay := readertest.NewLine(t), readertest.NewLine(t)
	dir := t.TempDir()
	db := filepath.Join(dir, "serve.db")
	site := filepath.Join(dir, "site.json")
	os.WriteFile(site, []byte(fmt.Sprintf(serveSite, in.Path, relay.Path)), 0o600)
	mustCLI(t, db, "import", site)

	serve := startServe(t, db)
	stderr := serve.stderr

	expect := func(want []byte, what string) {
		t.Helper()
		got, err := relay.ReadN(len(want), 5*time.Second)
		if err != nil {
			t.Fatalf("%s: %v\nserve's log:\n%s", what, err, stderr)
		}
		if !bytes.Equal(got, want) {
			t.Fatalf("%s: relay got % X, want % X", what, got, want)
		}
	}
	quiet := func(what string) {
		t.Helper()
		if got, err := relay.ReadN(1, 500*time.Millisecond); err == nil {
			t.Fatalf("%s: relay got % X, want nothing", what, got)
		}
	}
	on, off := []byte{0xA0, 0x01, 0x01, 0xA2}, []byte{0xA0, 0x01, 0x00, 0xA1}
	waitLog := func(s, what string) {
		t.Helper()
		deadline := time.Now().Add(5 * time.Second)
		for !strings.Contains(stderr.String(), s) {
			if time.Now().After(deadline) {
				t.Fatalf("%s: no %q in serve's log:\n%s", what, s, stderr)
			}
			time.Sleep(20 * time.Millisecond)
		}
	}

	expect(off, "every relay off at start")
	waitLog(`msg="device connected" device=main-in`, "reader open")

	in.Write(readertest.RDM6300("0102B0A5FD"))
	expect(on, "known card opens")
	expect(off, "pulse ends")

	bad := readertest.RDM6300("0102B0A5FD")
	bad[11] ^= 1
	in.Write(bad)
	in.Write(readertest.RDM6300("0D00000099"))
	quiet("corrupt frame and unknown card")

	// While serve holds the database, devices reads its published state.
	waitDevices := func(what string, ok func(devicesJSON) bool) devicesJSON {
		t.Helper()
		deadline := time.Now().Add(5 * time.Second)
		for {
			_, out, _ := cli(t, db, "devices", "--json")
			var d devicesJSON
			json.Unmarshal([]byte(out), &d)
			if ok(d) {
				return d
			}
			if time.Now().After(deadline) {
				t.Fatalf("devices: %s: got %s", what, out)
			}
			time.Sleep(100 * time.Millisecond)
		}
	}
	health := func(d devicesJSON, id string) core.DeviceHealth {
		for _, c := range d.Configured {
			if c.ID == id && c.Health != nil {
				return *c.Health
			}
		}
		return core.DeviceHealth{}
	}
	d := waitDevices("reader connected with 2 frames, 1 rejected", func(d devicesJSON) bool {
		h := health(d, "main-in")
		return h.Connected && h.Frames == 2 && h.Rejected == 1
	})
	if d.ServedBy != serve.cmd.Process.Pid {
		t.Errorf("devices: served by %d, want %d", d.ServedBy, serve.cmd.Process.Pid)
	}
	_, text, _ := cli(t, db, "devices")
	if !strings.Contains(text, "main-in") || !strings.Contains(text, "2 frames, 1 rejected") {
		t.Errorf("devices:\n%s", text)
	}

	in.Unplug()
	waitLog(`msg="device disconnected" device=main-in`, "unplug")
	waitDevices("reader disconnected", func(d devicesJSON) bool { return !health(d, "main-in").Connected })
	time.Sleep(1200 * time.Millisecond)
	in.Plug()
	replugged := time.Now()
	waitDevices("reader back", func(d devicesJSON) bool { return health(d, "main-in").Connected })
	t.Logf("reader back within %v of the replug", time.Since(replugged).Round(10*time.Millisecond))
	in.Write(readertest.RDM6300("0102B0A5FD"))
	expect(on, "known card opens after replug")
	expect(off, "pulse ends after replug")

	serve.cmd.Process.Signal(syscall.SIGTERM)
	stopAt := time.Now()
	select {
	case <-serve.done:
		if err := serve.err; err != nil {
			t.Fatalf("serve exited with %v:\n%s", err, stderr)
		}
		if took := time.Since(stopAt); took > 2*time.Second {
			t.Errorf("serve took %v to stop, want ≤ 2s", took)
		}
	case <-time.After(5 * time.Second):
		t.Fatalf("serve did not stop on SIGTERM:\n%s", stderr)
	}
	if !strings.Contains(stderr.String(), "stopped") {
		t.Errorf("serve's log does not say it stopped:\n%s", stderr)
	}
	if _, err := os.Stat(statePath(db)); !os.IsNotExist(err) {
		t.Errorf("state file left behind: %v", err)
	}

	// The log holds the four taps, and the database is clean.
	out := mustCLI(t, db, "log", "--json")
	for _, want := range []string{`"granted"`, `"denied_unknown_card"`} {
		if !strings.Contains(out, want) {
			t.Errorf("log has no %s:\n%s", want, out)
		}
	}
	mustCLI(t, db, "verify")
	// With serve gone, devices reads the database and says nothing runs.
	_, text, _ = cli(t, db, "devices")
	if !strings.Contains(text, "no Frontdesk is running the devices") {
		t.Errorf("devices after stop:\n%s", text)
	}
}

func TestDevicesWithoutDatabase(t *testing.T) {
	db := filepath.Join(t.TempDir(), "none.db")
	code, out, errs := cli(t, db, "devices")
	if code != 0 || !strings.Contains(out, "no database at") {
		t.Fatalf("devices: exit %d\n%s%s", code, out, errs)
	}
	if _, err := os.Stat(db); !os.IsNotExist(err) {
		t.Errorf("devices created the database: %v", err)
	}
}

func TestServeRefusesArguments(t *testing.T) {
	if code, _, _ := cli(t, "", "serve", "extra"); code != 2 {
		t.Errorf("serve extra: exit %d, want 2", code)
	}
}

// TestKillServeDuringTapStorm is DESIGN §7's reliability rule through the
// whole tap path: `frontdesk serve` is killed at a random moment while an
// RDM6300 on a pseudo-terminal sends a card every few milliseconds, and
// every "on" command its LCUS relay received must have a granted event in
// the log, which verifies clean afterwards.
func TestKillServeDuringTapStorm(t *testing.T) {
	if testing.Short() {
		t.Skip("short mode: the storm runs the program")
	}
	in, relay := readertest.NewLine(t), readertest.NewLine(t)
	var people []string
	for i := range 300 {
		people = append(people, fmt.Sprintf(`{"id": "p%d", "name": "P %d", "department": "staff", "cards": ["em:02%08X"]}`, i, i, i))
	}
	site := fmt.Sprintf(`{"site": {"name": "Storm", "timezone": "Europe/Paris"},
	  "zones": [{"id": "outside", "name": "Outside"}, {"id": "office", "name": "Office"}],
	  "doors": [{"id": "main", "name": "Main", "from": "outside", "to": "office", "relay": "relay:1", "pulse": "1ms"}],
	  "devices": [{"id": "main-in", "kind": "serial-rdm6300", "port": %q, "door": "main", "direction": "in"},
	              {"id": "relay", "kind": "serial-lcus-relay", "port": %q}],
	  "access_levels": [{"id": "all", "name": "All", "rules": [{"doors": ["main"]}]}],
	  "departments": [{"id": "staff", "name": "Staff", "access_level": "all"}],
	  "people": [%s]}`, in.Path, relay.Path, strings.Join(people, ","))
	dir := t.TempDir()
	db := filepath.Join(dir, "storm.db")
	os.WriteFile(filepath.Join(dir, "site.json"), []byte(site), 0o600)
	mustCLI(t, db, "import", filepath.Join(dir, "site.json"))

	serve := startServe(t, db)
	if got, err := relay.ReadN(4, 5*time.Second); err != nil || !bytes.Equal(got, []byte{0xA0, 0x01, 0x00, 0xA1}) {
		t.Fatalf("fail-secure off: % X, %v\n%s", got, err, serve.stderr)
	}

	// Count the "on" commands until the relay's line dies with the process.
	ons := make(chan int, 1)
	dead := make(chan struct{})
	go func() {
		n := 0
		for {
			cmd, err := relay.ReadN(4, 300*time.Millisecond)
			if err != nil {
				select {
				case <-dead:
					ons <- n
					return
				default:
					continue
				}
			}
			if cmd[2] == 0x01 {
				n++
			}
		}
	}()
	stop := make(chan struct{})
	go func() {
		for i := 0; ; i++ {
			select {
			case <-stop:
				return
			case <-time.After(3 * time.Millisecond):
			}
			in.Write(readertest.RDM6300(fmt.Sprintf("02%08X", i%300)))
		}
	}()
	time.Sleep(time.Duration(400+time.Now().UnixNano()%800) * time.Millisecond)
	serve.cmd.Process.Signal(syscall.SIGKILL)
	<-serve.done
	close(dead)
	close(stop)
	opened := <-ons

	out := mustCLI(t, db, "log", "--json")
	granted := strings.Count(out, `"result": "granted"`)
	if opened == 0 {
		t.Fatalf("the relay never opened before the kill:\n%s", serve.stderr)
	}
	if granted < opened {
		t.Fatalf("the relay opened %d times but the log holds %d granted taps", opened, granted)
	}
	t.Logf("killed after %d openings; %d granted taps logged", opened, granted)
	mustCLI(t, db, "verify")
}
