package storage

import (
	"errors"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
)

// tempFile is a file written beside its destination and put there whole
// by keep, so that a reader of the destination never sees half of it.
//
// On Linux it has no name while it is written (O_TMPFILE): a process
// killed half-way leaves nothing behind. Elsewhere, or on a file system
// without O_TMPFILE, it is a named file matching pattern, locked while it
// is written so that removeLeftovers, which the next writer runs, removes
// only what a killed process left.
type tempFile struct {
	*os.File
	dir, pattern string
	// named: the file has a name (the fallback, or once linked); name is
	// the name given by linkNamed.
	named bool
	name  string
}

// newTempFile starts a file in dir; pattern is as for os.CreateTemp.
func newTempFile(dir, pattern string) (*tempFile, error) {
	if f, err := openUnnamed(dir, pattern); err == nil {
		if err := lockFile(f); err != nil {
			f.Close()
			return nil, err
		}
		return &tempFile{File: f, dir: dir, pattern: pattern}, nil
	}
	f, err := os.CreateTemp(dir, pattern)
	if err != nil {
		return nil, err
	}
	if err := lockFile(f); err != nil {
		f.Close()
		os.Remove(f.Name())
		return nil, err
	}
	return &tempFile{File: f, dir: dir, pattern: pattern, named: true}, nil
}

// keep syncs and closes the file and puts it at path, replacing what is
// there, then syncs the folder.
func (t *tempFile) keep(path string) error {
	if err := t.Sync(); err != nil {
		return err
	}
	if !t.named {
		// Link it in place directly when nothing is there; else under a
		// name of its own first, since a link cannot replace a file.
		err := linkUnnamed(t.File, path)
		if errors.Is(err, fs.ErrExist) {
			err = t.linkNamed()
		} else if err == nil {
			return errors.Join(t.File.Close(), syncDir(t.dir))
		}
		if err != nil {
			return err
		}
	}
	if err := os.Rename(t.Name(), path); err != nil {
		return err
	}
	return errors.Join(t.File.Close(), syncDir(t.dir))
}

// linkNamed gives the unnamed file a name matching the pattern; it stays
// locked, through its open file, until it is renamed.
func (t *tempFile) linkNamed() error {
	prefix, suffix, _ := strings.Cut(t.pattern, "*")
	for range 100 {
		name := filepath.Join(t.dir, fmt.Sprintf("%s%d%s", prefix, rand.Uint32(), suffix))
		err := linkUnnamed(t.File, name)
		if errors.Is(err, fs.ErrExist) {
			continue
		}
		if err != nil {
			return err
		}
		t.named, t.name = true, name
		return nil
	}
	return fmt.Errorf("no free name for %s in %s", t.pattern, t.dir)
}

// Name is the file's name; "" while it has none.
func (t *tempFile) Name() string {
	if t.name != "" {
		return t.name
	}
	if t.named {
		return t.File.Name()
	}
	return ""
}

// discard closes the file and removes it, when kept failed or the work
// was abandoned. After keep it does nothing.
func (t *tempFile) discard() {
	_ = t.File.Close()
	if name := t.Name(); name != "" {
		_ = os.Remove(name)
	}
}

// removeLeftovers removes the files matching pattern in dir that no
// process holds: what a process killed in the middle of its work left.
// It returns how many it removed.
func removeLeftovers(dir, pattern string) int {
	names, _ := filepath.Glob(filepath.Join(dir, pattern))
	n := 0
	for _, name := range names {
		f, err := os.Open(name)
		if err != nil {
			continue
		}
		// A file still being written is locked by its writer.
		if lockFile(f) == nil && os.Remove(name) == nil {
			n++
		}
		f.Close()
	}
	return n
}
