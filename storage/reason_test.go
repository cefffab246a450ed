package storage_test

import (
	"bytes"
	"reflect"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"frontdesk/core"
	"frontdesk/storage/storagetest"
)

// TestReasonInTheChain logs events with reasons after events without
// (as a database of an earlier version has them): the log verifies, the
// reasons read back, and a reason changed in the file breaks the chain.
func TestReasonInTheChain(t *testing.T) {
	db := storagetest.MustOpen(t)
	fill(t, db) // five events without reason
	why := core.NewReason(core.ReasonLevelAnyTime, "level", "Staff")
	update(t, db, func(tx core.Tx) error {
		e := core.Event{At: t0.Add(time.Hour), Reader: "main-in", Door: "main", Card: annCard, Person: "ann",
			Result: core.Granted, Explanation: why.String(), Why: why}
		return tx.AppendEvent(&e)
	})
	r, err := db.Verify()
	if err != nil {
		t.Fatal(err)
	}
	if r.Events != 6 || len(r.Problems) != 0 {
		t.Fatalf("got %+v, want 6 events and no problems", r)
	}
	var got core.Event
	rawUpdate(t, db, func(btx *bolt.Tx) error {
		b := btx.Bucket([]byte("events"))
		if err := jsonDecode(b.Get(seqKey(6)), &got); err != nil {
			return err
		}
		v := bytes.Replace(b.Get(seqKey(6)), []byte(`"Staff"}`), []byte(`"Admin"}`), 1)
		return b.Put(seqKey(6), v)
	})
	if !reflect.DeepEqual(got.Why, why) {
		t.Fatalf("got reason %+v, want %+v", got.Why, why)
	}
	db = openAt(t, db.Path())
	r, err = db.Verify()
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Problems) != 1 || r.Problems[0] != "event 6: hash does not match its content" {
		t.Fatalf("reason changed: got %v, want one problem with event 6's hash", r.Problems)
	}
}
