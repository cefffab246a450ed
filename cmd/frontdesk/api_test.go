package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

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

	runs := [][]string{
		{"log", "--to", "2026-11-29"}, {"log", "--json", "--to", "2026-11-29"},
		{"log", "--person", "ann", "--limit", "3", "--to", "2026-11-29"},
		{"export"},
		{"timesheet", "--from", "2026-11-23", "--to", "2026-11-29", "--csv"},
		{"timesheet", "--from", "2026-11-23", "--to", "2026-11-29", "--json"},
		{"metrics", "--from", "2026-11-23", "--to", "2026-11-29", "--json"},
		{"grant", "list"}, {"account", "list"}, {"role", "list", "--json"},
		{"justif", "list"}, {"attendance", "list", "--person", "ann", "--from", "2026-11-23", "--to", "2026-11-29"},
		{"log", "--user", "mia", "--to", "2026-11-29"}, {"timesheet", "--from", "2026-11-23", "--to", "2026-11-29", "--user", "mia"},
		{"account", "list", "--user", "mia"},           // forbidden: exit 4
		{"log", "--user", "rita"},                      // forbidden: exit 4
		{"log", "--user", "nobody"},                    // login refused: exit 4
		{"tap", "--reader", "nope", "--card", "em:01"}, // not found: exit 1
		{"grant", "revoke", "nope"},                    // not found
		{"log", "--from", "yesterday"},                 // usage: exit 2
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
}
