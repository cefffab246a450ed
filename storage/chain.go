package storage

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"math"
	"strconv"

	bolt "go.etcd.io/bbolt"

	"frontdesk/core"
)

// keySiteID is the meta key of the site's identity (see SiteID).
var keySiteID = []byte("site_id")

// SiteID returns the identity of the site the database holds: 16 hex
// digits drawn at random and kept in meta, which backups copy and a new
// database does not have. Signed checkpoints name it, so that one of
// another site is told apart from a changed log. Every database has one
// from its schema 4 (addSiteID); create makes one for a file that still
// lacks it, which only a database opened for writing can.
func (db *DB) SiteID(create bool) (string, error) {
	var id string
	err := db.contain(func() error {
		return db.bolt.View(func(btx *bolt.Tx) error {
			id = string(btx.Bucket(bucketMeta).Get(keySiteID))
			return nil
		})
	})
	if err != nil || id != "" || !create {
		return id, err
	}
	err = db.write(func(btx *bolt.Tx) error {
		if err := addSiteID(btx); err != nil {
			return err
		}
		id = string(btx.Bucket(bucketMeta).Get(keySiteID))
		return nil
	})
	if err != nil {
		return "", fmt.Errorf("site identity: %w", err)
	}
	return id, nil
}

// addSiteID is the v3 → v4 step: it gives the site its identity, unless
// it has one.
func addSiteID(btx *bolt.Tx) error {
	meta := btx.Bucket(bucketMeta)
	if meta.Get(keySiteID) != nil {
		return nil
	}
	b := make([]byte, 8)
	if _, err := rand.Read(b); err != nil {
		return err
	}
	return meta.Put(keySiteID, []byte(hex.EncodeToString(b)))
}

// Chain names one of the database's hash-chained logs.
type Chain string

// The chains.
const (
	EventLog   Chain = "event log"
	AuditTrail Chain = "audit trail"
)

// entry names an entry of c for people: "event 12", "audit entry 12".
func (c Chain) entry(seq uint64) string {
	if c == AuditTrail {
		return fmt.Sprintf("audit entry %d", seq)
	}
	return fmt.Sprintf("event %d", seq)
}

// Link is an entry of a chain: its sequence number and its stored hash.
type Link struct {
	Seq  uint64
	Hash string
}

// ChainState is what CheckChain found.
type ChainState struct {
	// Last is the chain's last entry; zero for an empty chain.
	Last Link
	// Broken is the first entry, from where the walk started, that is
	// missing, cannot be decoded, or whose hash does not match its content
	// or the entry before it; 0 when there is none. Why says what is wrong
	// with it, naming the entry, in English; Fault says the same as a
	// code with its values (Args), for a report in another language:
	//
	//	missing          the entry is not there
	//	ends_before      end: the chain ends at end, before the entry
	//	bad_key          a key is not a sequence number
	//	undecodable      error: the entry does not decode
	//	wrong_seq        value: the entry's seq field says value
	//	hash_mismatch    the hash does not match the content
	//	anchor_mismatch  value, want: not the hash it had when anchored
	//	prev_mismatch    prev_hash does not match the entry before
	Broken uint64
	Why    string
	Fault  string
	Args   map[string]string
	// Hashes holds the stored hash of each entry asked for that exists.
	Hashes map[uint64]string
}

// CheckChain walks chain c from entry from.Seq (from its first entry when
// from is zero) to its end, recomputing each hash and its link to the
// entry before it; entry from.Seq must still have the hash from.Hash. It
// notes the stored hash of the entries want names. Its error is for a
// walk that could not run or that ctx ended: a long log takes seconds.
func (db *DB) CheckChain(ctx context.Context, c Chain, from Link, want ...uint64) (ChainState, error) {
	st := ChainState{Hashes: make(map[uint64]string, len(want))}
	wanted := make(map[uint64]bool, len(want))
	for _, s := range want {
		wanted[s] = true
	}
	// A chain is a range of keys of its bucket: those that start with
	// prefix, followed by the big-endian seq.
	bucket, decode, prefix := bucketEvents, decodeEventLink, []byte(nil)
	if c == AuditTrail {
		bucket, decode = bucketAudit, decodeAuditLink
	} else if site, ok := c.site(); ok {
		if err := checkSiteID(site); err != nil {
			return ChainState{}, err
		}
		bucket, prefix = bucketSiteEvents, append([]byte(site), 0)
	}
	// Like every read, the walk is contained: a damaged page is an error,
	// and a bucket Open put out of reach is not walked at all.
	if err := db.quarantine[string(bucket)]; err != nil {
		return ChainState{}, fmt.Errorf("check the %s: %w", c, err)
	}
	err := db.contain(func() error {
		return db.bolt.View(func(btx *bolt.Tx) error {
			broken := func(seq uint64, fault string, kv []string, format string, args ...any) {
				if st.Broken == 0 {
					st.Broken, st.Why = seq, c.entry(seq)+": "+fmt.Sprintf(format, args...)
					st.Fault, st.Args = fault, map[string]string{}
					for i := 0; i+1 < len(kv); i += 2 {
						st.Args[kv[i]] = kv[i+1]
					}
				}
			}
			b := btx.Bucket(bucket)
			if b == nil {
				return damaged("", "bucket %s is missing", bucket)
			}
			cur := b.Cursor()
			k, v := cur.Last()
			if prefix != nil {
				end := append(bytes.Clone(prefix), u64(math.MaxUint64)...)
				if k, v = cur.Seek(end); !bytes.Equal(k, end) {
					k, v = cur.Prev()
				}
			}
			if k != nil && bytes.HasPrefix(k, prefix) && len(k) == len(prefix)+8 {
				st.Last = Link{Seq: binary.BigEndian.Uint64(k[len(prefix):])}
				if l, _, err := decode(v); err == nil {
					st.Last.Hash = l.Hash
				}
			}
			start := max(from.Seq, 1)
			if from.Seq > st.Last.Seq {
				broken(from.Seq, "ends_before", []string{"end", strconv.FormatUint(st.Last.Seq, 10)},
					"missing: the %s ends at %d", c, st.Last.Seq)
				return nil
			}
			prev := Link{Seq: start - 1, Hash: ""}
			n := 0
			for k, v := cur.Seek(append(bytes.Clone(prefix), u64(start)...)); k != nil && bytes.HasPrefix(k, prefix); k, v = cur.Next() {
				if n++; n%4096 == 0 && ctx.Err() != nil {
					return ctx.Err()
				}
				k = k[len(prefix):]
				if len(k) != 8 {
					broken(prev.Seq+1, "bad_key", nil, "a key is not a sequence number")
					continue
				}
				seq := binary.BigEndian.Uint64(k)
				if seq != prev.Seq+1 {
					broken(prev.Seq+1, "missing", nil, "missing")
				}
				l, computed, err := decode(v)
				switch {
				case err != nil:
					broken(seq, "undecodable", []string{"error", err.Error()}, "cannot be decoded: %v", err)
				case l.Seq != seq:
					broken(seq, "wrong_seq", []string{"value", strconv.FormatUint(l.Seq, 10)}, "its seq field says %d", l.Seq)
				case computed != l.Hash:
					broken(seq, "hash_mismatch", nil, "hash does not match its content")
				case seq == from.Seq && l.Hash != from.Hash:
					broken(seq, "anchor_mismatch", []string{"value", short(l.Hash), "want", short(from.Hash)},
						"its hash is %s, not %s as when it was anchored", short(l.Hash), short(from.Hash))
				case seq > from.Seq && seq == prev.Seq+1 && l.PrevHash != prev.Hash:
					broken(seq, "prev_mismatch", nil, "prev_hash does not match %s", c.entry(prev.Seq))
				}
				if wanted[seq] && err == nil {
					st.Hashes[seq] = l.Hash
				}
				prev = Link{Seq: seq, Hash: l.Hash}
			}
			return nil
		})
	})
	if err != nil {
		return ChainState{}, fmt.Errorf("check the %s: %w", c, err)
	}
	return st, nil
}

// link is what CheckChain reads of an entry.
type link struct {
	Seq      uint64 `json:"seq"`
	PrevHash string `json:"prev_hash"`
	Hash     string `json:"hash"`
}

// decodeEventLink decodes an event: its link and its recomputed hash.
func decodeEventLink(v []byte) (link, string, error) {
	var e core.Event
	if err := json.Unmarshal(v, &e); err != nil {
		return link{}, "", err
	}
	return link{Seq: e.Seq, PrevHash: e.PrevHash, Hash: e.Hash}, core.EventHash(e), nil
}

// decodeAuditLink decodes an audit entry: its link and its recomputed
// hash.
func decodeAuditLink(v []byte) (link, string, error) {
	var e core.AuditEntry
	if err := json.Unmarshal(v, &e); err != nil {
		return link{}, "", err
	}
	return link{Seq: e.Seq, PrevHash: e.PrevHash, Hash: e.Hash}, core.AuditHash(e), nil
}

// short is the start of a hash, for messages.
func short(h string) string {
	if len(h) > 12 {
		return h[:12] + "…"
	}
	if h == "" {
		return "empty"
	}
	return h
}
