//go:build !unix

package storage_test

// runChild: the tests that start child processes need Unix.
func runChild() bool { return false }
