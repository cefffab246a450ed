package main

import (
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/exec"
	"time"

	"frontdesk/core"
	"frontdesk/storage"
	"frontdesk/ui"
)

// A restore replaces the database, which the running process holds open:
// the window stages the backup beside the database after checking it
// (restorePath), and the program swaps it in when it next opens the
// database, before anything reads it, keeping the replaced database.

// restorePath is where a checked backup waits to replace db.
func restorePath(db string) string { return db + ".restore" }

// stageRestore copies the backup r beside the database, checks that it is
// a Frontdesk database whose hash chains verify, and leaves it to replace
// the database at the next start. A bad backup is an ErrInvalid error and
// changes nothing.
func stageRestore(db string, r io.Reader) error {
	tmp := restorePath(db) + ".tmp"
	defer os.Remove(tmp)
	f, err := os.OpenFile(tmp, os.O_CREATE|os.O_TRUNC|os.O_WRONLY, 0o600)
	if err != nil {
		return err
	}
	if _, err := io.Copy(f, r); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	if err := checkBackup(tmp); err != nil {
		return err
	}
	return os.Rename(tmp, restorePath(db))
}

// checkBackup opens the copy at path and verifies it.
func checkBackup(path string) error {
	copyDB, err := storage.Open(path, storage.Options{Timeout: time.Second})
	if errors.Is(err, storage.ErrDamaged) {
		// The error says what the file is; the screen says it is the backup.
		return fmt.Errorf("%w: the backup cannot be used: %v", core.ErrInvalid, err)
	}
	if err != nil {
		return fmt.Errorf("%w: not a Frontdesk database: %v", core.ErrInvalid, err)
	}
	defer copyDB.Close()
	rep, err := copyDB.Verify()
	if err != nil {
		return fmt.Errorf("%w: the backup cannot be read: %v", core.ErrInvalid, err)
	}
	if len(rep.Problems) > 0 {
		return fmt.Errorf("%w: the backup does not verify: %s", core.ErrInvalid, rep.Problems[0])
	}
	return nil
}

// applyRestore swaps a staged backup in for db, keeping db as
// db.before-restore-TIME. Nothing staged: nothing to do.
func applyRestore(db string, log *slog.Logger) error {
	staged := restorePath(db)
	if _, err := os.Stat(staged); errors.Is(err, os.ErrNotExist) {
		return nil
	}
	kept := db + ".before-restore-" + time.Now().UTC().Format("20060102T150405Z")
	if _, err := os.Stat(db); err == nil {
		if err := os.Rename(db, kept); err != nil {
			return fmt.Errorf("restore: keep the database: %w", err)
		}
	}
	if err := os.Rename(staged, db); err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	log.Warn("database restored from a backup", "db", db, "previous", kept)
	return nil
}

// restoreAndRestart stages the backup and starts the program again on the
// same arguments, which swaps it in; this window closes.
func restoreAndRestart(m *Main, r io.Reader) error {
	if err := stageRestore(m.DBPath, r); err != nil {
		return err
	}
	exe, err := os.Executable()
	if err != nil {
		return err
	}
	cmd := exec.Command(exe, os.Args[1:]...)
	cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("the backup is ready and will replace the database at the next start, but restarting failed: %w", err)
	}
	go cmd.Wait()
	go func() {
		time.Sleep(time.Second) // let the window say so
		ui.Quit()
	}()
	return nil
}
