package main

import (
	"bytes"
	"crypto/rand"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"frontdesk/core"
	"frontdesk/storage"
)

// Conditions a child process can be started in (see setUpChild), given
// in its environment.
const (
	// childFileSize is a file size limit in bytes (RLIMIT_FSIZE): a write
	// past it fails with EFBIG, as on a full disk.
	childFileSize = "FRONTDESK_CHILD_FSIZE"
	// childReadOnlyDir is a folder the child sees read-only, through a
	// read-only bind mount in a mount namespace of its own: unlike file
	// modes, it binds root too.
	childReadOnlyDir = "FRONTDESK_CHILD_READONLY_DIR"
	// childSetupFailed is the exit status of a child that could not be
	// put in its conditions; the test skips, saying why.
	childSetupFailed = 99
)

// setUpChild puts a child process started with FRONTDESK_CHILD_ARGS in
// the conditions its environment asks for, before the program runs.
func setUpChild() {
	fail := func(err error) {
		fmt.Fprintln(os.Stderr, "set up the child:", err)
		os.Exit(childSetupFailed)
	}
	if v := os.Getenv(childFileSize); v != "" {
		n, err := strconv.ParseUint(v, 10, 64)
		if err != nil {
			fail(err)
		}
		// Without this the kernel's SIGXFSZ would end the process at the
		// first write past the limit, instead of the write failing.
		signal.Ignore(syscall.SIGXFSZ)
		if err := syscall.Setrlimit(syscall.RLIMIT_FSIZE, &syscall.Rlimit{Cur: n, Max: n}); err != nil {
			fail(err)
		}
	}
	if dir := os.Getenv(childReadOnlyDir); dir != "" {
		if err := syscall.Mount(dir, dir, "", syscall.MS_BIND, ""); err != nil {
			fail(fmt.Errorf("bind mount %s: %w", dir, err))
		}
		if err := syscall.Mount("", dir, "", syscall.MS_BIND|syscall.MS_REMOUNT|syscall.MS_RDONLY, ""); err != nil {
			fail(fmt.Errorf("make %s read-only: %w", dir, err))
		}
	}
}

// runChild runs the program as a process of its own, in the conditions
// setup names (childFileSize=..., childReadOnlyDir=...). It skips the
// test when the conditions cannot be made here.
func runChild(t *testing.T, setup []string, attr *syscall.SysProcAttr, args ...string) outcome {
	t.Helper()
	cmd := exec.Command(os.Args[0])
	cmd.Env = append(os.Environ(), "FRONTDESK_CHILD_ARGS="+strings.Join(args, "\x1f"))
	cmd.Env = append(cmd.Env, setup...)
	cmd.SysProcAttr = attr
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	var exit *exec.ExitError
	if err != nil && !errors.As(err, &exit) {
		t.Skipf("cannot start a child process here: %v", err)
	}
	o := outcome{code: cmd.ProcessState.ExitCode(), stdout: out.String(), stderr: errb.String()}
	if o.code == childSetupFailed {
		t.Skipf("cannot make the conditions of this test here: %s", strings.TrimSpace(o.stderr))
	}
	if o.code < 0 || strings.Contains(o.stderr, "goroutine ") {
		t.Fatalf("frontdesk %s: %v\n%s", strings.Join(args, " "), err, o.stderr)
	}
	return o
}

// writeFixture writes the database of the damage tests, sound, to a new
// folder and returns its path.
func writeFixture(t *testing.T) string {
	t.Helper()
	sound, err := damageFixture()
	if err != nil {
		t.Fatal(err)
	}
	db := filepath.Join(t.TempDir(), "frontdesk.db")
	if err := os.WriteFile(db, sound, 0o600); err != nil {
		t.Fatal(err)
	}
	return db
}

// folderHolds fails the test unless dir holds exactly the names want.
func folderHolds(t *testing.T, dir string, want ...string) {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range entries {
		got = append(got, e.Name())
	}
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("%s holds %v, want %v", dir, got, want)
	}
}

// readOnlyCommands are commands that only read the database, with what
// their output holds on the fixture.
var readOnlyCommands = []struct {
	args []string
	want string
}{
	{[]string{"verify"}, "ok: 300 events"},
	{[]string{"log", "--limit", "1"}, "2026-11-27"},
	{[]string{"export"}, `"CLI HQ"`},
	{[]string{"timesheet", "--from", "2026-11-23", "--to", "2026-11-27"}, "ann"},
	{[]string{"audit", "--limit", "1"}, "command line"},
}

// TestFullDisk runs commands where no file may grow by a byte (a file
// size limit of 0, which fails writes as a full disk does): what only
// reads works and writes nothing; what writes fails with a one-line error
// and leaves the database as it was, and no file behind.
func TestFullDisk(t *testing.T) {
	db := writeFixture(t)
	dir := filepath.Dir(db)
	before, _ := os.ReadFile(db)
	full := []string{childFileSize + "=0"}
	for _, c := range readOnlyCommands {
		args := append(slices.Clone(c.args), "--db", db)
		o := runChild(t, full, nil, args...)
		if o.code != 0 || !strings.Contains(o.stdout, c.want) {
			t.Errorf("full disk: frontdesk %s: got exit %d, %q, %q; want 0 and %q", strings.Join(args, " "), o.code, o.stdout, o.stderr, c.want)
		}
	}
	elsewhere := t.TempDir()
	for _, args := range [][]string{
		{"tap", "--reader", "main-in", "--card", "em:0102B0A5FD", "--at", "2026-11-28T09:00"},
		{"backup", filepath.Join(elsewhere, "backup.db")},
		{"export", "--out", filepath.Join(dir, "site.json")},
		{"report", "muster", "--out", filepath.Join(dir, "muster.pdf")},
	} {
		args = append(args, "--db", db)
		o := runChild(t, full, nil, args...)
		checkOutcome(t, args, o)
		if o.code == 0 {
			t.Errorf("full disk: frontdesk %s: got exit 0, want an error", strings.Join(args, " "))
		}
		t.Logf("full disk: frontdesk %s: exit %d %s", args[0], o.code, strings.TrimSpace(o.stderr))
	}
	folderHolds(t, dir, "frontdesk.db")
	folderHolds(t, elsewhere)
	if after, _ := os.ReadFile(db); !bytes.Equal(after, before) {
		t.Errorf("the database changed on a full disk")
	}
}

// TestReadOnlyFolder runs commands on a database in a folder that cannot
// be written: what only reads works, with --user too; what writes fails
// with a one-line error. As root, whom file modes do not bind, the folder
// is made read-only by a read-only bind mount the child alone sees.
func TestReadOnlyFolder(t *testing.T) {
	db := writeFixture(t)
	dir := filepath.Dir(db)
	t.Setenv("FRONTDESK_NEW_PASSWORD", "a long passphrase")
	mustCLI(t, db, "account", "add", "--username", "desk", "--roles", core.RoleAdmin)
	t.Setenv("FRONTDESK_PASSWORD", "a long passphrase")
	before, _ := os.ReadFile(db)

	var runRO func(args ...string) outcome
	if os.Geteuid() == 0 {
		attr := &syscall.SysProcAttr{Unshareflags: syscall.CLONE_NEWNS}
		setup := []string{childReadOnlyDir + "=" + dir}
		runRO = func(args ...string) outcome { return runChild(t, setup, attr, args...) }
	} else {
		for path, mode := range map[string]os.FileMode{db: 0o400, dir: 0o500} {
			if err := os.Chmod(path, mode); err != nil {
				t.Fatal(err)
			}
		}
		t.Cleanup(func() { os.Chmod(dir, 0o700); os.Chmod(db, 0o600) })
		runRO = func(args ...string) outcome { return runContained(t, args) }
	}
	for _, c := range readOnlyCommands {
		for _, user := range [][]string{nil, {"--user", "desk"}} {
			args := append(slices.Concat(c.args, user), "--db", db)
			o := runRO(args...)
			if o.code != 0 || !strings.Contains(o.stdout, c.want) {
				t.Errorf("read-only folder: frontdesk %s: got exit %d, %q, %q; want 0 and %q", strings.Join(args, " "), o.code, o.stdout, o.stderr, c.want)
			}
		}
	}
	elsewhere := t.TempDir()
	if o := runRO("backup", filepath.Join(elsewhere, "backup.db"), "--db", db); o.code != 0 {
		t.Errorf("read-only folder: backup elsewhere: got exit %d %q, want 0", o.code, o.stderr)
	}
	for _, args := range [][]string{
		{"tap", "--reader", "main-in", "--card", "em:0102B0A5FD", "--at", "2026-11-28T09:00"},
		{"backup", filepath.Join(dir, "backup.db")},
	} {
		args = append(args, "--db", db)
		o := runRO(args...)
		checkOutcome(t, args, o)
		if o.code == 0 {
			t.Errorf("read-only folder: frontdesk %s: got exit 0, want an error", strings.Join(args, " "))
		}
		t.Logf("read-only folder: frontdesk %s: exit %d %s", args[0], o.code, strings.TrimSpace(o.stderr))
	}
	// A wrong password is refused, even where it cannot be counted.
	t.Setenv("FRONTDESK_PASSWORD", "wrong")
	if o := runRO("log", "--user", "desk", "--db", db); o.code != 4 {
		t.Errorf("read-only folder: wrong password: got exit %d %q, want 4", o.code, o.stderr)
	}
	if after, _ := os.ReadFile(db); !bytes.Equal(after, before) {
		t.Errorf("the database changed in a read-only folder")
	}
	folderHolds(t, dir, "frontdesk.db")
}

// TestKilledBackupLeavesNothing kills a real `frontdesk backup` process
// in the middle of copying a large database, several times, and counts
// the files left in the backup's folder: none but the last complete
// backup, which still opens and verifies. A leftover of an older kill is
// removed by the next backup.
func TestKilledBackupLeavesNothing(t *testing.T) {
	if testing.Short() {
		t.Skip("short mode: the kill test copies a large database in child processes")
	}
	db := writeFixture(t)
	start := time.Now()
	bulkUp(t, db, 8)
	t.Logf("a database of %d MB made in %v", fileSize(t, db)>>20, time.Since(start).Round(time.Millisecond))
	dir := t.TempDir()
	backup := filepath.Join(dir, "backup.db")
	if o := runChild(t, nil, nil, "backup", backup, "--db", db); o.code != 0 {
		t.Fatalf("first backup: exit %d %s", o.code, o.stderr)
	}
	good, _ := os.ReadFile(backup)
	const rounds = 5
	killed := 0
	for round := range rounds {
		cmd := exec.Command(os.Args[0])
		cmd.Env = append(os.Environ(), "FRONTDESK_CHILD_ARGS="+strings.Join([]string{"backup", backup, "--db", db}, "\x1f"))
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		// Kill it once it holds a file in the backup's folder: mid-copy.
		// A later round waits a little longer after that.
		if waitForFileIn(cmd.Process.Pid, dir, 30*time.Second) {
			time.Sleep(time.Duration(round) * 15 * time.Millisecond)
			if cmd.Process.Signal(syscall.SIGKILL) == nil {
				killed++
			}
		}
		err := cmd.Wait()
		folderHolds(t, dir, "backup.db")
		if now, _ := os.ReadFile(backup); !bytes.Equal(now, good) && err != nil {
			t.Errorf("round %d: a killed backup changed the previous backup", round)
		}
	}
	t.Logf("%d of %d backups killed mid-copy; no stray file after any", killed, rounds)
	if killed < rounds/2 {
		t.Errorf("only %d of %d kills landed mid-copy: the test does not test", killed, rounds)
	}
	// A leftover of another kind (a backup where the copy could not be
	// unnamed) goes with the next backup; one still in use stays.
	stray := filepath.Join(dir, ".backup.db.tmp-12345")
	if err := os.WriteFile(stray, []byte("half a copy"), 0o600); err != nil {
		t.Fatal(err)
	}
	if o := runChild(t, nil, nil, "backup", backup, "--db", db); o.code != 0 {
		t.Fatalf("backup after the kills: exit %d %s", o.code, o.stderr)
	}
	folderHolds(t, dir, "backup.db")
	m := &Main{DBPath: backup, ReadOnly: true}
	if err := m.Open(); err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	rep, err := m.DB.Verify()
	if err != nil || len(rep.Problems) > 0 {
		t.Errorf("the last backup: got %v %v, want it sound", err, rep.Problems)
	}
}

// bulkUp adds n files of 5 MB of random bytes to the database at path,
// to make a copy of it take a while.
func bulkUp(t *testing.T, path string, n int) {
	t.Helper()
	db, err := storage.Open(path, storage.Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for i := range n {
		data := make([]byte, core.MaxJustifFileSize)
		rand.Read(data)
		err := db.Update(func(tx core.Tx) error {
			id := fmt.Sprintf("bulk%d", i)
			return tx.Put(core.KindFile, id, core.StoredFile{ID: id, Data: data})
		})
		if err != nil {
			t.Fatal(err)
		}
	}
}

// waitForFileIn waits until process pid has a file open in dir, and
// reports whether it did before it ended or timeout passed.
func waitForFileIn(pid int, dir string, timeout time.Duration) bool {
	fds := fmt.Sprintf("/proc/%d/fd", pid)
	for end := time.Now().Add(timeout); time.Now().Before(end); time.Sleep(200 * time.Microsecond) {
		entries, err := os.ReadDir(fds)
		if err != nil {
			return false // ended
		}
		for _, e := range entries {
			if target, err := os.Readlink(filepath.Join(fds, e.Name())); err == nil && strings.HasPrefix(target, dir+"/") {
				return true
			}
		}
	}
	return false
}

func fileSize(t *testing.T, path string) int64 {
	t.Helper()
	st, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	return st.Size()
}
