package storage

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"golang.org/x/sys/unix"
)

// openUnnamed opens a file in dir that has no name yet (O_TMPFILE); its
// messages call it what pattern would name it.
func openUnnamed(dir, pattern string) (*os.File, error) {
	fd, err := unix.Open(dir, unix.O_TMPFILE|unix.O_RDWR|unix.O_CLOEXEC, 0o600)
	if err != nil {
		return nil, &os.PathError{Op: "open unnamed file in", Path: dir, Err: err}
	}
	return os.NewFile(uintptr(fd), filepath.Join(dir, strings.Replace(pattern, "*", "(unnamed)", 1))), nil
}

// linkUnnamed gives f, opened by openUnnamed, the name path; it fails
// with an error matching fs.ErrExist if path exists.
func linkUnnamed(f *os.File, path string) error {
	err := unix.Linkat(unix.AT_FDCWD, fmt.Sprintf("/proc/self/fd/%d", f.Fd()), unix.AT_FDCWD, path, unix.AT_SYMLINK_FOLLOW)
	if err == unix.ENOENT {
		// No /proc: AT_EMPTY_PATH does the same, given the privilege.
		err = unix.Linkat(int(f.Fd()), "", unix.AT_FDCWD, path, unix.AT_EMPTY_PATH)
	}
	if err != nil {
		return &os.LinkError{Op: "link", Old: f.Name(), New: path, Err: err}
	}
	return nil
}
