package main

import (
	"context"
	"io"

	"frontdesk/core"
	"frontdesk/core/httpapi"
	"frontdesk/storage"
	"frontdesk/storage/anchor"
)

// ops are the operations on the database file that the process owning it
// does for the clients of its service (httpapi.Ops). Each needs
// backup.run, checked by the engine as the caller.
type ops struct{ m *Main }

func (m *Main) ops() httpapi.Ops { return ops{m} }

func (o ops) allow(a core.Actor) error { return o.m.Engine.Authorize(a, core.PermBackupRun) }

// Backup writes a consistent copy of the live database: a read
// transaction's snapshot, while taps go on.
func (o ops) Backup(a core.Actor, w io.Writer) error {
	if err := o.allow(a); err != nil {
		return err
	}
	_, err := o.m.DB.WriteTo(w)
	return err
}

// Verify checks the live database.
func (o ops) Verify(a core.Actor) (storage.Report, error) {
	if err := o.allow(a); err != nil {
		return storage.Report{}, err
	}
	return o.m.DB.Verify()
}

// Checkpoint signs a checkpoint with the service's key and appends it to
// the service's checkpoint file.
func (o ops) Checkpoint(a core.Actor) (string, error) {
	if err := o.allow(a); err != nil {
		return "", err
	}
	cp, _, err := o.m.checkpoints().make(context.Background())
	if err != nil {
		return "", err
	}
	return cp.String(), nil
}

// ReportCheckpoint is the checkpoint for a report printed by a client.
func (o ops) ReportCheckpoint() (string, error) { return o.m.checkpoints().forReport() }

// Chains walks both hash chains for verify --checkpoint, and gives the
// public key of the service's checkpoints.
func (o ops) Chains(ctx context.Context, a core.Actor, q httpapi.ChainsQuery) (httpapi.Chains, error) {
	if err := o.allow(a); err != nil {
		return httpapi.Chains{}, err
	}
	db := o.m.DB
	site, err := db.SiteID(false)
	if err != nil {
		return httpapi.Chains{}, err
	}
	out := httpapi.Chains{Site: site}
	if out.Events, err = db.CheckChain(ctx, storage.EventLog, storage.Link{}, q.Events...); err != nil {
		return httpapi.Chains{}, err
	}
	if out.Audit, err = db.CheckChain(ctx, storage.AuditTrail, storage.Link{}, q.Audit...); err != nil {
		return httpapi.Chains{}, err
	}
	if dir, err := o.m.checkpoints().folder(); err == nil {
		if key, err := anchor.OpenKey(dir); err == nil {
			out.PublicKey = key.Public().String()
		}
	}
	return out, nil
}
