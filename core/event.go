package core

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
)

// EventHash returns the hash that chains e to the log: SHA-256 over the
// previous event's hash and e's JSON encoding with Hash left empty. A
// changed, removed or reordered event breaks every hash after it.
func EventHash(e Event) string {
	e.Hash = ""
	b, err := json.Marshal(e)
	if err != nil {
		// An Event holds only strings, numbers and a time: it always encodes.
		panic("core: encode event: " + err.Error())
	}
	h := sha256.New()
	h.Write([]byte(e.PrevHash))
	h.Write(b)
	return hex.EncodeToString(h.Sum(nil))
}
