package core

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"time"
)

// auditTx is the Tx every change by a person goes through: it writes an
// audit entry for each object it creates, changes or deletes, with the
// object before and after. Taps do not use it: their trail is the event
// log.
type auditTx struct {
	Tx
	at     time.Time
	actor  Actor
	action string
	// summarize collects the ids of created objects into one entry instead
	// of one entry each: an import of 100,000 people is one line of the
	// trail, not 300,000, and the objects it created are in the database.
	summarize bool
	created   map[Kind][]string
	// branch: at a branch a change of the directory is refused
	// (CentralError, naming central, the central site's id when known)
	// unless fromCentral: it comes from there (ApplyDirectory).
	branch      bool
	central     string
	fromCentral bool
	// site is this site's id among the company's ("" alone), named in
	// refusals of another site's ids.
	site string
	// fromSite is the other site whose zones, doors and devices this
	// change mirrors (ApplySiteObjects): only it changes them.
	fromSite string
}

// change runs fn in an Update whose changes are audited as action by a.
// summary, when not nil, is called at the end for the operation's summing
// entry (imports); its After is set to the created ids by kind.
func (e *Engine) change(a Actor, action string, summarize bool, fn func(tx *auditTx) error) error {
	return e.store.Update(func(tx Tx) error {
		at := &auditTx{Tx: tx, at: e.now().UTC(), actor: a, action: action, summarize: summarize, created: map[Kind][]string{}}
		f := e.Federation()
		if f.Branch() {
			at.branch, at.central = true, f.Central
		}
		at.site = f.Site
		if err := fn(at); err != nil {
			return err
		}
		if !summarize {
			return nil
		}
		after, err := json.Marshal(map[string]any{"created": at.created})
		if err != nil {
			return err
		}
		return at.entry("", nil, after)
	})
}

// entry appends one audit entry.
func (t *auditTx) entry(object string, before, after []byte) error {
	return t.Tx.AppendAudit(&AuditEntry{
		At: t.at, Actor: t.actor.String(), ActorKind: t.actor.Kind, Action: t.action,
		Object: object, Before: before, After: after,
	})
}

// Put stores v and audits the change, if it is one.
func (t *auditTx) Put(kind Kind, id string, v any) error {
	before, existed, err := t.Tx.Raw(kind, id)
	if err != nil {
		return err
	}
	if err := t.mayChange(kind, id, before, existed, v); err != nil {
		return err
	}
	if err := t.Tx.Put(kind, id, v); err != nil {
		return err
	}
	if !existed && t.summarize {
		// The common case of a large import: no encoding twice.
		t.created[kind] = append(t.created[kind], id)
		return nil
	}
	after, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("audit %s %q: %w", kind, id, err)
	}
	switch {
	case existed && bytes.Equal(before, after):
		return nil // the same again: no change to record
	case !existed:
		before = nil
	}
	before, after = redact(kind, before, after)
	return t.entry(string(kind)+"/"+id, before, after)
}

// Delete removes kind/id and audits what it was.
func (t *auditTx) Delete(kind Kind, id string) error {
	before, existed, err := t.Tx.Raw(kind, id)
	if err != nil {
		return err
	}
	if existed {
		if err := t.mayChange(kind, id, before, existed, nil); err != nil {
			return err
		}
	}
	if err := t.Tx.Delete(kind, id); err != nil {
		return err
	}
	if !existed {
		return nil
	}
	before, _ = redact(kind, before, nil)
	return t.entry(string(kind)+"/"+id, before, nil)
}

// mayChange refuses a change of the directory at a branch (CentralError),
// unless it comes from the central site or records a login at this site
// (the count of failed logins and the lockout are the site's own). v is
// the new object, nil for a deletion; writing an object as it is changes
// nothing and is let through, so that a site file exported at a branch
// imports back.
func (t *auditTx) mayChange(kind Kind, id string, before []byte, existed bool, v any) error {
	if v != nil && existed {
		if after, err := json.Marshal(v); err == nil && bytes.Equal(before, after) {
			return nil
		}
	}
	// A door or device of another site is that site's; a zone of the same
	// id at two sites is one place (the outside), which this site may make
	// its own.
	if existed && (kind == KindDoor || kind == KindDevice) {
		var of struct{ Site string }
		if json.Unmarshal(before, &of) == nil && of.Site != "" && of.Site != t.fromSite {
			return &SiteOwnError{Kind: kind, ID: id, Site: of.Site, Here: t.site}
		}
	}
	if !t.branch || t.fromCentral || !IsDirectory(kind) || strings.HasPrefix(t.action, "login.") {
		return nil
	}
	return &CentralError{Kind: kind, ID: id, Central: t.central}
}

// PutSite stores the site settings and audits the change.
func (t *auditTx) PutSite(s Site) error {
	old, err := t.Tx.Site()
	if err != nil {
		return err
	}
	before, err := json.Marshal(old)
	if err != nil {
		return err
	}
	after, err := json.Marshal(s)
	if err != nil {
		return err
	}
	if err := t.Tx.PutSite(s); err != nil {
		return err
	}
	if bytes.Equal(before, after) {
		return nil
	}
	return t.entry("site", before, after)
}

// redact takes password hashes out of an account's JSON: the trail says
// that the password changed, never what it is.
func redact(kind Kind, before, after []byte) ([]byte, []byte) {
	if kind != KindAccount {
		return before, after
	}
	strip := func(raw []byte) (map[string]any, string) {
		if raw == nil {
			return nil, ""
		}
		var m map[string]any
		if json.Unmarshal(raw, &m) != nil {
			return nil, ""
		}
		h, _ := m["password_hash"].(string)
		delete(m, "password_hash")
		return m, h
	}
	bm, bh := strip(before)
	am, ah := strip(after)
	if am != nil && bm != nil && bh != ah {
		am["password_changed"] = true
	}
	enc := func(m map[string]any) []byte {
		if m == nil {
			return nil
		}
		b, _ := json.Marshal(m) // maps marshal in key order: stable
		return b
	}
	return enc(bm), enc(am)
}
