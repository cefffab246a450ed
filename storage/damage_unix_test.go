//go:build unix

package storage_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"syscall"
	"testing"

	"frontdesk/storage"
)

// runChild runs the child process a test started, if this is one, and
// reports whether it was.
func runChild() bool {
	if path := os.Getenv("FRONTDESK_STORAGE_VERIFY_FULL_DISK"); path != "" {
		verifyOnFullDisk(path)
		return true
	}
	return false
}

// TestLeftoversRemoved leaves what a killed backup, verify or creation
// leaves, and one such file still in use: the next writer removes the
// first ones and keeps the one in use.
func TestLeftoversRemoved(t *testing.T) {
	path := filled(t)
	dir := filepath.Dir(path)
	base := filepath.Base(path)
	stale := []string{"." + base + ".verify-1", "." + base + ".new-2"}
	for _, name := range append(stale, "."+base+".verify-busy", ".copy.db.tmp-3") {
		if err := os.WriteFile(filepath.Join(dir, name), []byte("half"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	busy, err := os.Open(filepath.Join(dir, "."+base+".verify-busy"))
	if err != nil {
		t.Fatal(err)
	}
	defer busy.Close()
	if err := syscall.Flock(int(busy.Fd()), syscall.LOCK_EX); err != nil {
		t.Fatal(err)
	}
	db := openAt(t, path)
	if err := db.Backup(filepath.Join(dir, "copy.db")); err != nil {
		t.Fatal(err)
	}
	entries, _ := os.ReadDir(dir)
	var got []string
	for _, e := range entries {
		got = append(got, e.Name())
	}
	want := []string{"." + base + ".verify-busy", "copy.db", base}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("got %v, want %v", got, want)
	}
}

// TestVerifyOnFullDisk verifies a database opened for writing where no
// copy of it fits (a file size limit, in a child process): Verify checks
// it in place instead, and leaves nothing behind.
func TestVerifyOnFullDisk(t *testing.T) {
	path := filled(t)
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), "FRONTDESK_STORAGE_VERIFY_FULL_DISK="+path)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("child: %v\n%s", err, out)
	}
	var r storage.Report
	if err := json.Unmarshal(bytes.TrimSpace(out[bytes.LastIndexByte(bytes.TrimSpace(out), '\n')+1:]), &r); err != nil {
		t.Fatalf("child said %q: %v", out, err)
	}
	if r.Events != 205 || len(r.Problems) != 0 {
		t.Errorf("got %+v, want 205 events and no problem", r)
	}
	entries, _ := os.ReadDir(filepath.Dir(path))
	if len(entries) != 1 {
		t.Errorf("got %d files in the folder, want the database alone", len(entries))
	}
}

// verifyOnFullDisk is the child of TestVerifyOnFullDisk: no file may grow
// past one page, so the copy Verify makes of a database open for writing
// fails. It prints the report as JSON.
func verifyOnFullDisk(path string) {
	fail := func(err error) {
		fmt.Println(err)
		os.Exit(1)
	}
	db, err := storage.Open(path, storage.Options{})
	if err != nil {
		fail(err)
	}
	defer db.Close()
	signal.Ignore(syscall.SIGXFSZ) // a write past the limit fails, instead of ending the process
	if err := syscall.Setrlimit(syscall.RLIMIT_FSIZE, &syscall.Rlimit{Cur: 4096, Max: 4096}); err != nil {
		fail(err)
	}
	r, err := db.Verify()
	if err != nil {
		fail(err)
	}
	b, _ := json.Marshal(r)
	fmt.Println(string(b))
}
