package httpapi

import (
	"encoding/json"
	"frontdesk/core"
	"net/http"
)

// routesOps registers the operations on the database file (Ops): backup,
// verify, checkpoints and the chains a check of checkpoints reads.
func (s *Server) routesOps() {
	s.handle("GET /v1/backup", s.backup)
	s.handle("POST /v1/verify", s.verify)
	s.handle("POST /v1/checkpoint", s.checkpoint)
	s.handle("POST /v1/checkpoint/report", s.reportCheckpoint)
	s.handle("POST /v1/chains", s.chains)
	s.routesSites()
}

// errNoOps answers the operations of a server made without Ops.
func errNoOps(what string) error {
	return &Error{Kind: KindNotFound, Message: "not found: this Frontdesk service does not " + what + " (it was started without access to the database file)"}
}

// backupTrailer is the trailer of GET /v1/backup that carries an error
// met after the copy began (the status was sent): a client that finds it
// discards what it received.
const backupTrailer = "Frontdesk-Error"

// backup streams a consistent copy of the database (the file's raw
// bytes). A refusal, or a failure before the first byte, is an ordinary
// error answer; a failure after it is told in the trailer, and a cut
// connection ends the chunked body short, so a client never takes part
// of a file for a backup.
func (s *Server) backup(c *call) (any, error) {
	if s.ops == nil {
		return nil, errNoOps("make backups")
	}
	w := &backupWriter{w: c.w}
	err := s.ops.Backup(c.actor, w)
	if err != nil && !w.started {
		return nil, err
	}
	w.start()
	if err != nil {
		s.log.Warn("api: backup cut short", "written", w.n, "err", err)
		b, _ := json.Marshal(wireError(err))
		c.w.Header().Set(backupTrailer, string(b))
	}
	return streamed, nil
}

// backupWriter sends the answer's header with the first byte of the copy.
type backupWriter struct {
	w       http.ResponseWriter
	started bool
	n       int64
}

func (b *backupWriter) start() {
	if b.started {
		return
	}
	b.started = true
	h := b.w.Header()
	h.Set("Content-Type", "application/octet-stream")
	h.Set("Trailer", backupTrailer)
	b.w.WriteHeader(http.StatusOK)
}

func (b *backupWriter) Write(p []byte) (int, error) {
	b.start()
	n, err := b.w.Write(p)
	b.n += int64(n)
	return n, err
}

func (s *Server) verify(c *call) (any, error) {
	if s.ops == nil {
		return nil, errNoOps("verify the database")
	}
	return s.ops.Verify(c.actor)
}

// CheckpointReply is the answer of POST /v1/checkpoint: the signed
// checkpoint's text.
type CheckpointReply struct {
	Checkpoint string `json:"checkpoint"`
}

func (s *Server) checkpoint(c *call) (any, error) {
	if s.ops == nil {
		return nil, errNoOps("sign checkpoints")
	}
	text, err := s.ops.Checkpoint(c.actor)
	if err != nil {
		return nil, err
	}
	return CheckpointReply{Checkpoint: text}, nil
}

func (s *Server) chains(c *call) (any, error) {
	if s.ops == nil {
		return nil, errNoOps("walk the hash chains")
	}
	var q ChainsQuery
	if err := c.decode(&q); err != nil {
		return nil, err
	}
	return s.ops.Chains(c.r.Context(), c.actor, q)
}

// ReportCheckpointReply is the answer of POST /v1/checkpoint/report: the
// line for a report's footer ("" when there is none at all) and, when no
// new checkpoint could be made, why.
type ReportCheckpointReply struct {
	Checkpoint string `json:"checkpoint"`
	Warning    string `json:"warning,omitempty"`
}

func (s *Server) reportCheckpoint(c *call) (any, error) {
	if err := s.engine.Authorize(c.actor, core.PermReportsPrint); err != nil {
		return nil, err
	}
	if s.ops == nil {
		return nil, errNoOps("sign checkpoints")
	}
	line, warn := s.ops.ReportCheckpoint()
	r := ReportCheckpointReply{Checkpoint: line}
	if warn != nil {
		r.Warning = warn.Error()
	}
	return r, nil
}
