package storage_test

import (
	"errors"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"frontdesk/core"
	"frontdesk/storage"
)

// attendanceKinds are the kinds added for attendance records and
// justifications, after schema 2.
var attendanceKinds = []core.Kind{core.KindAttendance, core.KindJustification, core.KindFile}

// useAttendanceKinds stores, reads back and numbers objects of each
// attendance kind.
func useAttendanceKinds(t *testing.T, db *storage.DB) {
	t.Helper()
	at := time.Date(2026, 11, 24, 8, 0, 0, 0, time.UTC)
	update(t, db, func(tx core.Tx) error {
		ids := map[core.Kind]string{}
		for _, k := range attendanceKinds {
			id, err := tx.NextID(k)
			if err != nil {
				return err
			}
			ids[k] = id
		}
		if ids[core.KindAttendance] != "a1" || ids[core.KindJustification] != "j1" || ids[core.KindFile] != "f1" {
			t.Errorf("first ids: got %v, want a1, j1, f1", ids)
		}
		rec := core.AttendanceRecord{ID: "a1", Person: "ann", From: at, Until: at.Add(time.Hour), State: core.AttendanceAbsent}
		if err := tx.Put(core.KindAttendance, "a1", rec); err != nil {
			return err
		}
		j := core.Justification{ID: "j1", Person: "ann", From: at, Until: at.Add(time.Hour), State: core.JustifPending}
		if err := tx.Put(core.KindJustification, "j1", j); err != nil {
			return err
		}
		if err := tx.Put(core.KindFile, "f1", core.StoredFile{ID: "f1", Data: []byte{0, 1, 2, 255}}); err != nil {
			return err
		}
		// Each kind holds its own type only.
		if err := tx.Put(core.KindFile, "f2", rec); !errors.Is(err, core.ErrInvalid) {
			t.Errorf("a record stored as a file: %v, want invalid", err)
		}
		return nil
	})
	view(t, db, func(tx core.Tx) error {
		var f core.StoredFile
		if err := tx.Get(core.KindFile, "f1", &f); err != nil {
			return err
		}
		if string(f.Data) != "\x00\x01\x02\xff" {
			t.Errorf("file content: got %q", f.Data)
		}
		var rec core.AttendanceRecord
		return tx.Get(core.KindAttendance, "a1", &rec)
	})
}

func TestAttendanceKindsInANewDatabase(t *testing.T) {
	useAttendanceKinds(t, openAt(t, tempPath(t)))
}

func TestAttendanceKindsInAnOldFile(t *testing.T) {
	t.Run("schema 1", func(t *testing.T) {
		path := tempPath(t)
		writeV1(t, path, nil)
		useAttendanceKinds(t, openAt(t, path))
	})
	t.Run("current schema without the buckets", func(t *testing.T) {
		// A file written at the current schema by a Frontdesk from before
		// the attendance kinds: createBuckets adds them on open.
		db := openAt(t, tempPath(t))
		rawUpdate(t, db, func(btx *bolt.Tx) error {
			for _, k := range attendanceKinds {
				if err := btx.DeleteBucket([]byte(k)); err != nil {
					return err
				}
			}
			return nil
		})
		db = openAt(t, db.Path())
		useAttendanceKinds(t, db)
		r, err := db.Verify()
		if err != nil {
			t.Fatal(err)
		}
		if len(r.Problems) != 0 {
			t.Errorf("verify: %v", r.Problems)
		}
	})
}
