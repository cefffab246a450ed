package storage_test

import (
	"errors"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"frontdesk/core"
	"frontdesk/storage/storagetest"
)

var t0 = time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC)

func TestEventsChain(t *testing.T) {
	db := storagetest.MustOpen(t)
	view(t, db, func(tx core.Tx) error {
		if _, err := tx.LastEvent(); !errors.Is(err, core.ErrNotFound) {
			t.Errorf("empty log: got %v, want %v", err, core.ErrNotFound)
		}
		return nil
	})
	paris, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		t.Fatal(err)
	}
	var got []core.Event
	for i := range 3 {
		e := core.Event{At: t0.In(paris).Add(time.Duration(i) * time.Minute), Reader: "main-in", Door: "main",
			Card: "em:0102B0A5FD", Person: "ann", Result: core.Granted, Explanation: "level Staff"}
		update(t, db, func(tx core.Tx) error { return tx.AppendEvent(&e) })
		got = append(got, e)
	}
	prev := ""
	for i, e := range got {
		if e.Seq != uint64(i+1) {
			t.Errorf("event %d: seq: got %v, want %v", i, e.Seq, i+1)
		}
		if e.PrevHash != prev {
			t.Errorf("event %d: prev hash: got %v, want %v", i, e.PrevHash, prev)
		}
		if h := core.EventHash(e); e.Hash != h {
			t.Errorf("event %d: hash: got %v, want %v", i, e.Hash, h)
		}
		if e.At.Location() != time.UTC {
			t.Errorf("event %d: at: got %v, want UTC", i, e.At.Location())
		}
		prev = e.Hash
	}
	view(t, db, func(tx core.Tx) error {
		last, err := tx.LastEvent()
		if g, w := jsonOf(t, last), jsonOf(t, got[2]); g != w {
			t.Errorf("last: got %v, want %v", g, w)
		}
		return err
	})
}

func TestEventsQuery(t *testing.T) {
	db := storagetest.MustOpen(t)
	ev := func(at time.Time, person, door string) core.Event {
		return core.Event{At: at, Person: person, Door: door, Result: core.Granted}
	}
	// Appended out of time order, as taps replayed from a file may be.
	update(t, db, func(tx core.Tx) error {
		for _, e := range []core.Event{
			ev(t0.Add(2*time.Hour), "ann", "main"),                        // 1
			ev(t0, "bob", "main"),                                         // 2
			ev(t0.Add(time.Hour), "ann", "lab"),                           // 3
			ev(t0.Add(time.Hour), "ann", "main"),                          // 4: same instant as 3
			ev(time.Date(1960, 5, 1, 0, 0, 0, 0, time.UTC), "cat", "lab"), // 5: before 1970
			ev(t0.Add(3*time.Hour), "", "main"),                           // 6: unknown card
			ev(t0.Add(4*time.Hour), "anna", "lab"),                        // 7
		} {
			if err := tx.AppendEvent(&e); err != nil {
				return err
			}
		}
		return nil
	})
	tests := []struct {
		name string
		q    core.EventQuery
		want []uint64
	}{
		{"all", core.EventQuery{}, []uint64{5, 2, 3, 4, 1, 6, 7}},
		{"all reverse", core.EventQuery{Reverse: true}, []uint64{7, 6, 1, 4, 3, 2, 5}},
		{"from", core.EventQuery{From: t0.Add(time.Hour)}, []uint64{3, 4, 1, 6, 7}},
		{"to excluded", core.EventQuery{To: t0.Add(time.Hour)}, []uint64{5, 2}},
		{"from to", core.EventQuery{From: t0, To: t0.Add(2 * time.Hour)}, []uint64{2, 3, 4}},
		{"from to reverse", core.EventQuery{From: t0, To: t0.Add(2 * time.Hour), Reverse: true}, []uint64{4, 3, 2}},
		{"empty range", core.EventQuery{From: t0, To: t0}, nil},
		{"before 1970", core.EventQuery{To: time.Date(1970, 1, 1, 0, 0, 0, 0, time.UTC)}, []uint64{5}},
		{"far bounds", core.EventQuery{From: time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC), To: time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC)}, []uint64{5, 2, 3, 4, 1, 6, 7}},
		{"person", core.EventQuery{Person: "ann"}, []uint64{3, 4, 1}},
		{"person reverse", core.EventQuery{Person: "ann", Reverse: true}, []uint64{1, 4, 3}},
		{"person and door", core.EventQuery{Person: "ann", Door: "main"}, []uint64{4, 1}},
		{"person from to", core.EventQuery{Person: "ann", From: t0.Add(time.Hour), To: t0.Add(2 * time.Hour)}, []uint64{3, 4}},
		{"person unknown", core.EventQuery{Person: "zoe"}, nil},
		{"door", core.EventQuery{Door: "lab"}, []uint64{5, 3, 7}},
		{"door reverse limit", core.EventQuery{Door: "main", Reverse: true, Limit: 2}, []uint64{6, 1}},
		{"limit", core.EventQuery{Limit: 2}, []uint64{5, 2}},
		{"limit after filter", core.EventQuery{Person: "ann", Door: "main", Limit: 1}, []uint64{4}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []uint64
			view(t, db, func(tx core.Tx) error {
				return tx.Events(tt.q, func(e core.Event) error {
					got = append(got, e.Seq)
					return nil
				})
			})
			if !slices.Equal(got, tt.want) {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
	t.Run("callback error", func(t *testing.T) {
		stop := errors.New("stop")
		n := 0
		err := db.View(func(tx core.Tx) error {
			return tx.Events(core.EventQuery{}, func(core.Event) error {
				n++
				return stop
			})
		})
		if !errors.Is(err, stop) || n != 1 {
			t.Errorf("got %v after %d events, want %v after 1", err, n, stop)
		}
	})
	assertClean(t, db)
}

func TestAppendEventRejects(t *testing.T) {
	tests := []struct {
		name string
		e    core.Event
	}{
		{"zero time", core.Event{Result: core.Granted}},
		{"year 3000", core.Event{At: time.Date(3000, 1, 1, 0, 0, 0, 0, time.UTC), Result: core.Granted}},
		{"person with NUL", core.Event{At: t0, Person: "a\x00b", Result: core.Granted}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			db := storagetest.MustOpen(t)
			err := db.Update(func(tx core.Tx) error { return tx.AppendEvent(&tt.e) })
			if !errors.Is(err, core.ErrInvalid) {
				t.Errorf("got %v, want %v", err, core.ErrInvalid)
			}
		})
	}
}

func TestBatchConcurrentAppends(t *testing.T) {
	db := storagetest.MustOpen(t)
	const writers, each = 16, 20
	var wg sync.WaitGroup
	errs := make(chan error, writers*each)
	for w := range writers {
		wg.Go(func() {
			for i := range each {
				e := core.Event{At: t0.Add(time.Duration(i) * time.Second), Person: "p" + string(rune('a'+w)), Door: "main", Result: core.Granted}
				errs <- db.Batch(func(tx core.Tx) error {
					if err := tx.AppendEvent(&e); err != nil {
						return err
					}
					return tx.PutLastDecision("card", "main-in", e.At)
				})
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatalf("batch: %v", err)
		}
	}
	r, err := db.Verify()
	if err != nil {
		t.Fatal(err)
	}
	if r.Events != writers*each || len(r.Problems) != 0 {
		t.Errorf("got %d events and %v, want %d events and no problems", r.Events, r.Problems, writers*each)
	}
}

func TestBatchFailingCallRollsBackAlone(t *testing.T) {
	db := storagetest.MustOpen(t)
	var wg sync.WaitGroup
	results := make([]error, 8)
	for i := range results {
		wg.Go(func() {
			results[i] = db.Batch(func(tx core.Tx) error {
				e := core.Event{At: t0, Door: "main", Result: core.DeniedUnknownCard}
				if err := tx.AppendEvent(&e); err != nil {
					return err
				}
				if i == 3 {
					return errors.New("refused")
				}
				return nil
			})
		})
	}
	wg.Wait()
	for i, err := range results {
		if (err != nil) != (i == 3) {
			t.Errorf("call %d: got %v", i, err)
		}
	}
	r, err := db.Verify()
	if err != nil {
		t.Fatal(err)
	}
	if r.Events != 7 || len(r.Problems) != 0 {
		t.Errorf("got %d events and %v, want 7 events and no problems", r.Events, r.Problems)
	}
}

func TestMoves(t *testing.T) {
	db := storagetest.MustOpen(t)
	update(t, db, func(tx core.Tx) error {
		for _, e := range []core.Event{
			{At: t0.Add(2 * time.Hour), Person: "ann", Result: core.Granted, Zone: "outside"},
			{At: t0, Person: "ann", Result: core.Granted, Zone: "office"},
			{At: t0.Add(time.Hour), Person: "ann", Result: core.IgnoredDuplicate}, // moved nobody
			{At: t0.Add(time.Hour), Person: "anna", Result: core.Granted, Zone: "office"},
			{At: t0.Add(3 * time.Hour), Person: "ann", Result: core.AutoCheckout, Zone: "outside"},
		} {
			if err := tx.AppendEvent(&e); err != nil {
				return err
			}
		}
		return nil
	})
	var got []string
	view(t, db, func(tx core.Tx) error {
		return tx.Moves("ann", t0, t0.Add(3*time.Hour), func(m core.Move) error {
			got = append(got, m.At.Sub(t0).String()+" "+m.Zone+" "+string(m.Result))
			return nil
		})
	})
	want := "0s office granted,2h0m0s outside granted" // in time order; not anna's, not past To
	if strings.Join(got, ",") != want {
		t.Errorf("moves %v, want %s", got, want)
	}
}
