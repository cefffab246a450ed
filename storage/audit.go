package storage

import (
	"encoding/binary"
	"encoding/json"
	"fmt"

	"frontdesk/core"
)

// AppendAudit numbers e and chains it to the last audit entry, the way
// AppendEvent does for events: the last sequence and hash are kept in meta
// (audit_last_seq, audit_last_hash) so that appending reads no entry. The
// trail has no index, so nothing is held for flush: the entry is written
// at once and later reads in the same transaction see it.
func (t *tx) AppendAudit(e *core.AuditEntry) error {
	if e == nil {
		return fmt.Errorf("%w: nil audit entry", core.ErrInvalid)
	}
	// The hash covers At as UnixNano, which only this range represents.
	if e.At.Before(minEventTime) || !e.At.Before(maxEventTime) {
		return fmt.Errorf("%w: audit entry time %s: must be between years 1678 and 2262", core.ErrInvalid, e.At)
	}
	audit := t.bucket(bucketAudit)
	// Entries are only ever added at the end: full pages waste nothing.
	audit.FillPercent = appendFill
	meta := t.bucket(bucketMeta)
	seq, err := audit.NextSequence()
	if err != nil {
		return fmt.Errorf("append audit entry: %w", err)
	}
	var last uint64
	if v := meta.Get(keyAuditLastSeq); len(v) == 8 {
		last = binary.BigEndian.Uint64(v)
	}
	if last != seq-1 {
		// Both move in the same transaction: only a file changed behind our
		// back gets here, and chaining onto the wrong hash would hide it.
		return fmt.Errorf("append audit entry: trail out of step: meta audit_last_seq %d, audit sequence %d: run verify", last, seq-1)
	}
	e.At = utc(e.At)
	e.Seq = seq
	e.PrevHash = string(meta.Get(keyAuditLastHash))
	e.Hash = ""
	// The hash must cover what is stored, and encoding changes some
	// values: Before and After are compacted and HTML-escaped, invalid
	// UTF-8 becomes U+FFFD. Hashing e as given would make Verify report
	// such an entry as tampered with, so e becomes what reads back first.
	data, err := json.Marshal(e)
	if err != nil {
		return fmt.Errorf("encode audit entry: %w", err)
	}
	var stored core.AuditEntry
	if err := json.Unmarshal(data, &stored); err != nil {
		return fmt.Errorf("encode audit entry: read back: %w", err)
	}
	*e = stored
	e.Hash = core.AuditHash(*e)
	if data, err = json.Marshal(e); err != nil {
		return fmt.Errorf("encode audit entry: %w", err)
	}
	if err := audit.Put(u64(seq), data); err != nil {
		return fmt.Errorf("append audit entry: %w", err)
	}
	if err := meta.Put(keyAuditLastSeq, u64(seq)); err != nil {
		return fmt.Errorf("append audit entry: %w", err)
	}
	if err := meta.Put(keyAuditLastHash, []byte(e.Hash)); err != nil {
		return fmt.Errorf("append audit entry: %w", err)
	}
	return nil
}

// Audit walks the trail in sequence order and keeps the entries with
// q.From ≤ At < q.To (a zero bound is open). The trail holds staff
// changes, a few a day, so a scan costs less than a time index would to
// keep.
func (t *tx) Audit(q core.AuditQuery, fn func(core.AuditEntry) error) error {
	n := 0
	c := t.bucket(bucketAudit).Cursor()
	first := c.First
	if q.After > 0 {
		first = func() ([]byte, []byte) { return c.Seek(u64(q.After + 1)) }
	}
	for k, data := first(); k != nil; k, data = c.Next() {
		var e core.AuditEntry
		if err := json.Unmarshal(data, &e); err != nil {
			return decodeError("audit entry "+auditKey(k), err)
		}
		if !q.From.IsZero() && e.At.Before(q.From) || !q.To.IsZero() && !e.At.Before(q.To) {
			continue
		}
		if err := fn(e); err != nil {
			return err
		}
		n++
		if q.Limit > 0 && n >= q.Limit {
			return nil
		}
	}
	return nil
}

// auditKey names the entry stored under key k: its sequence number, or the
// key itself if it is not one (a file changed behind our back).
func auditKey(k []byte) string {
	if len(k) != 8 {
		return fmt.Sprintf("%x", k)
	}
	return fmt.Sprint(binary.BigEndian.Uint64(k))
}

// Mark returns the progress mark name, 0 when it was never set: how far a
// link to other sites got (docs/federation.md). Marks are in meta under
// "mark.NAME".
func (t *tx) Mark(name string) (uint64, error) {
	v := t.bucket(bucketMeta).Get(markKey(name))
	switch len(v) {
	case 0:
		return 0, nil
	case 8:
		return binary.BigEndian.Uint64(v), nil
	}
	return 0, fmt.Errorf("%w: mark %s: %d bytes, want 8", core.ErrDamaged, name, len(v))
}

// PutMark sets the progress mark name.
func (t *tx) PutMark(name string, v uint64) error {
	return t.bucket(bucketMeta).Put(markKey(name), u64(v))
}

func markKey(name string) []byte { return []byte("mark." + name) }
