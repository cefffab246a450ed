package anchor

import (
	"bufio"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"frontdesk/core"
)

// FileFor is the checkpoint file of the database at dbPath, in dir's
// checkpoints folder: the database's file name and 8 hex digits of its
// absolute path, so that two databases of the same name do not share one
// ("frontdesk.db-1a2b3c4d.checkpoints").
func FileFor(dir, dbPath string) string {
	abs, err := filepath.Abs(dbPath)
	if err != nil {
		abs = dbPath
	}
	sum := sha256.Sum256([]byte(filepath.Clean(abs)))
	return filepath.Join(dir, "checkpoints", filepath.Base(abs)+"-"+hex.EncodeToString(sum[:4])+".checkpoints")
}

// Append adds c as a line at the end of the file at path, made with mode
// 0600 (its folder 0700) if needed, and syncs it to disk. A last line cut
// short by a crash is ended first, so that it spoils no other line.
func Append(path string, c Checkpoint) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return fmt.Errorf("checkpoint file: %w", err)
	}
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_APPEND, 0o600)
	if err != nil {
		return fmt.Errorf("checkpoint file: %w", err)
	}
	line := c.String() + "\n"
	if st, err := f.Stat(); err == nil && st.Size() > 0 {
		last := make([]byte, 1)
		if _, err := f.ReadAt(last, st.Size()-1); err == nil && last[0] != '\n' {
			line = "\n" + line
		}
	}
	_, err = f.WriteString(line)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("checkpoint file %s: %w", path, err)
	}
	return nil
}

// Entry is one checkpoint read from a text, or text that is none.
type Entry struct {
	// Line is the number of the line where it starts, from 1.
	Line int
	// Text is the checkpoint as read, its blanks made single spaces.
	Text string
	// Checkpoint is what it says, when Err is nil.
	Checkpoint Checkpoint
	// Err says why Text is not a checkpoint; it wraps core.ErrInvalid.
	Err error
}

// Scan reads every checkpoint of r: one per line as Append writes them, or
// spread over several lines as copied from a PDF's footer (a checkpoint
// runs from "frontdesk-checkpoint" to its "sig=" field). Blank lines and
// lines starting with # are skipped; any other text outside a checkpoint
// is an Entry with an error, one per line. The error is for r.
func Scan(r io.Reader) ([]Entry, error) {
	var (
		out   []Entry
		open  []string // the fields of the checkpoint being read
		start int      // the line it started on
	)
	finish := func() {
		if open == nil {
			return
		}
		c, err := parseFields(open)
		out = append(out, Entry{Line: start, Text: strings.Join(open, " "), Checkpoint: c, Err: err})
		open = nil
	}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 4096), 1<<20)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		var stray []string
		for _, f := range strings.Fields(line) {
			switch {
			case f == Prefix:
				finish()
				open, start = []string{f}, n
			case open != nil:
				open = append(open, f)
				if strings.HasPrefix(f, "sig=") {
					finish()
				}
			default:
				stray = append(stray, f)
			}
		}
		if stray != nil {
			text := strings.Join(stray, " ")
			out = append(out, Entry{Line: n, Text: text,
				Err: fmt.Errorf("%w: not a checkpoint: %q", core.ErrInvalid, clip(text))})
		}
	}
	finish()
	if err := sc.Err(); err != nil {
		return out, err
	}
	return out, nil
}

// ReadFile scans the file at path (see Scan).
func ReadFile(path string) ([]Entry, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	entries, err := Scan(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return entries, nil
}

// Latest returns the last checkpoint of the file at path that accept
// takes, and whether there is one. A file that does not exist has none.
func Latest(path string, accept func(Checkpoint) bool) (Checkpoint, bool, error) {
	entries, err := ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return Checkpoint{}, false, nil
	}
	if err != nil {
		return Checkpoint{}, false, err
	}
	for i := len(entries) - 1; i >= 0; i-- {
		if e := entries[i]; e.Err == nil && accept(e.Checkpoint) {
			return e.Checkpoint, true, nil
		}
	}
	return Checkpoint{}, false, nil
}
