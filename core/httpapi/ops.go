package httpapi

import (
	"context"
	"io"

	"frontdesk/core"
	"frontdesk/storage"
)

// Ops are what the service does on the database file itself, beside the
// engine: the service's process owns the file, so a client asks it.
// Each checks the caller's permission with the engine first (backup.run).
type Ops interface {
	// Backup writes a consistent copy of the live database to w while
	// taps go on (a hot backup).
	Backup(a core.Actor, w io.Writer) error
	// Verify checks the live database's pages, records and hash chains.
	Verify(a core.Actor) (storage.Report, error)
	// Checkpoint signs a checkpoint of the logs with the service's key,
	// adds it to the service's checkpoint file and returns its text.
	Checkpoint(a core.Actor) (string, error)
	// ReportCheckpoint is the checkpoint a report's footer carries: a new
	// one, else the latest the service signed, with a warning saying why
	// no new one was made (report.go's rule). Whoever may print reports
	// may ask for it.
	ReportCheckpoint() (line string, warning error)
	// Chains walks both hash chains for a check of checkpoints
	// (verify --checkpoint), stopping at the sequence numbers asked.
	Chains(ctx context.Context, a core.Actor, q ChainsQuery) (Chains, error)
}

// ChainsQuery asks for the links of the event log and the audit trail at
// the given sequence numbers.
type ChainsQuery struct {
	Events []uint64 `json:"events"`
	Audit  []uint64 `json:"audit"`
}

// Chains is what a check of checkpoints needs from the service: the
// site's identity, the state of both chains, and the public key the
// service signs its checkpoints with.
type Chains struct {
	Site      string             `json:"site"`
	Events    storage.ChainState `json:"events"`
	Audit     storage.ChainState `json:"audit"`
	PublicKey string             `json:"public_key,omitempty"`
}
