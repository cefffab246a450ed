package main

import (
	"errors"
	"io/fs"
	"syscall"

	berrors "go.etcd.io/bbolt/errors"

	"frontdesk/core"
)

// A damaged database, or a file that is not one, makes any command exit
// with status 3 and the one-line error the storage gives ("database
// damaged: ...; restore a backup (see README)", or "... is not a Frontdesk
// database: ..."); verify also exits with 3 when its check finds a
// problem. Commands that only read open the database read-only: they work
// on a full disk and in a read-only folder.

// readableEvents splits the error of a walk of the event log: the events
// it could not read, which the caller names after showing the others, and
// any other error, which stops the caller.
func readableEvents(err error) (*core.UnreadableEvents, error) {
	var u *core.UnreadableEvents
	if errors.As(err, &u) {
		return u, nil
	}
	return nil, err
}

// cannotWrite reports whether opening failed because this user may not
// write the database or its folder, or the file system is read-only.
func cannotWrite(err error) bool {
	return errors.Is(err, fs.ErrPermission) || errors.Is(err, syscall.EROFS)
}

// loginOnReadOnly is the error of a login on a database opened read-only
// (a folder this user cannot write): a login that must record an attempt
// (a wrong password, or one that clears earlier ones) cannot, and is
// refused like any other, without saying more.
func loginOnReadOnly(err error, readOnly bool) error {
	if err != nil && readOnly && !errors.Is(err, core.ErrLogin) && errors.Is(err, berrors.ErrDatabaseReadOnly) {
		return core.ErrLogin
	}
	return err
}
