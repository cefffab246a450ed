package main

import (
	"bytes"
	"errors"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"frontdesk/core"
)

func TestRestoreIsCheckedThenSwappedInAtStart(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "site.db")
	mustCLI(t, db, "import", "testdata/site.json")
	backup := filepath.Join(dir, "backup.db")
	mustCLI(t, db, "backup", backup)
	// After the backup, a grant the restore will take back.
	mustCLI(t, db, "grant", "add", "--person", "ann", "--door", "lab", "--kind", "permanent")

	// Garbage is refused and nothing is staged.
	err := stageRestore(db, strings.NewReader("not a database at all"))
	if !errors.Is(err, core.ErrInvalid) {
		t.Fatalf("garbage: %v, want invalid", err)
	}
	if _, err := os.Stat(restorePath(db)); !os.IsNotExist(err) {
		t.Fatalf("garbage left a staged restore: %v", err)
	}

	data, err := os.ReadFile(backup)
	if err != nil {
		t.Fatal(err)
	}
	if err := stageRestore(db, bytes.NewReader(data)); err != nil {
		t.Fatalf("a good backup: %v", err)
	}
	// The next open swaps it in and keeps the replaced database.
	if err := applyRestore(db, slog.New(slog.DiscardHandler)); err != nil {
		t.Fatal(err)
	}
	if out := mustCLI(t, db, "grant", "list"); strings.Contains(out, "ann") && strings.Contains(out, "lab") {
		t.Errorf("the grant made after the backup survived the restore:\n%s", out)
	}
	kept, _ := filepath.Glob(db + ".before-restore-*")
	if len(kept) != 1 {
		t.Fatalf("replaced database kept as %v", kept)
	}
	if out := mustCLI(t, kept[0], "grant", "list"); !strings.Contains(out, "lab") {
		t.Errorf("the kept database lost its grant:\n%s", out)
	}
	if _, err := os.Stat(restorePath(db)); !os.IsNotExist(err) {
		t.Error("the staged file is still there after the swap")
	}
	mustCLI(t, db, "verify")
}
