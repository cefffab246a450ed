package main

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

// fedHub is `frontdesk hub` run by dispatch in this process, on port.
type fedHub struct {
	cancel context.CancelFunc
	done   chan error
	url    string
}

func startFedHub(t *testing.T, store, listen string) *fedHub {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	h := &fedHub{cancel: cancel, done: make(chan error, 1)}
	var stdout, stderr lockedBuffer
	go func() {
		h.done <- dispatch(ctx, []string{"hub", "--listen", listen, "--store", store}, strings.NewReader(""), &stdout, &stderr)
	}()
	waitFor(t, "the hub", func() bool { return strings.Contains(stdout.String(), "streams ready") })
	m := regexp.MustCompile(`hub on (tls://\S+);`).FindStringSubmatch(stdout.String())
	if m == nil {
		t.Fatalf("no hub address in %q", stdout.String())
	}
	h.url = m[1]
	t.Cleanup(h.stop)
	return h
}

func (h *fedHub) stop() {
	h.cancel()
	select {
	case <-h.done:
	case <-time.After(10 * time.Second):
	}
}

// waitFor waits up to 30 s for cond.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for end := time.Now().Add(30 * time.Second); time.Now().Before(end); time.Sleep(50 * time.Millisecond) {
		if cond() {
			return
		}
	}
	t.Fatalf("%s: not within 30 s", what)
}

func writeFile(t *testing.T, name, content string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestCompanyOfTwoSites is the README's multi-site run: a hub, a central
// site and a branch, each `frontdesk serve`; a person enrolled at the
// central site opens the branch's door; a directory change at the branch
// is refused naming the central site; with the hub stopped the branch
// keeps deciding, and once it is back the central site holds each of the
// branch's taps exactly once, its chain verified; `frontdesk sites` lists
// both.
func TestCompanyOfTwoSites(t *testing.T) {
	t.Setenv("XDG_CONFIG_HOME", t.TempDir())
	store := filepath.Join(t.TempDir(), "hub")
	hub := startFedHub(t, store, "127.0.0.1:0")
	hqCreds, lyonCreds := filepath.Join(t.TempDir(), "hq.creds"), filepath.Join(t.TempDir(), "lyon.creds")
	mustCLI(t, "", "hub", "add-site", "hq", "--central", "--store", store, "--out", hqCreds)
	mustCLI(t, "", "hub", "add-site", "lyon", "--store", store, "--out", lyonCreds)

	hq, lyon := filepath.Join(t.TempDir(), "hq.db"), filepath.Join(t.TempDir(), "lyon.db")
	mustCLI(t, hq, "import", writeFile(t, "hq.json", `{"site": {"name": "HQ", "timezone": "Europe/Paris"},
  "zones": [{"id": "outside", "name": "Outside"}, {"id": "hq", "name": "HQ", "work": true}],
  "doors": [{"id": "hq-main", "name": "HQ main", "from": "outside", "to": "hq"}],
  "devices": [{"id": "board", "kind": "sim"}]}`))
	// Both sites had a relay "board" before they joined.
	mustCLI(t, lyon, "import", writeFile(t, "lyon.json", `{"site": {"name": "Lyon", "timezone": "Europe/Paris"},
  "zones": [{"id": "outside", "name": "Outside"}, {"id": "lyon", "name": "Lyon", "work": true}],
  "doors": [{"id": "lyon-main", "name": "Lyon main", "from": "outside", "to": "lyon"}],
  "devices": [{"id": "lyon-in", "kind": "sim", "door": "lyon-main", "direction": "in"}, {"id": "board", "kind": "sim"}]}`))
	hqServe := startServeArgs(t, hq, "--hub", hub.url, "--site-id", "hq", "--central", "--hub-creds", hqCreds)
	lyonServe := startServeArgs(t, lyon, "--hub", hub.url, "--site-id", "lyon", "--hub-creds", lyonCreds)
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("central site's service:\n%s\nbranch's service:\n%s", hqServe.stderr, lyonServe.stderr)
		}
	})
	waitFor(t, "the central site knows the branch's door", func() bool {
		_, out, _ := cli(t, hq, "export")
		return strings.Contains(out, `"lyon-main"`)
	})

	// Enrolled at the central site, Paul opens the branch's door.
	mustCLI(t, hq, "import", writeFile(t, "people.json", `{
  "access_levels": [{"id": "staff", "name": "Staff", "rules": [{"doors": ["hq-main", "lyon-main"]}]}],
  "departments": [{"id": "sales", "name": "Sales", "access_level": "staff"}],
  "people": [{"id": "paul", "name": "Paul Durand", "department": "sales", "started": "2026-01-01", "cards": ["em:0A0000AA01"]}]}`))
	minute := 0
	tap := func() string {
		minute++
		_, out, _ := cli(t, lyon, "tap", "--reader", "lyon-in", "--card", "em:0A0000AA01", "--at", time.Date(2026, 11, 24, 8, minute, 0, 0, time.UTC).Format(time.RFC3339))
		return out
	}
	waitFor(t, "Paul's card at the branch", func() bool { return strings.Contains(tap(), "granted") })

	// The directory is the central site's.
	waitFor(t, "the branch hears of its central site", func() bool {
		code, _, errs := cli(t, lyon, "import", writeFile(t, "x.json", `{"people": [{"id": "x", "name": "X"}]}`))
		return code == 1 && strings.Contains(errs, "central site hq")
	})

	// A reader id of the branch's, refused at the central site naming both.
	code, _, errs := cli(t, hq, "import", writeFile(t, "r.json", `{"devices": [{"id": "lyon-in", "kind": "sim", "door": "hq-main", "direction": "in"}]}`))
	if code != 1 || !strings.Contains(errs, "devices/lyon-in: the id is site lyon's, not this site's (hq)") {
		t.Errorf("the branch's reader id at the central site: exit %d, %q", code, errs)
	}

	// In the run's language, through the branch's service.
	t.Setenv("LC_ALL", "ru_RU.UTF-8")
	code, _, errs = cli(t, lyon, "import", writeFile(t, "x.json", `{"people": [{"id": "x", "name": "X"}]}`))
	t.Setenv("LC_ALL", "C")
	if code != 1 || !strings.Contains(errs, "people/x: справочник изменяется на центральном объекте hq") {
		t.Errorf("a directory change at the branch in Russian: exit %d, %q", code, errs)
	}

	// The hub away: the branch decides alone.
	hub.stop()
	for range 20 {
		if out := tap(); !strings.Contains(out, "granted") {
			t.Fatalf("a tap at the branch with the hub away: %q", out)
		}
	}
	startFedHub(t, store, strings.TrimPrefix(hub.url, "tls://")) // the same port: the sites find it again
	waitForBranchLog(t, hq, lyon)
	mustCLI(t, hq, "verify", "--site", "lyon")
	// Paul's timesheet at the central site: the branch's taps with
	// --site all, none of this site's own.
	presence := func(site ...string) int {
		var ts struct {
			People []struct {
				Totals struct {
					Presence int `json:"presence_minutes"`
				} `json:"totals"`
			} `json:"people"`
		}
		args := append([]string{"timesheet", "--person", "paul", "--from", "2026-11-24", "--to", "2026-11-24", "--json"}, site...)
		if err := json.Unmarshal([]byte(mustCLI(t, hq, args...)), &ts); err != nil || len(ts.People) != 1 {
			t.Fatalf("timesheet %v: %v", site, err)
		}
		return ts.People[0].Totals.Presence
	}
	if all, own := presence("--site", "all"), presence(); all == 0 || own != 0 {
		t.Errorf("Paul's presence at the central site: %d minutes with --site all, %d of its own; want the branch's, none", all, own)
	}
	// The timesheet report of every site: Paul's presence at the branch,
	// the PDF saying whose events it counts.
	pdf := filepath.Join(t.TempDir(), "ts.pdf")
	mustCLI(t, hq, "report", "timesheet", "--site", "all", "--from", "2026-11-24", "--to", "2026-11-24", "--out", pdf)
	if text := pdfText(t, pdf); !strings.Contains(text, "the events of every site") || !strings.Contains(text, "Paul Durand") {
		t.Errorf("the timesheet report of every site:\n%s", text)
	}
	// Who is inside the branch, as it said, at the central site.
	waitFor(t, "the branch's presence at the central site", func() bool {
		_, out, _ := cli(t, hq, "presence", "--site", "lyon")
		return strings.Contains(out, "lyon, as of") && strings.Contains(out, "Paul Durand")
	})
	waitFor(t, "sites lists both, nothing left to send", func() bool {
		var rows []siteRow
		_, out, _ := cli(t, hq, "sites", "--json")
		if json.Unmarshal([]byte(out), &rows) != nil || len(rows) != 2 {
			return false
		}
		return rows[0].Site == "hq" && rows[0].Central && rows[1].Site == "lyon" && rows[1].EventsNotSent == 0 && rows[1].DirectoryBehind == 0 &&
			slices.Equal(rows[0].Clashes, []string{"lyon/devices/board"}) && slices.Equal(rows[1].Clashes, []string{"hq/devices/board"})
	})
	if out := mustCLI(t, hq, "sites"); !strings.Contains(out, "LEFT OUT") || !strings.Contains(out, "lyon/devices/board") {
		t.Errorf("sites: the relay each site left out not listed:\n%s", out)
	}
}

// siteEvent is an event of `log --json` as far as its origin goes.
type siteEvent struct {
	Site string `json:"site"`
	Seq  uint64 `json:"seq"`
}

// waitForBranchLog waits until the central site hq holds every event of
// the branch lyon's log, each once and as lyon's, and returns that log.
func waitForBranchLog(t *testing.T, hq, lyon string) []siteEvent {
	t.Helper()
	var lyonLog []siteEvent
	waitFor(t, "the branch's log read", func() bool {
		_, out, _ := cli(t, lyon, "log", "--json")
		return json.Unmarshal([]byte(out), &lyonLog) == nil
	})
	waitFor(t, "every event of the branch at the central site, once", func() bool {
		var got []siteEvent
		_, out, _ := cli(t, hq, "log", "--site", "lyon", "--json")
		if json.Unmarshal([]byte(out), &got) != nil {
			return false
		}
		seen := map[uint64]bool{}
		for _, e := range got {
			if e.Site != "lyon" || seen[e.Seq] {
				t.Fatalf("at the central site: %+v twice, or of another site", e)
			}
			seen[e.Seq] = true
		}
		for _, e := range lyonLog {
			if !seen[e.Seq] {
				return false
			}
		}
		return len(got) == len(lyonLog)
	})
	return lyonLog
}

// startChild runs the program with args as a process of its own; the
// test's cleanup kills it if it still runs.
func startChild(t *testing.T, args ...string) *serveChild {
	t.Helper()
	c := &serveChild{cmd: exec.Command(os.Args[0]), stderr: &lockedBuffer{}, stdout: &lockedBuffer{}, done: make(chan struct{})}
	c.cmd.Env = append(os.Environ(), "FRONTDESK_CHILD_ARGS="+strings.Join(args, "\x1f"))
	c.cmd.Stderr, c.cmd.Stdout = c.stderr, c.stdout
	if err := c.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() {
		c.err = c.cmd.Wait()
		close(c.done)
	}()
	t.Cleanup(c.kill)
	return c
}

// kill ends the process at once, as kill -9 does, and waits for it.
func (c *serveChild) kill() {
	c.cmd.Process.Kill()
	<-c.done
}

// freePort returns a loopback address no one listens on.
func freePort(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// TestCompanyKilledAtRandom: kill -9 the hub, the branch's service or the
// central site's at random while the branch taps and the central site
// changes the directory; afterwards the sites converge: the central site
// holds every event of the branch exactly once, the branch has the
// central site's directory, and verify passes everywhere.
func TestCompanyKilledAtRandom(t *testing.T) {
	if testing.Short() {
		t.Skip("a minute of processes killed and started again: not with -short")
	}
	t.Setenv("XDG_CONFIG_HOME", t.TempDir())
	store, addr := filepath.Join(t.TempDir(), "hub"), freePort(t)
	url := "tls://" + addr
	hqCreds, lyonCreds := filepath.Join(t.TempDir(), "hq.creds"), filepath.Join(t.TempDir(), "lyon.creds")
	hq, lyon := filepath.Join(t.TempDir(), "hq.db"), filepath.Join(t.TempDir(), "lyon.db")
	mustCLI(t, hq, "import", writeFile(t, "hq.json", `{"site": {"name": "HQ", "timezone": "Europe/Paris"},
  "zones": [{"id": "outside", "name": "Outside"}, {"id": "hq", "name": "HQ", "work": true}],
  "doors": [{"id": "hq-main", "name": "HQ main", "from": "outside", "to": "hq"}],
  "access_levels": [{"id": "staff", "name": "Staff", "rules": [{"doors": ["hq-main"]}]}],
  "departments": [{"id": "sales", "name": "Sales", "access_level": "staff"}]}`))
	mustCLI(t, lyon, "import", writeFile(t, "lyon.json", `{"site": {"name": "Lyon", "timezone": "Europe/Paris"},
  "zones": [{"id": "outside", "name": "Outside"}, {"id": "lyon", "name": "Lyon", "work": true}],
  "doors": [{"id": "lyon-main", "name": "Lyon main", "from": "outside", "to": "lyon"}],
  "devices": [{"id": "lyon-in", "kind": "sim", "door": "lyon-main", "direction": "in"}]}`))
	start := map[string]func() *serveChild{
		"hub": func() *serveChild { return startChild(t, "hub", "--listen", addr, "--store", store) },
		"hq": func() *serveChild {
			return startChild(t, "serve", "--db", hq, "--hub", url, "--site-id", "hq", "--central", "--hub-creds", hqCreds)
		},
		"lyon": func() *serveChild {
			return startChild(t, "serve", "--db", lyon, "--hub", url, "--site-id", "lyon", "--hub-creds", lyonCreds)
		},
	}
	running := map[string]*serveChild{"hub": start["hub"]()}
	waitFor(t, "the hub", func() bool { return strings.Contains(running["hub"].stdout.String(), "streams ready") })
	mustCLI(t, "", "hub", "add-site", "hq", "--central", "--store", store, "--out", hqCreds)
	mustCLI(t, "", "hub", "add-site", "lyon", "--store", store, "--out", lyonCreds)
	for _, name := range []string{"hq", "lyon"} {
		running[name] = start[name]()
	}
	t.Cleanup(func() {
		if t.Failed() {
			for name, c := range running {
				t.Logf("%s:\n%s", name, c.stderr)
			}
		}
	})

	// The storm: taps at the branch, people added at the central site.
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		for i := 0; ; i++ {
			select {
			case <-stop:
				return
			default:
			}
			at := time.Date(2026, 11, 24, 8, 0, 0, 0, time.UTC).Add(time.Duration(i) * 10 * time.Second)
			cli(t, lyon, "tap", "--reader", "lyon-in", "--card", fmt.Sprintf("em:0A%08X", i%50), "--at", at.Format(time.RFC3339))
		}
	})
	wg.Go(func() {
		for i := 0; ; i++ {
			select {
			case <-stop:
				return
			default:
			}
			cli(t, hq, "import", writeFile(t, "p.json", fmt.Sprintf(`{"people": [{"id": "p%d", "name": "Person %d", "department": "sales", "cards": ["em:0A%08X"]}]}`, i, i, i)))
			time.Sleep(100 * time.Millisecond)
		}
	})
	rng := rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 16))
	for range 8 {
		time.Sleep(time.Duration(300+rng.IntN(700)) * time.Millisecond)
		victim := []string{"hub", "hq", "lyon"}[rng.IntN(3)]
		running[victim].kill()
		time.Sleep(time.Duration(rng.IntN(500)) * time.Millisecond)
		running[victim] = start[victim]()
	}
	close(stop)
	wg.Wait()

	if lyonLog := waitForBranchLog(t, hq, lyon); len(lyonLog) < 10 {
		t.Fatalf("the storm tapped %d times at the branch: too few to tell", len(lyonLog))
	}
	people := func(db string) string {
		_, out, _ := cli(t, db, "export")
		var f struct {
			People json.RawMessage `json:"people"`
		}
		json.Unmarshal([]byte(out), &f)
		return string(f.People)
	}
	waitFor(t, "the branch has the central site's directory", func() bool { return people(hq) == people(lyon) })
	mustCLI(t, hq, "verify")
	mustCLI(t, lyon, "verify")
	mustCLI(t, hq, "verify", "--site", "lyon")
}
