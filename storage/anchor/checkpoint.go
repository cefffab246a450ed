// Package anchor makes and reads signed checkpoints of a site's
// hash-chained logs (the event log and the audit trail): the last sequence
// number and chain hash of each, signed with an Ed25519 key kept outside
// the database. Anyone who can write the database file can recompute its
// chains, but not a checkpoint copied, printed or mailed before: checked
// against one (`frontdesk verify --checkpoint`), a log changed or cut off
// since is found out.
//
// A checkpoint is one line of text:
//
//	frontdesk-checkpoint v1 site=SITE events=SEQ:HASH audit=SEQ:HASH at=TIME key=KEY sig=SIG
//
// SITE is the site's identity (16 hex digits, kept in the database), the
// two SEQ:HASH are the last entry of each chain (SEQ 0 and no HASH for an
// empty one), TIME is when it was made (RFC 3339, UTC, seconds), KEY
// names the signing key (KeyID) and SIG is the Ed25519 signature, in hex,
// of the line up to the space before "sig=". Everything is lowercase hex
// or digits, so that a person can copy it from paper. This package does
// no database work: the caller reads the chains (storage) and the key and
// files it keeps here are the only I/O.
package anchor

import (
	"crypto/ed25519"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"frontdesk/core"
)

// Prefix starts every checkpoint line.
const Prefix = "frontdesk-checkpoint"

// version is the only layout this code reads and writes.
const version = "v1"

// Errors of Verify, matched with errors.Is.
var (
	// ErrUntrustedKey: the checkpoint is signed by a key that is not among
	// the trusted ones.
	ErrUntrustedKey = errors.New("key not trusted")
	// ErrBadSignature: the checkpoint's text is not what its key signed.
	ErrBadSignature = errors.New("bad signature")
)

// Head is the last entry of a chain when the checkpoint was made: its
// sequence number and hash (0 and "" for an empty chain).
type Head struct {
	Seq  uint64 `json:"seq"`
	Hash string `json:"hash"`
}

// Checkpoint is a signed statement of where a site's chains ended.
type Checkpoint struct {
	// Site is the identity of the site's database (storage.DB.SiteID).
	Site string
	// Events and Audit are the last entries of the event log and of the
	// audit trail.
	Events Head
	Audit  Head
	// At is when it was made, in UTC, to the second.
	At time.Time
	// Key is the id of the key that signed it (PublicKey.ID), Sig the
	// signature.
	Key string
	Sig []byte
}

// body is the signed part of the line: everything before " sig=".
func (c Checkpoint) body() string {
	return fmt.Sprintf("%s %s site=%s events=%s audit=%s at=%s key=%s", Prefix, version, c.Site,
		c.Events.text(), c.Audit.text(), c.At.UTC().Format(timeLayout), c.Key)
}

// String is the checkpoint's line, without a newline.
func (c Checkpoint) String() string {
	return c.body() + " sig=" + hex.EncodeToString(c.Sig)
}

// timeLayout is how At is written: RFC 3339 in UTC, to the second.
const timeLayout = "2006-01-02T15:04:05Z"

func (h Head) text() string { return strconv.FormatUint(h.Seq, 10) + ":" + h.Hash }

// Verify checks c's signature with the trusted key of c.Key. Its error
// matches ErrUntrustedKey when none of trusted has that id, and
// ErrBadSignature when the signature does not match the text.
func (c Checkpoint) Verify(trusted []PublicKey) error {
	for _, k := range trusted {
		if k.ID() != c.Key {
			continue
		}
		if !ed25519.Verify(k.key, []byte(c.body()), c.Sig) {
			return fmt.Errorf("%w: the checkpoint is not what key %s signed: it was altered", ErrBadSignature, c.Key)
		}
		return nil
	}
	return fmt.Errorf("%w: signed by key %s, which is not %s", ErrUntrustedKey, c.Key, keyList(trusted))
}

// keyList names the trusted keys for an error.
func keyList(keys []PublicKey) string {
	switch len(keys) {
	case 0:
		return "trusted (no key is)"
	case 1:
		return "the trusted key " + keys[0].ID()
	}
	ids := make([]string, len(keys))
	for i, k := range keys {
		ids[i] = k.ID()
	}
	return "one of the trusted keys " + strings.Join(ids, ", ")
}

// Parse reads one checkpoint. Blanks between the fields may be any run of
// spaces, tabs and newlines (a checkpoint copied from a PDF's footer spans
// lines); the fields themselves must be exactly as String writes them. The
// error wraps core.ErrInvalid and names the field at fault.
func Parse(s string) (Checkpoint, error) {
	return parseFields(strings.Fields(s))
}

// fieldNames are the fields of a v1 checkpoint, in their order.
var fieldNames = []string{"site", "events", "audit", "at", "key", "sig"}

func parseFields(f []string) (Checkpoint, error) {
	var c Checkpoint
	bad := func(format string, args ...any) (Checkpoint, error) {
		return Checkpoint{}, fmt.Errorf("%w: checkpoint: "+format, append([]any{core.ErrInvalid}, args...)...)
	}
	if len(f) == 0 || f[0] != Prefix {
		return bad("does not start with %q", Prefix)
	}
	if len(f) < 2 || f[1] != version {
		if len(f) >= 2 && strings.HasPrefix(f[1], "v") {
			return bad("version %q is not known to this Frontdesk (it knows %s)", f[1], version)
		}
		return bad("no version after %q", Prefix)
	}
	if len(f) != 2+len(fieldNames) {
		return bad("%d fields, want %d (%s)", len(f)-2, len(fieldNames), strings.Join(fieldNames, ", "))
	}
	vals := make(map[string]string, len(fieldNames))
	for i, name := range fieldNames {
		v, ok := strings.CutPrefix(f[2+i], name+"=")
		if !ok {
			return bad("field %d is %q, want %s=...", i+1, clip(f[2+i]), name)
		}
		vals[name] = v
	}
	var err error
	if c.Site, err = hexField("site", vals["site"], siteIDLen); err != nil {
		return bad("%v", err)
	}
	if c.Events, err = parseHead("events", vals["events"]); err != nil {
		return bad("%v", err)
	}
	if c.Audit, err = parseHead("audit", vals["audit"]); err != nil {
		return bad("%v", err)
	}
	if c.At, err = time.Parse(timeLayout, vals["at"]); err != nil || c.At.Format(timeLayout) != vals["at"] {
		return bad("at=%q: want a UTC time such as 2026-11-24T09:00:00Z", clip(vals["at"]))
	}
	if c.Key, err = hexField("key", vals["key"], keyIDLen); err != nil {
		return bad("%v", err)
	}
	sig, err := hexField("sig", vals["sig"], 2*ed25519.SignatureSize)
	if err != nil {
		return bad("%v", err)
	}
	c.Sig, _ = hex.DecodeString(sig)
	return c, nil
}

// Lengths, in hex digits, of the fields of fixed length.
const (
	siteIDLen = 16
	keyIDLen  = 16
	hashLen   = 64
)

// hexField checks that v is n lowercase hex digits.
func hexField(name, v string, n int) (string, error) {
	if len(v) != n || !isHex(v) {
		return "", fmt.Errorf("%s=%q: want %d lowercase hex digits", name, clip(v), n)
	}
	return v, nil
}

func isHex(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
			return false
		}
	}
	return true
}

// parseHead reads SEQ:HASH: a decimal without leading zeros and a hash,
// or "0:" for an empty chain.
func parseHead(name, v string) (Head, error) {
	seq, hash, ok := strings.Cut(v, ":")
	n, err := strconv.ParseUint(seq, 10, 64)
	if !ok || err != nil || strconv.FormatUint(n, 10) != seq {
		return Head{}, fmt.Errorf("%s=%q: want SEQ:HASH, such as 1234:%s…", name, clip(v), strings.Repeat("0", 8))
	}
	if n == 0 {
		if hash != "" {
			return Head{}, fmt.Errorf("%s=%q: an empty chain (0) has no hash", name, clip(v))
		}
		return Head{}, nil
	}
	if len(hash) != hashLen || !isHex(hash) {
		return Head{}, fmt.Errorf("%s=%q: the hash must be %d lowercase hex digits", name, clip(v), hashLen)
	}
	return Head{Seq: n, Hash: hash}, nil
}

// clip shortens what an error quotes back.
func clip(s string) string {
	if len(s) > 40 {
		return s[:40] + "…"
	}
	return s
}
