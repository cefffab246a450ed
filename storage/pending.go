package storage

import (
	"bytes"
	"slices"
	"strings"

	bolt "go.etcd.io/bbolt"

	"frontdesk/core"
)

// Index entries written in a transaction are held in memory and written in
// key order when the transaction's work is done (flush).
//
// bbolt splits nodes only at commit, so inside one transaction a bucket
// grows as a single node, and each key inserted anywhere but at its end
// moves every key after it. Index keys arrive in no useful order (an import
// files each card under three widths, a tap storm files events under
// random people), which made a 100,000-person import quadratic: minutes
// instead of seconds. Written in key order, each insert lands at the end.
//
// Reads in the same transaction see the held entries: prefix reads
// (indexScan) merge them in, and Events, which walks ranges, flushes first.

// pendingIndex holds one index bucket's entries, grouped by the key's
// first part (up to sep), which every prefix read names in full.
type pendingIndex map[string]map[string]bool // first part → key → put (true) or delete (false)

func firstPart(key []byte) string {
	if i := bytes.IndexByte(key, sep[0]); i >= 0 {
		return string(key[:i])
	}
	return string(key)
}

// indexPut files key in the index bucket name.
func (t *tx) indexPut(name, key []byte) { t.indexSet(name, key, true) }

// indexDelete removes key from the index bucket name.
func (t *tx) indexDelete(name, key []byte) { t.indexSet(name, key, false) }

func (t *tx) indexSet(name, key []byte, put bool) {
	if t.pending == nil {
		t.pending = map[string]pendingIndex{}
	}
	p := t.pending[string(name)]
	if p == nil {
		p = pendingIndex{}
		t.pending[string(name)] = p
	}
	g := firstPart(key)
	if p[g] == nil {
		p[g] = map[string]bool{}
	}
	p[g][string(key)] = put
}

// indexScan calls fn with the rest of every key of the index bucket name
// that starts with prefix, held entries included, in key order. prefix
// must end with sep.
func (t *tx) indexScan(name, prefix []byte, fn func(rest []byte) error) error {
	held := t.pending[string(name)][firstPart(prefix)]
	if len(held) == 0 {
		return forPrefix(t.bucket(name), prefix, fn)
	}
	keys := map[string]bool{}
	if err := forPrefix(t.bucket(name), prefix, func(rest []byte) error {
		keys[string(rest)] = true
		return nil
	}); err != nil {
		return err
	}
	for k, put := range held {
		if rest, ok := strings.CutPrefix(k, string(prefix)); ok {
			if put {
				keys[rest] = true
			} else {
				delete(keys, rest)
			}
		}
	}
	sorted := make([]string, 0, len(keys))
	for k := range keys {
		sorted = append(sorted, k)
	}
	slices.Sort(sorted)
	for _, k := range sorted {
		if err := fn([]byte(k)); err != nil {
			return err
		}
	}
	return nil
}

// flush writes the held index entries, each bucket's in key order.
func (t *tx) flush() error {
	for name, p := range t.pending {
		type entry struct {
			key string
			put bool
		}
		var entries []entry
		for _, g := range p {
			for k, put := range g {
				entries = append(entries, entry{k, put})
			}
		}
		slices.SortFunc(entries, func(a, b entry) int { return strings.Compare(a.key, b.key) })
		b := t.bucket([]byte(name))
		for _, e := range entries {
			var err error
			if e.put {
				err = b.Put([]byte(e.key), empty)
			} else {
				err = b.Delete([]byte(e.key))
			}
			if err != nil {
				return err
			}
		}
	}
	t.pending = nil
	return nil
}

// withTx runs fn on a read-write transaction and writes the index entries
// it held; quarantine is the DB's (see tx).
func withTx(btx *bolt.Tx, quarantine map[string]error, fn func(core.Tx) error) error {
	t := &tx{btx: btx, quarantine: quarantine}
	if err := fn(t); err != nil {
		return err
	}
	return t.flush()
}
