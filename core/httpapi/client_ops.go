package httpapi

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"

	"frontdesk/core"
	"frontdesk/storage"
)

// Backup writes a consistent copy of the service's live database to w (a
// hot backup: taps go on). The copy is complete only when Backup returns
// nil: an error after some bytes were written means what w holds must be
// discarded. Needs backup.run.
func (c *Client) Backup(a core.Actor, w io.Writer) error {
	if err := c.checkActor(a); err != nil {
		return err
	}
	resp, err := c.open(context.Background(), http.MethodGet, "/v1/backup", nil, nil)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if _, err := io.Copy(w, resp.Body); err != nil {
		return fmt.Errorf("backup from %s: %w", c.where, err)
	}
	// The trailer is read with the end of the body: an error the service
	// met after it began.
	if t := resp.Trailer.Get(backupTrailer); t != "" {
		var e Error
		if json.Unmarshal([]byte(t), &e) != nil || e.Message == "" {
			return &Error{Kind: KindInternal, Message: "backup from " + c.where + ": cut short: " + t}
		}
		return &e
	}
	return nil
}

// Verify checks the service's live database (pages, records and hash
// chains). Needs backup.run.
func (c *Client) Verify(a core.Actor) (storage.Report, error) {
	return ask[storage.Report](c, a, http.MethodPost, "/v1/verify", nil, struct{}{})
}

// Checkpoint has the service sign a checkpoint of the logs and returns
// its text.
func (c *Client) Checkpoint(a core.Actor) (string, error) {
	if err := c.checkActor(a); err != nil {
		return "", err
	}
	var r CheckpointReply
	if err := c.call(http.MethodPost, "/v1/checkpoint", nil, struct{}{}, &r); err != nil {
		return "", err
	}
	return r.Checkpoint, nil
}

// Chains walks the service's hash chains for a check of checkpoints.
func (c *Client) Chains(a core.Actor, q ChainsQuery) (Chains, error) {
	return ask[Chains](c, a, http.MethodPost, "/v1/chains", nil, q)
}

// ReportCheckpoint is the checkpoint for a report's footer, signed by the
// service; the error is a warning when no new one could be made (the
// line may still be the latest one).
func (c *Client) ReportCheckpoint(a core.Actor) (string, error) {
	if err := c.checkActor(a); err != nil {
		return "", err
	}
	var r ReportCheckpointReply
	if err := c.call(http.MethodPost, "/v1/checkpoint/report", nil, struct{}{}, &r); err != nil {
		return "", err
	}
	if r.Warning != "" {
		return r.Checkpoint, errors.New(r.Warning)
	}
	return r.Checkpoint, nil
}
