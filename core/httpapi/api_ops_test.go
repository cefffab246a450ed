package httpapi

import (
	"bytes"
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"testing"

	"frontdesk/core"
	"frontdesk/storage"
)

// dbOps are the operations of a service on its database, for the tests:
// what the service's process does, without its checkpoint key.
type dbOps struct {
	engine *core.Engine
	db     *storage.DB
}

var _ Ops = dbOps{}

func (o dbOps) Backup(a core.Actor, w io.Writer) error {
	if err := o.engine.Authorize(a, core.PermBackupRun); err != nil {
		return err
	}
	_, err := o.db.WriteTo(w)
	return err
}

func (o dbOps) Verify(a core.Actor) (storage.Report, error) {
	if err := o.engine.Authorize(a, core.PermBackupRun); err != nil {
		return storage.Report{}, err
	}
	return o.db.Verify()
}

// Checkpoint names the site and the last event: a stand-in for the
// signed checkpoint.
func (o dbOps) Checkpoint(a core.Actor) (string, error) {
	if err := o.engine.Authorize(a, core.PermBackupRun); err != nil {
		return "", err
	}
	site, err := o.db.SiteID(false)
	if err != nil {
		return "", err
	}
	var last core.Event
	err = o.db.View(func(tx core.Tx) error {
		last, err = tx.LastEvent()
		return err
	})
	return fmt.Sprintf("checkpoint site=%s events=%d:%s", site, last.Seq, last.Hash), err
}

func (o dbOps) ReportCheckpoint() (string, error) {
	return "", errors.New("no checkpoint key in tests")
}

func (o dbOps) Chains(ctx context.Context, a core.Actor, q ChainsQuery) (Chains, error) {
	if err := o.engine.Authorize(a, core.PermBackupRun); err != nil {
		return Chains{}, err
	}
	site, err := o.db.SiteID(false)
	if err != nil {
		return Chains{}, err
	}
	events, err := o.db.CheckChain(ctx, storage.EventLog, storage.Link{}, q.Events...)
	if err != nil {
		return Chains{}, err
	}
	audit, err := o.db.CheckChain(ctx, storage.AuditTrail, storage.Link{}, q.Audit...)
	if err != nil {
		return Chains{}, err
	}
	return Chains{Site: site, Events: events, Audit: audit, PublicKey: "ed25519:test"}, nil
}

// opsSite is a site served with its Ops, and clients of the command line
// and of rita (no backup.run).
type opsSite struct {
	*site
	cli, rita         *Client
	cliActor, ritaAct core.Actor
}

func newOpsSite(t *testing.T, ops func(*site) Ops) *opsSite {
	t.Helper()
	clock := &testClock{t: t0}
	s := newSite(t, clock.now, siteOptions{})
	appendEvents(t, s, 300)
	srv := NewServer(s.engine, Options{Ops: ops(s)})
	o := &opsSite{site: s, cli: dial(t, serve(t, srv, trusted()))}
	o.cliActor = commandLine(t, o.cli)
	o.rita, o.ritaAct = login(t, serve(t, srv, stranger()), "rita", ritaPassword)
	return o
}

// TestBackupThroughTheService makes a backup through the socket while
// taps go on: the file written opens with storage.Open, checks clean,
// and holds the events of the live database up to the moment it was
// taken.
func TestBackupThroughTheService(t *testing.T) {
	o := newOpsSite(t, func(s *site) Ops { return dbOps{s.engine, s.db} })
	var stop sync.WaitGroup
	done := make(chan struct{})
	stop.Go(func() {
		for i := 0; ; i++ {
			select {
			case <-done:
				return
			default:
			}
			if _, err := o.engine.Tap(core.Tap{Reader: "main-in", Code: fmt.Sprintf("em:%010x", 1<<20+i)}); err != nil {
				t.Errorf("tap during the backup: %v", err)
				return
			}
		}
	})
	path := filepath.Join(t.TempDir(), "backup.db")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	err = o.cli.Backup(o.cliActor, f)
	close(done)
	stop.Wait()
	if err != nil {
		t.Fatalf("backup: %v", err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	cp, err := storage.Open(path, storage.Options{ReadOnly: true})
	if err != nil {
		t.Fatalf("open the backup: %v", err)
	}
	defer cp.Close()
	r, err := cp.Verify()
	if err != nil || len(r.Problems) != 0 {
		t.Errorf("verify the backup: %v %q", err, r.Problems)
	}
	var copied, live []core.Event
	read := func(db *storage.DB, out *[]core.Event) {
		err := db.View(func(tx core.Tx) error {
			return tx.Events(core.EventQuery{}, func(ev core.Event) error {
				*out = append(*out, ev)
				return nil
			})
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	read(cp, &copied)
	read(o.db, &live)
	if len(copied) < 300 || len(copied) > len(live) {
		t.Fatalf("the backup has %d events, the live database %d: want at least the 300 before it", len(copied), len(live))
	}
	// The log is walked in time order: the copy is the live log's first
	// events in the order they were appended.
	bySeq := func(evs []core.Event) {
		slices.SortFunc(evs, func(a, b core.Event) int { return cmp.Compare(a.Seq, b.Seq) })
	}
	bySeq(copied)
	bySeq(live)
	if d := sameValue(copied, live[:len(copied)]); d != "" {
		t.Errorf("the backup's events are not the live database's: %s", d)
	}
	t.Logf("backup of %d events while %d more were tapped", len(copied), len(live)-300)

	// A receptionist may not take the site away.
	var buf bytes.Buffer
	err = o.rita.Backup(o.ritaAct, &buf)
	if d := sameError(err, o.engine.Authorize(o.ritaAct, core.PermBackupRun)); d != "" {
		t.Error(d)
	}
	if buf.Len() != 0 {
		t.Errorf("a refused backup wrote %d bytes", buf.Len())
	}
}

// failingOps fail their backup half-way.
type failingOps struct{ dbOps }

func (o failingOps) Backup(a core.Actor, w io.Writer) error {
	w.Write(bytes.Repeat([]byte("x"), 100_000))
	return fmt.Errorf("copy the database: %w: a page cannot be read", core.ErrDamaged)
}

// TestBackupCutShort: a backup that fails after it began comes back as
// an error with the service's message, not as a short file taken for a
// backup.
func TestBackupCutShort(t *testing.T) {
	o := newOpsSite(t, func(s *site) Ops { return failingOps{dbOps{s.engine, s.db}} })
	err := o.cli.Backup(o.cliActor, io.Discard)
	if !errors.Is(err, core.ErrDamaged) || err.Error() != "copy the database: database damaged: a page cannot be read" {
		t.Errorf("got %v, want the service's error matching ErrDamaged", err)
	}
}

// TestOpsThroughTheService: verify, checkpoint and chains answer what
// the service's Ops answer, and need what they need.
func TestOpsThroughTheService(t *testing.T) {
	o := newOpsSite(t, func(s *site) Ops { return dbOps{s.engine, s.db} })
	ops := dbOps{o.engine, o.db}

	report, err := o.cli.Verify(o.cliActor)
	want, wantErr := ops.Verify(o.cliActor)
	if d := sameError(err, wantErr); d != "" {
		t.Error(d)
	}
	if d := sameValue(report, want); d != "" || report.Events != 300 {
		t.Errorf("verify: %s (%d events)", d, report.Events)
	}

	cp, err := o.cli.Checkpoint(o.cliActor)
	wantCP, wantErr := ops.Checkpoint(o.cliActor)
	if err != nil || wantErr != nil || cp != wantCP {
		t.Errorf("checkpoint: got %q, %v; want %q, %v", cp, err, wantCP, wantErr)
	}

	q := ChainsQuery{Events: []uint64{1, 150, 300, 301}, Audit: []uint64{1}}
	chains, err := o.cli.Chains(o.cliActor, q)
	wantChains, wantErr := ops.Chains(context.Background(), o.cliActor, q)
	if d := sameError(err, wantErr); d != "" {
		t.Error(d)
	}
	if d := sameValue(chains, wantChains); d != "" || len(chains.Events.Hashes) != 3 {
		t.Errorf("chains: %s (%d hashes)", d, len(chains.Events.Hashes))
	}

	for name, call := range map[string]func() error{
		"verify":     func() error { _, err := o.rita.Verify(o.ritaAct); return err },
		"checkpoint": func() error { _, err := o.rita.Checkpoint(o.ritaAct); return err },
		"chains":     func() error { _, err := o.rita.Chains(o.ritaAct, q); return err },
	} {
		if d := sameError(call(), o.engine.Authorize(o.ritaAct, core.PermBackupRun)); d != "" {
			t.Errorf("%s as rita: %s", name, d)
		}
	}
}

// TestOpsWithoutOps: a service without access to its database file
// answers its operations 404, saying so.
func TestOpsWithoutOps(t *testing.T) {
	o := newOpsSite(t, func(*site) Ops { return nil })
	_, err1 := o.cli.Verify(o.cliActor)
	_, err2 := o.cli.Checkpoint(o.cliActor)
	_, err3 := o.cli.Chains(o.cliActor, ChainsQuery{})
	err4 := o.cli.Backup(o.cliActor, io.Discard)
	for _, err := range []error{err1, err2, err3, err4} {
		if !errors.Is(err, core.ErrNotFound) || !bytes.Contains([]byte(fmt.Sprint(err)), []byte("does not")) {
			t.Errorf("got %v, want not found saying what the service does not do", err)
		}
	}
}
