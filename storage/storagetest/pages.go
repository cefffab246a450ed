package storagetest

import (
	"encoding/binary"
	"fmt"
	"os"
)

// Pages says where the pages of a database file are, so that a test can
// damage the one it means to. It reads the file as bbolt lays it out (see
// storage/pages.go), trusting it: use it on a sound file.
type Pages struct {
	// PageSize is the file's page size; Count how many pages it uses.
	PageSize int
	Count    uint64
	// Freelist is the free list page of the meta page in use, Meta that
	// meta page (0 or 1).
	Freelist uint64
	Meta     int
	// Branches and Leaves are the pages of each top-level bucket's tree,
	// by bucket name, in key order. A bucket small enough to live inside
	// its parent's page (inline) has none.
	Branches, Leaves map[string][]uint64
}

// ReadPages maps the pages of the database file at path.
func ReadPages(path string) (Pages, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return Pages{}, err
	}
	le := binary.NativeEndian
	p := Pages{Branches: map[string][]uint64{}, Leaves: map[string][]uint64{}}
	if len(data) < 4096 {
		return p, fmt.Errorf("%s: %d bytes, too short", path, len(data))
	}
	p.PageSize = int(le.Uint32(data[16+8:]))
	if len(data) < 2*p.PageSize {
		return p, fmt.Errorf("%s: %d bytes, too short", path, len(data))
	}
	// The meta page in use is the one with the higher transaction id.
	txid := func(page int) uint64 { return le.Uint64(data[page*p.PageSize+16+48:]) }
	if txid(1) > txid(0) {
		p.Meta = 1
	}
	meta := data[p.Meta*p.PageSize+16:]
	root := le.Uint64(meta[16:])
	p.Freelist = le.Uint64(meta[32:])
	p.Count = le.Uint64(meta[40:])

	page := func(id uint64) []byte { return data[int(id)*p.PageSize:] }
	var walk func(id uint64, bucket string)
	walk = func(id uint64, bucket string) {
		pg := page(id)
		flags, count := le.Uint16(pg[8:]), int(le.Uint16(pg[10:]))
		for i := range count {
			e := pg[16+i*16:]
			switch flags {
			case 0x01: // branch
				walk(le.Uint64(e[8:]), bucket)
			case 0x02: // leaf
				if bucket != "" || le.Uint32(e[0:])&1 == 0 {
					continue
				}
				pos, ksize := int(le.Uint32(e[4:])), int(le.Uint32(e[8:]))
				name := string(e[pos : pos+ksize])
				if broot := le.Uint64(e[pos+ksize:]); broot != 0 {
					walk(broot, name)
				}
			}
		}
		if bucket == "" {
			return
		}
		if flags == 0x01 {
			p.Branches[bucket] = append(p.Branches[bucket], id)
		} else {
			p.Leaves[bucket] = append(p.Leaves[bucket], id)
		}
	}
	walk(root, "")
	return p, nil
}

// LeafValue returns where, in data (the file's bytes), the key and the
// value of element i of leaf page id lie: data[key:value] is the key and
// data[value:end] the value.
func (p Pages) LeafValue(data []byte, id uint64, i int) (key, value, end int) {
	le := binary.NativeEndian
	at := int(id)*p.PageSize + 16 + i*16
	pos, ksize, vsize := int(le.Uint32(data[at+4:])), int(le.Uint32(data[at+8:])), int(le.Uint32(data[at+12:]))
	key = at + pos
	return key, key + ksize, key + ksize + vsize
}
