package storage

import (
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"runtime"
	"strings"

	bolt "go.etcd.io/bbolt"
)

// Backup writes a consistent copy of the database to path while the
// database stays in use: a read transaction's snapshot goes to a file
// beside path, is synced, and replaces path whole, so path is never a
// half-written file. A backup killed half-way leaves no file behind (on
// Linux the copy has no name until it is complete); what an earlier one
// left elsewhere is removed by the next. The copy opens with Open like
// the original.
func (db *DB) Backup(path string) error {
	if same, err := samePath(path, db.path); err != nil {
		return fmt.Errorf("backup to %s: %w", path, err)
	} else if same {
		return fmt.Errorf("backup to %s: that is the database itself", path)
	}
	if err := db.contain(func() error { return db.snapshot(path) }); err != nil {
		return fmt.Errorf("backup to %s: %w", path, err)
	}
	db.log.Info("database backed up", "path", db.path, "to", path)
	return nil
}

// backupPattern names the temporary files of backups to path.
func backupPattern(path string) string {
	return "." + filepath.Base(path) + ".tmp-*"
}

// snapshot writes the database to path through a synced temporary file.
func (db *DB) snapshot(path string) error {
	// The read transaction does not block writers, so taps go on; it only
	// delays a writer that must grow the memory map (rare: the map doubles).
	return saveBackup(path, db.path, db.copyTo, db.log)
}

// SaveBackup writes the database that copy writes (a service's hot
// backup, received by a client) to path as Backup does: through a synced
// temporary file with no name until it is whole, read back before it
// replaces path, leftovers of an interrupted backup removed. source names
// the database for messages.
func SaveBackup(path, source string, copy func(io.Writer) error, log *slog.Logger) error {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	if err := saveBackup(path, source, copy, log); err != nil {
		return fmt.Errorf("backup to %s: %w", path, err)
	}
	return nil
}

func saveBackup(path, source string, copy func(io.Writer) error, log *slog.Logger) (err error) {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	if n := removeLeftovers(dir, backupPattern(path)); n > 0 {
		log.Info("removed what an interrupted backup left", "dir", dir, "files", n)
	}
	f, err := newTempFile(dir, backupPattern(path))
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			f.discard()
		}
	}()
	if err := copy(f); err != nil {
		return err
	}
	// A damaged database must not replace the last good backup: the copy
	// is read back, without bbolt, before it takes the backup's place.
	scan, err := scanFile(source, f.File)
	if err != nil {
		return err
	}
	if !scan.walkable {
		return damaged(source, "%s (the backup was not written: %s is unchanged)",
			strings.TrimPrefix(scan.problems[0].String(), "page structure: "), path)
	}
	return f.keep(path)
}

// syncDir makes a rename in dir durable. Windows cannot sync a folder and
// does not need it.
func syncDir(dir string) error {
	if runtime.GOOS == "windows" {
		return nil
	}
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	return errors.Join(d.Sync(), d.Close())
}

// samePath reports whether a and b name the same file: an existing file
// is compared by identity, a missing one by absolute path.
func samePath(a, b string) (bool, error) {
	ia, errA := os.Stat(a)
	ib, errB := os.Stat(b)
	if errA == nil && errB == nil {
		return os.SameFile(ia, ib), nil
	}
	absA, err := filepath.Abs(a)
	if err != nil {
		return false, err
	}
	absB, err := filepath.Abs(b)
	if err != nil {
		return false, err
	}
	return absA == absB, nil
}

// copyTo writes a snapshot of the database, a valid bbolt file, into w.
func (db *DB) copyTo(w io.Writer) error {
	return db.bolt.View(func(btx *bolt.Tx) error {
		_, err := btx.WriteTo(w)
		return err
	})
}

// WriteTo writes a consistent copy of the database, a valid bbolt file,
// to w while the database stays in use, and returns how many bytes it
// wrote: the hot backup a service sends to a client that asked for one.
// The read is contained like every read (a damaged page is an error
// matching ErrDamaged, never a panic). Unlike Backup, it cannot read the
// copy back before it counts: whoever keeps the copy checks it (Open and
// Verify on the file written).
func (db *DB) WriteTo(w io.Writer) (int64, error) {
	// bbolt reports the writer's error as text: it is kept here to be
	// returned as it is, so that a caller tells a client gone away from a
	// damaged file.
	cw := &copyWriter{w: w}
	err := db.contain(func() error {
		return db.bolt.View(func(btx *bolt.Tx) error {
			_, err := btx.WriteTo(cw)
			return err
		})
	})
	switch {
	case cw.err != nil:
		return cw.n, fmt.Errorf("copy the database: %w", cw.err)
	case err != nil:
		return cw.n, fmt.Errorf("copy the database: %w", err)
	}
	return cw.n, nil
}

// copyWriter counts what WriteTo wrote and keeps the first error of its
// writer.
type copyWriter struct {
	w   io.Writer
	n   int64
	err error
}

func (c *copyWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	if err != nil && c.err == nil {
		c.err = err
	}
	return n, err
}
