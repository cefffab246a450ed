package main

import (
	"encoding/json"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"frontdesk/core"
	"frontdesk/core/httpapi"
	"frontdesk/reader/readertest"
	"frontdesk/storage"
)

// waitService waits until the service of db answers on its socket.
func waitService(t *testing.T, db string, serve *serveChild) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		cl, err := httpapi.DialUnix(httpapi.SocketPath(db))
		if err == nil {
			cl.Close()
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("no service on %s: %v\nserve's log:\n%s", httpapi.SocketPath(db), err, serve.stderr)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// stopServe ends serve with SIGTERM and waits for it.
func stopServe(t *testing.T, serve *serveChild) {
	t.Helper()
	serve.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-serve.done:
	case <-time.After(10 * time.Second):
		t.Fatalf("serve did not stop:\n%s", serve.stderr)
	}
}

// TestCommandsThroughService runs every reading command, as the command
// line and as a staff account, once through a running service and once on
// the file after the service stopped: the output, the errors and the exit
// statuses are the same either way. Meanwhile a reader taps on a
// pseudo-terminal and the relay answers.
func TestCommandsThroughService(t *testing.T) {
	t.Setenv("XDG_CONFIG_HOME", t.TempDir())
	in, relay := readertest.NewLine(t), readertest.NewLine(t)
	dir := t.TempDir()
	db := filepath.Join(dir, "served.db")
	site := filepath.Join(dir, "site.json")
	os.WriteFile(site, []byte(fmt.Sprintf(serveSite, in.Path, relay.Path)), 0o600)
	mustCLI(t, db, "import", site)
	const pw = "a long passphrase"
	t.Setenv("FRONTDESK_NEW_PASSWORD", pw)
	mustCLI(t, db, "account", "add", "--username", "mia", "--roles", "manager")
	mustCLI(t, db, "account", "add", "--username", "rita", "--roles", "receptionist")
	t.Setenv("FRONTDESK_PASSWORD", pw)
	for i := range 5 {
		mustCLI(t, db, "tap", "--reader", "main-in", "--card", "em:0102B0A5FD", "--at", fmt.Sprintf("2026-11-%02dT09:00", 23+i))
	}

	serve := startServe(t, db)
	waitService(t, db, serve)
	if fi, err := os.Stat(httpapi.SocketPath(db)); err != nil || fi.Mode().Perm() != 0o660 {
		t.Errorf("socket: %v, mode %v, want 0660", err, fi.Mode().Perm())
	}

	// A tap on the reader while the commands run.
	in.Write(readertest.RDM6300("0102B0A5FD"))
	if _, err := relay.ReadN(8, 5*time.Second); err != nil {
		t.Fatalf("relay: %v\n%s", err, serve.stderr)
	}

	workbook := filepath.Join(dir, "timesheet.xlsx")
	runs := [][]string{
		{"log", "--to", "2026-11-29"}, {"log", "--json", "--to", "2026-11-29"},
		{"log", "--person", "ann", "--limit", "3", "--to", "2026-11-29"},
		{"export"},
		{"timesheet", "--from", "2026-11-23", "--to", "2026-11-29", "--csv"},
		{"timesheet", "--from", "2026-11-23", "--to", "2026-11-29", "--json"},
		{"metrics", "--from", "2026-11-23", "--to", "2026-11-29", "--json"},
		{"timesheet", "--from", "2026-11-23", "--to", "2026-11-29", "--csv-excel"},
		{"metrics", "--from", "2026-11-23", "--to", "2026-11-29", "--csv-excel"},
		{"timesheet", "--from", "2026-11-23", "--to", "2026-11-29", "--xlsx", workbook},
		{"grant", "list"}, {"account", "list"}, {"role", "list", "--json"},
		{"justif", "list"}, {"attendance", "list", "--person", "ann", "--from", "2026-11-23", "--to", "2026-11-29"},
		{"log", "--user", "mia", "--to", "2026-11-29"}, {"timesheet", "--from", "2026-11-23", "--to", "2026-11-29", "--user", "mia"},
		{"account", "list", "--user", "mia"},            // forbidden: exit 4
		{"grant", "list", "--user", "rita"},             // forbidden: exit 4
		{"log", "--user", "rita", "--to", "2026-11-29"}, // a receptionist reads the log
		{"log", "--user", "nobody"},                     // login refused: exit 4
		{"tap", "--reader", "nope", "--card", "em:01"},  // not found: exit 1
		{"grant", "revoke", "nope"},                     // not found
		{"log", "--from", "yesterday"},                  // usage: exit 2
	}
	type result struct {
		code      int
		out, errs string
	}
	through := make([]result, len(runs))
	for i, args := range runs {
		code, out, errs := cli(t, db, args...)
		through[i] = result{code, out, errs}
	}
	servedWorkbook, err := os.ReadFile(workbook)
	if err != nil {
		t.Fatal(err)
	}
	// Writing commands work through the service too.
	backup := filepath.Join(dir, "hot.db")
	if out := mustCLI(t, db, "backup", backup); !strings.Contains(out, "backup written to "+backup) {
		t.Errorf("backup: %s", out)
	}
	mustCLI(t, db, "verify")
	mustCLI(t, db, "checkpoint")
	mustCLI(t, db, "tap", "--reader", "main-in", "--card", "em:0102B0A5FD", "--at", "2026-11-30T09:00")
	bad := filepath.Join(dir, "bad.json")
	os.WriteFile(bad, []byte(`{"people": [{"id": "new", "name": "New"}, {"id": "x", "name": "X", "department": "nope"}]}`), 0o600)
	if code, _, errs := cli(t, db, "import", bad); code == 0 || !strings.Contains(errs, `no department "nope"`) {
		t.Errorf("bad import through the service: exit %d: %s", code, errs)
	}
	if out := mustCLI(t, db, "export"); strings.Contains(out, `"id": "new"`) {
		t.Errorf("a failed import through the service left person new:\n%s", out)
	}

	stopServe(t, serve)
	if _, err := os.Stat(httpapi.SocketPath(db)); !os.IsNotExist(err) {
		t.Errorf("socket left after a clean stop: %v", err)
	}
	// The hot backup holds what the service had.
	bdb, err := storage.Open(backup, storage.Options{ReadOnly: true})
	if err != nil {
		t.Fatalf("open the hot backup: %v", err)
	}
	bdb.Close()
	mustCLI(t, "", "verify", "--db", backup)

	// The file now says what the service said (the taps made since are
	// after the periods asked).
	for i, args := range runs {
		code, out, errs := cli(t, db, args...)
		if got := through[i]; got.code != code || got.out != out || got.errs != errs {
			t.Errorf("frontdesk %s:\nthrough the service: exit %d\n%s%s\non the file: exit %d\n%s%s",
				strings.Join(args, " "), got.code, got.out, got.errs, code, out, errs)
		}
	}
	if b, err := os.ReadFile(workbook); err != nil || string(b) != string(servedWorkbook) {
		t.Errorf("the workbook written through the service differs from the one written on the file (%v)", err)
	}
}

// startServeArgs starts `frontdesk serve --db db` with more arguments,
// as a process of its own; the test's cleanup kills it if it still runs.
func startServeArgs(t *testing.T, db string, extra ...string) *serveChild {
	t.Helper()
	c := &serveChild{cmd: exec.Command(os.Args[0]), stderr: &lockedBuffer{}, done: make(chan struct{})}
	var out lockedBuffer
	c.cmd.Env = append(os.Environ(), "FRONTDESK_CHILD_ARGS="+strings.Join(append([]string{"serve", "--db", db}, extra...), "\x1f"))
	c.cmd.Stderr = c.stderr
	c.cmd.Stdout = &out
	c.stdout = &out
	if err := c.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() {
		c.err = c.cmd.Wait()
		close(c.done)
	}()
	t.Cleanup(func() {
		c.cmd.Process.Kill()
		<-c.done
	})
	return c
}

// TestServeOverTLS runs serve --listen and, from another process's point
// of view, a manager on another PC: --connect with the fingerprint serve
// printed logs in and builds a report; without --user nothing acts; a
// wrong fingerprint is refused; the command line never exists over TLS.
func TestServeOverTLS(t *testing.T) {
	t.Setenv("XDG_CONFIG_HOME", t.TempDir())
	db := newSite(t)
	const pw = "a long passphrase"
	t.Setenv("FRONTDESK_NEW_PASSWORD", pw)
	mustCLI(t, db, "account", "add", "--username", "mia", "--roles", "manager")
	t.Setenv("FRONTDESK_PASSWORD", pw)
	mustCLI(t, db, "tap", "--reader", "main-in", "--card", "em:0102B0A5FD", "--at", "2026-11-24T09:00")

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	serve := startServeArgs(t, db, "--listen", addr)
	waitService(t, db, serve)
	var fp string
	deadline := time.Now().Add(5 * time.Second)
	for fp == "" {
		if i := strings.Index(serve.stdout.String(), "fingerprint SHA256:"); i >= 0 {
			fp = strings.Fields(serve.stdout.String()[i+len("fingerprint "):])[0]
		}
		if time.Now().After(deadline) {
			t.Fatalf("serve printed no fingerprint:\n%s\n%s", serve.stdout, serve.stderr)
		}
		time.Sleep(20 * time.Millisecond)
	}
	// The other PC's user: its own config folder, no copy of the database.
	t.Setenv("XDG_CONFIG_HOME", t.TempDir())
	nowhere := filepath.Join(t.TempDir(), "none.db")
	pdf := filepath.Join(t.TempDir(), "timesheet.pdf")
	code, out, errs := cli(t, nowhere, "report", "timesheet", "--from", "2026-11-23", "--to", "2026-11-29", "--out", pdf,
		"--connect", addr, "--fingerprint", fp, "--user", "mia")
	if code != 0 || !strings.Contains(out, "wrote "+pdf) {
		t.Fatalf("report over TLS: exit %d\n%s%s", code, out, errs)
	}
	if _, err := os.Stat(nowhere); !os.IsNotExist(err) {
		t.Errorf("a command over TLS made a database file here: %v", err)
	}
	text, err := exec.Command("pdftotext", pdf, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	if !strings.Contains(string(text), "Ann Martin") || !strings.Contains(string(text), "frontdesk-checkpoint v1") {
		t.Errorf("the report over TLS lacks Ann or its checkpoint:\n%s", text)
	}
	// Remembered: no --fingerprint needed now.
	if code, _, errs := cli(t, nowhere, "log", "--connect", addr, "--user", "mia"); code != 0 {
		t.Errorf("log over TLS with the remembered certificate: exit %d: %s", code, errs)
	}
	// The service's devices and their health, not this PC's files.
	code, out, errs = cli(t, nowhere, "devices", "--json", "--connect", addr, "--user", "mia")
	var devs devicesJSON
	if err := json.Unmarshal([]byte(out), &devs); code != 0 || err != nil {
		t.Fatalf("devices over TLS: exit %d %v\n%s%s", code, err, out, errs)
	}
	ids := map[string]bool{}
	for _, d := range devs.Configured {
		ids[d.ID] = d.Health != nil && d.Health.Connected
	}
	if len(ids) == 0 || !strings.Contains(devs.Note, "service at "+addr) {
		t.Errorf("devices over TLS: %+v", devs)
	}
	for id, connected := range ids {
		if !connected {
			t.Errorf("devices over TLS: %s has no health, or is not connected", id)
		}
	}
	for _, tc := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"log", "--connect", addr}, 2, "only staff accounts act"},
		{[]string{"log", "--connect", addr, "--user", "mia", "--fingerprint", "SHA256:" + strings.Repeat("A", 43)}, 1, "not trusted"},
		{[]string{"account", "list", "--connect", addr, "--user", "mia"}, 4, "forbidden"},
		{[]string{"log", "--connect", addr, "--user", "nobody"}, 4, "login refused"},
	} {
		code, _, errs := cli(t, nowhere, tc.args...)
		if code != tc.code || !strings.Contains(errs, tc.want) || strings.Count(errs, "\n") != 1 {
			t.Errorf("frontdesk %s: exit %d %q, want exit %d and one line with %q", strings.Join(tc.args, " "), code, errs, tc.code, tc.want)
		}
	}
}

// TestServiceTellsOSUsersApart runs commands as other OS users against a
// running service: a member of the database file's group acts as the
// command line; anyone else can neither reach the service nor read the
// file.
func TestServiceTellsOSUsersApart(t *testing.T) {
	if os.Getuid() != 0 {
		t.Skip("needs root to run commands as other OS users (SysProcAttr.Credential)")
	}
	t.Setenv("XDG_CONFIG_HOME", t.TempDir())
	dir := t.TempDir()
	os.Chmod(filepath.Dir(dir), 0o755) // the test's folder, 0700 when made
	os.Chmod(dir, 0o755)
	db := filepath.Join(dir, "users.db")
	mustCLI(t, db, "import", "testdata/site.json")
	const group = 4242 // the database's group
	if err := os.Chown(db, 0, group); err != nil {
		t.Fatal(err)
	}
	serve := startServe(t, db)
	waitService(t, db, serve)
	// The test's program where other users may run it.
	exe := filepath.Join(dir, "frontdesk.test")
	b, err := os.ReadFile(os.Args[0])
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(exe, b, 0o755); err != nil {
		t.Fatal(err)
	}
	as := func(uid, gid uint32) (int, string) {
		cmd := exec.Command(exe)
		cmd.Env = append(os.Environ(), "FRONTDESK_CHILD_ARGS="+strings.Join([]string{"grant", "list", "--json", "--db", db}, "\x1f"))
		cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: uid, Gid: gid}}
		out, err := cmd.CombinedOutput()
		code := 0
		if ee, ok := err.(*exec.ExitError); ok {
			code = ee.ExitCode()
		} else if err != nil {
			t.Fatal(err)
		}
		return code, string(out)
	}
	if code, out := as(65534, group); code != 0 || !strings.Contains(out, "[") {
		t.Errorf("a member of the database's group: exit %d\n%s", code, out)
	}
	code, out := as(65534, 65534)
	t.Logf("a stranger: exit %d: %s", code, out)
	if code == 0 || strings.Contains(out, "ann") {
		t.Errorf("a stranger read through the service or the file: exit %d\n%s", code, out)
	}
	if !strings.Contains(out, "permission denied") {
		t.Errorf("a stranger's refusal does not say why:\n%s", out)
	}
}

// TestServiceKilled kills the service with a client watching and another
// importing: the watcher is told the link is down within 2 s, keeps
// going, and is told it is up again when a new service starts; the import
// killed half-way changed nothing.
func TestServiceKilled(t *testing.T) {
	t.Setenv("XDG_CONFIG_HOME", t.TempDir())
	db := newSite(t)
	serve := startServe(t, db)
	waitService(t, db, serve)
	cl, err := httpapi.DialUnix(httpapi.SocketPath(db))
	if err != nil {
		t.Fatal(err)
	}
	defer cl.Close()
	links := make(chan core.Link, 10)
	events := make(chan core.Event, 10)
	cancel, err := cl.Watch(core.CommandLine("test"), func(u core.Update) {
		switch {
		case u.Link != "":
			links <- u.Link
		case u.Event != nil:
			events <- *u.Event
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	defer cancel()
	mustCLI(t, db, "tap", "--reader", "main-in", "--card", "em:0102B0A5FD")
	select {
	case ev := <-events:
		if ev.Person != "ann" {
			t.Errorf("watched event: %+v", ev)
		}
	case <-time.After(2 * time.Second):
		t.Fatal("the tap through the service did not reach the watcher")
	}

	// A big import on its way when the service dies.
	big := filepath.Join(t.TempDir(), "big.json")
	var b strings.Builder
	b.WriteString(`{"people": [`)
	for i := range 20000 {
		if i > 0 {
			b.WriteString(",")
		}
		fmt.Fprintf(&b, `{"id": "p%d", "name": "Person %d"}`, i, i)
	}
	b.WriteString(`]}`)
	os.WriteFile(big, []byte(b.String()), 0o600)
	imported := make(chan int, 1)
	go func() {
		code, _, _ := cli(t, db, "import", big)
		imported <- code
	}()
	time.Sleep(30 * time.Millisecond)
	killed := time.Now()
	serve.cmd.Process.Signal(syscall.SIGKILL)
	<-serve.done
	select {
	case l := <-links:
		if l != core.LinkDown {
			t.Errorf("first link update %q, want down", l)
		}
		if took := time.Since(killed); took > 2*time.Second {
			t.Errorf("the watcher heard of the kill after %v, want ≤ 2s", took)
		}
	case <-time.After(3 * time.Second):
		t.Fatal("the watcher was not told the service went away")
	}
	code := <-imported
	people := strings.Count(mustCLI(t, db, "export"), `"name": "Person `)
	if people != 0 && people != 20000 {
		t.Errorf("import killed half-way (exit %d) left %d of 20000 people", code, people)
	}
	t.Logf("import during the kill: exit %d, %d people", code, people)

	// A new service: the watcher is back by itself.
	serve = startServe(t, db)
	waitService(t, db, serve)
	select {
	case l := <-links:
		if l != core.LinkUp {
			t.Errorf("link update %q, want up", l)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the watcher did not reconnect")
	}
	mustCLI(t, db, "tap", "--reader", "main-out", "--card", "em:0102B0A5FD")
	select {
	case <-events:
	case <-time.After(2 * time.Second):
		t.Fatal("no event after the reconnection")
	}
	mustCLI(t, db, "verify")
}

// TestClientKilledMidImport kills `frontdesk import` at several moments
// while the service imports for it (sending the file, or the service at
// work on it): each import is all or nothing, and the service goes on.
func TestClientKilledMidImport(t *testing.T) {
	if testing.Short() {
		t.Skip("imports 8,000 people nine times; -short skips it")
	}
	t.Setenv("XDG_CONFIG_HOME", t.TempDir())
	db := newSite(t)
	serve := startServe(t, db)
	waitService(t, db, serve)
	cl, err := httpapi.DialUnix(httpapi.SocketPath(db))
	if err != nil {
		t.Fatal(err)
	}
	defer cl.Close()
	count := func() int {
		n, err := cl.Count(core.CommandLine("test"), core.KindPerson)
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	const people = 8000
	dir := t.TempDir()
	var cutSending, cutWorking, whole int
	// The first round is not killed: how long a whole import takes (with
	// or without the race detector) places the kills of the others.
	var took time.Duration
	for round, share := range []float64{-1, 0, 0.05, 0.15, 0.3, 0.45, 0.6, 0.75, 0.9} {
		file := filepath.Join(dir, fmt.Sprintf("round%d.json", round))
		var b strings.Builder
		b.WriteString(`{"people": [`)
		for i := range people {
			if i > 0 {
				b.WriteString(",")
			}
			fmt.Fprintf(&b, `{"id": "r%d-%d", "name": "Round %d Person %d", "cards": ["em:%02X%08X"]}`, round, i, round, i, 0x10+round, i)
		}
		b.WriteString(`]}`)
		if err := os.WriteFile(file, []byte(b.String()), 0o600); err != nil {
			t.Fatal(err)
		}
		before := count()
		cmd := exec.Command(os.Args[0])
		cmd.Env = append(os.Environ(), "FRONTDESK_CHILD_ARGS="+strings.Join([]string{"import", file, "--db", db}, "\x1f"))
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		started := time.Now()
		delay := time.Duration(share * float64(took))
		if share >= 0 {
			time.Sleep(delay)
			cmd.Process.Signal(syscall.SIGKILL)
		}
		err := cmd.Wait()
		if share < 0 {
			took = time.Since(started)
		}
		killed := err != nil && strings.Contains(err.Error(), "killed")
		// The service may still be at work on a file it received whole:
		// wait until the count settles.
		var after int
		for settle, last := 0, -1; settle < 3; time.Sleep(200 * time.Millisecond) {
			if after = count(); after == last {
				settle++
			} else {
				settle, last = 0, after
			}
		}
		switch added := after - before; {
		case added == 0 && killed:
			cutSending++
		case added == people && killed:
			cutWorking++
		case added == people && !killed:
			whole++
		default:
			t.Errorf("round %d (kill after %v, killed %v): the import added %d of %d people", round, delay, killed, added, people)
		}
	}
	t.Logf("a whole import took %v; killed before the service had the whole file: %d; killed while it worked on it: %d; whole: %d", took.Round(time.Millisecond), cutSending, cutWorking, whole)
	if cutSending+cutWorking == 0 {
		t.Error("no kill landed while the import was on its way: the test does not test")
	}
	// The service goes on: a tap, and a sound database.
	mustCLI(t, db, "tap", "--reader", "main-in", "--card", "em:0102B0A5FD")
	mustCLI(t, db, "verify")
}
