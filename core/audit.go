package core

import (
	"encoding/json"
	"time"
)

// AuditEntry is one change in the audit trail: who made it, when, what it
// changed, and the object before and after. The trail is append-only and
// hash-chained like the event log, so a changed or removed entry is found
// by verify.
type AuditEntry struct {
	Seq uint64    `json:"seq"`
	At  time.Time `json:"at"`
	// Actor is who made the change, as people read it: "bob", "command
	// line (root)", "system"; ActorKind tells which.
	Actor     string    `json:"actor"`
	ActorKind ActorKind `json:"actor_kind"`
	// Action is the operation: "site.import", "grant.add", "account.add",
	// "login.failed", ...
	Action string `json:"action"`
	// Object is the kind and id changed, "grants/g3"; "" for an entry that
	// sums up an operation.
	Object string `json:"object,omitempty"`
	// Before and After are the object's JSON; Before is empty for a
	// creation, After for a deletion. Password hashes are never in them.
	Before json.RawMessage `json:"before,omitempty"`
	After  json.RawMessage `json:"after,omitempty"`

	PrevHash string `json:"prev_hash"`
	Hash     string `json:"hash"`
}

// AuditQuery selects audit entries; zero fields select all.
type AuditQuery struct {
	From, To time.Time // From ≤ At < To
	// After, when positive, starts the walk after the entry of that
	// sequence number.
	After uint64
	// Limit, when positive, keeps the walk to the first Limit entries.
	Limit int
}

// auditHashVersion names the encoding AuditHash hashes; see EventHash.
const auditHashVersion = "frontdesk-audit-v1"

// AuditHash returns the hash that chains e to the trail: SHA-256 over the
// version, the previous entry's hash and each field of e in a fixed order,
// each prefixed by its length.
func AuditHash(e AuditEntry) string {
	return chainHash(auditHashVersion, e.PrevHash, e.Seq, e.At, e.Actor, string(e.ActorKind), e.Action, e.Object,
		string(e.Before), string(e.After))
}
