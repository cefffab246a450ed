package storage

import (
	"cmp"
	"fmt"
	"os"
	"slices"
)

// bbolt walks down from a bucket's root to a record through the page
// numbers it finds, and trusts them. Most damage on the way makes it
// panic (a page whose header names another page, an unknown page type),
// or read outside its memory map, which faults: contain turns both into
// ErrDamaged. Some damage makes it walk for ever: a branch whose element
// points back to itself or to an ancestor, or a leaf whose type was
// changed to another that bbolt accepts (a branch, the free list, a meta
// page), which it then walks down as a branch, reading key and value sizes
// as page numbers (an index leaf's values are empty: its key sizes are
// small page numbers, pages of the same tree). Seek and Get recurse, and
// overflow the Go stack, which is fatal; First and Last loop, and run out
// of memory. No recover catches either.
//
// So Open walks the tree the way bbolt would, before bbolt does, and puts
// out of reach each bucket where bbolt would not come back (see
// tx.bucket): reading it gives its error, while the other buckets stay
// usable (the muster list reads the presence of each person, not the
// event log). Damage that makes bbolt panic or fault is left to contain.
//
// The walk goes breadth first: each level of pages, in page order, is read
// by chunks of neighbouring pages, since most of a file is leaves, of
// which only the header matters. A file of 100,000 events (65 MB) takes
// about 10 ms; Verify reads every page in full, after.

// descentChunk is how many pages a read of a level takes at most: one read
// of neighbouring pages costs less than one per page (16,000 leaves: 10 ms
// read by the megabyte, 40 ms one header at a time).
const descentChunk = 256

// descentGap is the most pages a chunk reads between two it needs.
const descentGap = 8

// pageRef is a page bbolt may go down to: the root of a bucket (parent 0)
// or what element elem of branch page parent points to. There is one per
// leaf of the file: it is kept small.
type pageRef struct {
	id, parent uint64
	elem       uint32
	bucket     uint32 // in descent.buckets
}

// descent is one walk of checkDescent.
type descent struct {
	f *os.File
	l layout
	// seen holds the pages walked down as branches.
	seen    pageSet
	buckets []string
	// unsafe holds the first damage found in each bucket, by index.
	unsafe map[uint32]string
}

// checkDescent walks the file f (at path), whose meta pages l describes,
// the way bbolt goes down to records, and returns the buckets bbolt must
// not enter, by name, with the error their damage gives. Damage in the
// root bucket, which holds the others, is an error matching ErrDamaged.
func checkDescent(path string, f *os.File, l layout) (map[string]error, error) {
	d := &descent{f: f, l: l, seen: newPageSet(l.use.pgid), unsafe: map[uint32]string{}}
	roots, err := d.rootBucket(l.use.root, 0)
	if err != nil {
		return nil, damaged(path, "the root bucket: %v", err)
	}
	if err := d.walk(roots); err != nil {
		return nil, fmt.Errorf("open database %s: %w", path, err)
	}
	quarantine := map[string]error{}
	for i, what := range d.unsafe {
		quarantine[d.buckets[i]] = damaged(path, "bucket %q: %s", d.buckets[i], what)
	}
	return quarantine, nil
}

// rootBucket reads the tree of the root bucket, from page id down, in
// full, and returns the roots of the buckets it holds. The buckets held
// inline in its leaves are checked there.
func (d *descent) rootBucket(id uint64, depth int) ([]pageRef, error) {
	switch {
	case depth > maxTreeDepth:
		return nil, fmt.Errorf("more than %d pages deep", maxTreeDepth)
	case id < 2 || id >= d.l.use.pgid:
		return nil, fmt.Errorf("page %d is not a page of the file (it has %d)", id, d.l.use.pgid)
	}
	if d.seen.add(id) {
		return nil, fmt.Errorf("page %d is used twice", id)
	}
	p, err := readPage(fileReader{f: d.f}, d.l, id)
	if err != nil {
		return nil, err
	}
	if pageHeaderSize+int(p.count)*elementSize > len(p.data) {
		return nil, fmt.Errorf("page %d: %d elements do not fit in the page", id, p.count)
	}
	var roots []pageRef
	for i := range int(p.count) {
		off := pageHeaderSize + i*elementSize
		e := p.data[off:]
		switch p.flags {
		case branchPage:
			more, err := d.rootBucket(order.Uint64(e[8:]), depth+1)
			if err != nil {
				return nil, err
			}
			roots = append(roots, more...)
		case leafPage:
			flags := order.Uint32(e[0:])
			pos, ksize, vsize := int(order.Uint32(e[4:])), int(order.Uint32(e[8:])), int(order.Uint32(e[12:]))
			if off+pos+ksize+vsize > len(p.data) {
				return nil, fmt.Errorf("page %d: element %d reaches past the page", id, i)
			}
			if flags&bucketLeafFlag == 0 {
				continue
			}
			d.buckets = append(d.buckets, string(p.data[off+pos:off+pos+ksize]))
			b := uint32(len(d.buckets) - 1)
			value := p.data[off+pos+ksize : off+pos+ksize+vsize]
			switch {
			case len(value) < bucketHeaderLen:
				d.fault(b, "a bucket header of %d bytes", len(value))
			case order.Uint64(value) != 0:
				roots = append(roots, pageRef{id: order.Uint64(value), bucket: b})
			case len(value) < bucketHeaderLen+pageHeaderSize || order.Uint16(value[bucketHeaderLen+8:]) != leafPage:
				// bbolt would walk down the inline page as a branch.
				d.fault(b, "its page, held in page %d, is not a leaf", id)
			}
		default:
			return nil, fmt.Errorf("page %d: flags %#x, want a branch or leaf page", id, p.flags)
		}
	}
	return roots, nil
}

// fault records damage in bucket b; the walk of that bucket stops.
func (d *descent) fault(b uint32, format string, args ...any) {
	if _, ok := d.unsafe[b]; !ok {
		d.unsafe[b] = fmt.Sprintf(format, args...)
	}
}

// walk goes down from the pages of level, one level at a time.
func (d *descent) walk(level []pageRef) error {
	ps := d.l.pageSize()
	var buf []byte
	for depth := 1; len(level) > 0; depth++ {
		inFile := level[:0]
		for _, ref := range level {
			if ref.id < 2 || ref.id >= d.l.use.pgid {
				d.fault(ref.bucket, "%s page %d, which is not a page of the file", d.from(ref), ref.id)
			} else {
				inFile = append(inFile, ref)
			}
		}
		level = inFile
		slices.SortFunc(level, func(a, b pageRef) int { return cmp.Compare(a.id, b.id) })
		var next []pageRef
		for i := 0; i < len(level); {
			// A chunk is a run of pages close to each other: a level
			// that is sparse (branches) is read page by page.
			first := level[i].id
			j := i + 1
			for j < len(level) && level[j].id < first+descentChunk && level[j].id-level[j-1].id <= descentGap {
				j++
			}
			n := int((level[j-1].id - first + 1) * uint64(ps))
			if cap(buf) < n {
				buf = make([]byte, n)
			}
			chunk := buf[:n]
			if _, err := d.f.ReadAt(chunk, int64(first)*ps); err != nil {
				return err
			}
			for k := i; k < j; k++ {
				ref := level[k]
				if _, bad := d.unsafe[ref.bucket]; bad {
					continue
				}
				if k > i && level[k-1].id == ref.id || d.seen.has(ref.id) {
					d.fault(ref.bucket, "%s page %d, which is used twice", d.from(ref), ref.id)
					continue
				}
				if d.l.free.has(ref.id) {
					d.fault(ref.bucket, "%s page %d, a free page", d.from(ref), ref.id)
					continue
				}
				at := int64(ref.id-first) * ps
				next = d.page(ref, chunk[at:at+ps], depth, next)
			}
			i = j
		}
		level = next
	}
	return nil
}

// from says where ref was found, for messages.
func (d *descent) from(ref pageRef) string {
	if ref.parent == 0 {
		return "the bucket's root is"
	}
	return fmt.Sprintf("page %d: element %d points to", ref.parent, ref.elem)
}

// page looks at the first page of ref, h, as bbolt would, and appends
// to next the pages bbolt would go down to from it.
func (d *descent) page(ref pageRef, h []byte, depth int, next []pageRef) []pageRef {
	switch flags := order.Uint16(h[8:]); {
	case order.Uint64(h) != ref.id:
		return next // bbolt's check of the page number panics here
	case flags == leafPage:
		return next
	case flags != branchPage && flags != freelistPage && flags != metaPage:
		return next // an unknown type: bbolt's check panics
	case flags != branchPage:
		d.fault(ref.bucket, "page %d: flags %#x where bbolt expects a branch or a leaf, which it would walk down", ref.id, flags)
		return next
	case depth > maxTreeDepth:
		d.fault(ref.bucket, "more than %d pages deep", maxTreeDepth)
		return next
	}
	d.seen.add(ref.id)
	data := h
	count := int(order.Uint16(h[10:]))
	if overflow := uint64(order.Uint32(h[12:])); overflow > 0 && pageHeaderSize+count*elementSize > len(h) {
		p, err := readPage(fileReader{f: d.f}, d.l, ref.id)
		if err != nil {
			d.fault(ref.bucket, "%v", err)
			return next
		}
		data = p.data
	}
	if count == 0 || pageHeaderSize+count*elementSize > len(data) {
		// bbolt never writes an empty branch; walking back from one,
		// it would read the element before the first.
		d.fault(ref.bucket, "page %d: a branch of %d elements", ref.id, count)
		return next
	}
	for i := range count {
		e := data[pageHeaderSize+i*elementSize:]
		next = append(next, pageRef{id: order.Uint64(e[8:]), parent: ref.id, elem: uint32(i), bucket: ref.bucket})
	}
	return next
}
