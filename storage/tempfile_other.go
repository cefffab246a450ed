//go:build !linux

package storage

import (
	"errors"
	"os"
)

// openUnnamed is Linux's O_TMPFILE, which other systems lack: newTempFile
// falls back to a named file.
func openUnnamed(string, string) (*os.File, error) {
	return nil, errors.ErrUnsupported
}

func linkUnnamed(*os.File, string) error { return errors.ErrUnsupported }
