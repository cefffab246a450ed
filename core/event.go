package core

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"strconv"
	"time"
)

// eventHashVersion names the encoding EventHash hashes. The encoding is
// spelled out field by field, not taken from the Event struct, so adding a
// field to Event cannot change the hash of events already logged; a field
// that must be covered by the chain needs a new version, chosen per event.
const eventHashVersion = "frontdesk-event-v1"

// eventHashVersionReason is the encoding of events with a reason code
// (Event.Why): v1's fields, then the reason. The reason is hashed, not
// only the English Explanation, because it is what the screens, the CLI
// and the reports show: a reason changed in the file would otherwise show
// another story than the chained sentence. Events without a reason, all
// those logged before reasons existed, keep v1 and verify as they did.
const eventHashVersionReason = "frontdesk-event-v2"

// EventHash returns the hash that chains e to the log: SHA-256 over the
// version, the previous event's hash and each field of e in a fixed order,
// each prefixed by its length. A changed, removed or reordered event breaks
// every hash after it.
func EventHash(e Event) string {
	if e.Why != nil {
		return chainHash(eventHashVersionReason, e.PrevHash, e.Seq, e.At, e.Reader, e.Door, string(e.Direction), e.Card, e.Person,
			string(e.Result), e.Explanation, e.Grant, e.Zone, e.Why.hashText())
	}
	return chainHash(eventHashVersion, e.PrevHash, e.Seq, e.At, e.Reader, e.Door, string(e.Direction), e.Card, e.Person,
		string(e.Result), e.Explanation, e.Grant, e.Zone)
}

// chainHash is the hash of a link of a chain, the event log or the audit
// trail: SHA-256 over the version, the previous link's hash, the sequence
// number, the instant and the fields, each prefixed by its length.
func chainHash(version, prev string, seq uint64, at time.Time, fields ...string) string {
	h := sha256.New()
	var buf []byte
	field := func(s string) {
		buf = binary.AppendUvarint(buf[:0], uint64(len(s)))
		h.Write(buf)
		h.Write([]byte(s))
	}
	field(version)
	field(prev)
	field(strconv.FormatUint(seq, 10))
	field(strconv.FormatInt(at.UnixNano(), 10))
	for _, s := range fields {
		field(s)
	}
	return hex.EncodeToString(h.Sum(nil))
}
