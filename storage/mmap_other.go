//go:build !linux

package storage

import (
	"errors"
	"os"
)

// mapFile maps files on Linux only; elsewhere the page scan
// reads with ReadAt.
func mapFile(*os.File, int64) ([]byte, func(), error) {
	return nil, nil, errors.ErrUnsupported
}
