//go:build !unix

package storage

import "os"

// lockFile does nothing where flock does not exist; on Windows a file open
// for writing cannot be removed anyway.
func lockFile(*os.File) error { return nil }
