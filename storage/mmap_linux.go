package storage

import (
	"errors"
	"os"
	"syscall"
)

// mapFile maps the first size bytes of f, read-only. MAP_POPULATE maps
// every page at once: a scan that touches each page would otherwise take
// a page fault for each.
func mapFile(f *os.File, size int64) ([]byte, func(), error) {
	if size <= 0 || int64(int(size)) != size {
		return nil, nil, errors.ErrUnsupported
	}
	mem, err := syscall.Mmap(int(f.Fd()), 0, int(size), syscall.PROT_READ, syscall.MAP_SHARED|syscall.MAP_POPULATE)
	if err != nil {
		return nil, nil, err
	}
	return mem, func() { _ = syscall.Munmap(mem) }, nil
}
