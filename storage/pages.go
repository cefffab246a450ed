package storage

import (
	"encoding/binary"
	"fmt"
	"hash/fnv"
	"io"
	"os"

	"frontdesk/core"
)

// bbolt reads its pages through a memory map and believes what they say:
// a damaged page makes it panic, or read outside the file, which faults.
// contain catches both on the goroutines that call into the database.
// What it cannot reach: bbolt's Check, which walks the file on a goroutine
// of its own; Open, whose failures must name the file and leave it
// untouched; and a walk that never ends (see descent.go). For those the
// file is read here first, without bbolt: its meta pages and free list at
// every Open (a few kilobytes), what bbolt walks down through
// (checkDescent, at every Open), and the whole page tree (before Check),
// so that bbolt only walks a file whose every page and element lies where
// it may.
//
// The layout is bbolt's (go.etcd.io/bbolt/internal/common), in the byte
// order of the machine that wrote it:
//
//	page header (16 bytes): id u64, flags u16, count u16, overflow u32
//	meta (after the header): magic u32, version u32, page size u32,
//	    flags u32, root bucket (root u64, sequence u64), freelist u64,
//	    pgid u64 (high water mark), txid u64, checksum u64 (FNV-64a of
//	    the fields before it)
//	branch element (16 bytes): pos u32, ksize u32, pgid u64
//	leaf element (16 bytes): flags u32, pos u32, ksize u32, vsize u32
//	    (pos counts from the element itself; flag 1 marks a bucket, whose
//	    value is a bucket header, root u64 and sequence u64, followed when
//	    root is 0 by an inline page)
//	freelist: count in the header, or 0xFFFF and the count in the first
//	    u64; then the free page ids, u64 each
const (
	pageHeaderSize  = 16
	elementSize     = 16
	bucketHeaderLen = 16
	metaSize        = 56 // up to the checksum

	branchPage   = 0x01
	leafPage     = 0x02
	freelistPage = 0x10

	metaPage = 0x04

	boltMagic      = 0xED0CDAED
	boltVersion    = 2
	noFreelist     = ^uint64(0)
	bucketLeafFlag = 0x01

	// maxTreeDepth bounds the walk: a tree of 4 KB pages holding the
	// largest file Frontdesk makes is a handful of levels deep, and a
	// damaged branch could otherwise point back up.
	maxTreeDepth = 64
)

var order = binary.NativeEndian

// meta is one meta page as read from the file.
type meta struct {
	page                 int // 0 or 1
	magic                bool
	pageSize             uint32
	root, freelist, pgid uint64
	txid                 uint64
	// bad says why bbolt would not use the page; "" if it would.
	bad string
}

// readMeta decodes the meta page at the start of b.
func readMeta(page int, b []byte) meta {
	m := meta{page: page}
	if len(b) < pageHeaderSize+metaSize+8 {
		m.bad = "cut short"
		return m
	}
	v := b[pageHeaderSize:]
	m.magic = order.Uint32(v[0:]) == boltMagic
	switch {
	case !m.magic:
		m.bad = "not a bbolt meta page"
		return m
	case order.Uint32(v[4:]) != boltVersion:
		m.bad = fmt.Sprintf("bbolt file format %d, want %d", order.Uint32(v[4:]), boltVersion)
		return m
	}
	sum := fnv.New64a()
	sum.Write(v[:metaSize])
	if sum.Sum64() != order.Uint64(v[metaSize:]) {
		m.bad = "checksum does not match"
		return m
	}
	m.pageSize = order.Uint32(v[8:])
	m.root = order.Uint64(v[16:])
	m.freelist = order.Uint64(v[32:])
	m.pgid = order.Uint64(v[40:])
	m.txid = order.Uint64(v[48:])
	return m
}

// layout is what the meta pages of a bbolt file say.
type layout struct {
	size  int64
	metas [2]meta
	// use is the meta page bbolt reads: the valid one with the higher
	// transaction id.
	use meta
	// free holds the pages of the free list, and the free list's own.
	free pageSet
}

// metaProblems describes the meta pages bbolt cannot use.
func (l layout) metaProblems() []Finding {
	var out []Finding
	for _, m := range l.metas {
		if m.bad != "" {
			out = append(out, findingf("meta page %d is unreadable (%s): the file falls back to meta page %d, commit %d",
				m.page, core.Word(m.bad), l.use.page, l.use.txid))
		}
	}
	return out
}

// pageSize is the file's page size.
func (l layout) pageSize() int64 { return int64(l.use.pageSize) }

// inspect reads the meta pages of the file f, at path, and checks what
// bbolt would trust in them: that they are there, that the page tree and
// the free list they name lie inside the file, and that the free list
// page holds what it says. An empty file, or one that is not a bbolt
// file, is not a Frontdesk database; the rest is damage.
func inspect(path string, f *os.File) (layout, error) {
	var l layout
	st, err := f.Stat()
	if err != nil {
		return l, err
	}
	l.size = st.Size()
	if l.size == 0 {
		return l, notDatabase(path, "the file is empty (a new database is only made where no file exists): remove it to start a new one, or restore a backup (see README)")
	}
	head := make([]byte, 4096)
	n, err := f.ReadAt(head, 0)
	if err != nil && err != io.EOF {
		return l, fmt.Errorf("read %s: %w", path, err)
	}
	l.metas[0] = readMeta(0, head[:n])
	// The second meta page sits one page in: the first one says where;
	// if it cannot, try each page size bbolt could have used.
	sizes := []int64{int64(l.metas[0].pageSize)}
	if l.metas[0].bad != "" {
		sizes = sizes[:0]
		for i := range 15 {
			sizes = append(sizes, 1024<<i)
		}
	}
	first := head[:n]
	l.metas[1] = meta{page: 1, bad: "cut short"}
	buf := make([]byte, 4096)
	for _, ps := range sizes {
		if ps >= l.size {
			break
		}
		n, err := f.ReadAt(buf, ps)
		if err != nil && err != io.EOF {
			return l, fmt.Errorf("read %s: %w", path, err)
		}
		m := readMeta(1, buf[:n])
		if m.bad == "" && int64(m.pageSize) != ps {
			m.bad = fmt.Sprintf("page size %d, found at %d", m.pageSize, ps)
		}
		l.metas[1] = m
		if m.bad == "" || l.metas[0].bad == "" {
			break
		}
	}
	m0, m1 := l.metas[0], l.metas[1]
	switch {
	case m0.bad == "" && (m1.bad != "" || m0.txid >= m1.txid):
		l.use = m0
	case m1.bad == "":
		l.use = m1
	case l.size < pageHeaderSize+metaSize+8 && bytesHaveMagic(first):
		return l, damaged(path, "the file is cut short: %d bytes", l.size)
	case !m0.magic && !m1.magic && !pagesLookLikeBolt(f, l.size):
		return l, notDatabase(path, "not a bbolt database file")
	default:
		return l, damaged(path, "both meta pages are unreadable (page 0: %s; page 1: %s)", m0.bad, m1.bad)
	}
	ps := l.pageSize()
	switch u := l.use; {
	case ps < 1024 || ps&(ps-1) != 0:
		return l, damaged(path, "meta page %d: page size %d", u.page, ps)
	case u.freelist == noFreelist:
		// bbolt rebuilds a missing free list on a goroutine of its own
		// that panics at the first damaged page; Frontdesk always writes
		// its free list.
		return l, notDatabase(path, "a bbolt file written without a free list, by another program")
	case u.pgid < 2 || u.root < 2 || u.root >= u.pgid || u.freelist < 2 || u.freelist >= u.pgid:
		return l, damaged(path, "meta page %d: root page %d, free list page %d, %d pages", u.page, u.root, u.freelist, u.pgid)
	case l.size < int64(u.pgid)*ps:
		return l, damaged(path, "the file is cut short: %d bytes, where its %d pages need %d", l.size, u.pgid, int64(u.pgid)*ps)
	}
	if l.free, err = l.readFreelist(f); err != nil {
		return l, damaged(path, "%v", err)
	}
	return l, nil
}

// readFreelist reads the free list page and checks it: its type, that
// its ids fit in its pages, and that each is a page of the file. It
// returns the free pages, with the free list's own.
func (l layout) readFreelist(f *os.File) (pageSet, error) {
	p, err := readPage(fileReader{f: f}, l, l.use.freelist)
	if err != nil {
		return nil, err
	}
	if p.flags != freelistPage {
		return nil, fmt.Errorf("page %d: flags %#x, want the free list", p.id, p.flags)
	}
	start, count := pageHeaderSize, uint64(p.count)
	if count == 0xFFFF {
		if len(p.data) < pageHeaderSize+8 {
			return nil, fmt.Errorf("free list page %d: cut short", p.id)
		}
		count = order.Uint64(p.data[pageHeaderSize:])
		start += 8
	}
	if count > uint64(len(p.data)-start)/8 {
		return nil, fmt.Errorf("free list page %d: %d ids do not fit in %d bytes", p.id, count, len(p.data))
	}
	free := newPageSet(l.use.pgid)
	for i := range uint64(len(p.data)) / uint64(l.pageSize()) {
		free.add(p.id + i)
	}
	for i := range count {
		id := order.Uint64(p.data[start+int(i)*8:])
		if id < 2 || id >= l.use.pgid {
			return nil, fmt.Errorf("free list page %d: free page %d is not a page of the file", p.id, id)
		}
		free.add(id)
	}
	return free, nil
}

// page is one page read from the file, with its overflow pages.
type page struct {
	id    uint64
	flags uint16
	count uint16
	data  []byte
}

// fileReader reads a file through a read-only memory map of its own when
// it has one, else with ReadAt: a scan that checks every page's header
// reads a few bytes of each, which a map does without a system call.
type fileReader struct {
	f   *os.File
	mem []byte
}

// mapped returns a reader of the first size bytes of f, and the function
// that releases it. Reading the map faults if the file is cut short
// meanwhile: read it inside contain.
func mapped(f *os.File, size int64) (fileReader, func()) {
	mem, unmap, err := mapFile(f, size)
	if err != nil {
		return fileReader{f: f}, func() {}
	}
	return fileReader{f: f, mem: mem}, unmap
}

// read returns the n bytes at off. With a map they are the map's own,
// valid until it is released: copy what is kept.
func (r fileReader) read(off int64, n int) ([]byte, error) {
	if r.mem != nil {
		if off < 0 || off+int64(n) > int64(len(r.mem)) {
			return nil, io.ErrUnexpectedEOF
		}
		return r.mem[off : off+int64(n)], nil
	}
	b := make([]byte, n)
	if _, err := r.f.ReadAt(b, off); err != nil {
		return nil, err
	}
	return b, nil
}

// readPage reads page id and its overflow pages, checking that they are
// pages of the file and that the header names the page.
func readPage(r fileReader, l layout, id uint64) (page, error) {
	ps := l.pageSize()
	if id < 2 || id >= l.use.pgid {
		return page{}, fmt.Errorf("page %d is not a page of the file (it has %d)", id, l.use.pgid)
	}
	// The meta pages say the file holds every page below pgid.
	data, err := r.read(int64(id)*ps, int(ps))
	if err != nil {
		return page{}, fmt.Errorf("page %d: %w", id, err)
	}
	p := page{id: id, flags: order.Uint16(data[8:]), count: order.Uint16(data[10:]), data: data}
	overflow := uint64(order.Uint32(data[12:]))
	switch {
	case order.Uint64(data) != id:
		return p, fmt.Errorf("page %d: its header says page %d", id, order.Uint64(data))
	case overflow == 0:
		return p, nil
	case id+overflow >= l.use.pgid || int64(id+overflow+1)*ps > l.size:
		return p, fmt.Errorf("page %d: %d overflow pages reach past the end of the file", id, overflow)
	}
	if p.data, err = r.read(int64(id)*ps, int(int64(overflow+1)*ps)); err != nil {
		return p, fmt.Errorf("page %d: %w", id, err)
	}
	return p, nil
}

// pageScan walks the page tree of a file: every bucket, every page,
// every element, checking what bbolt would otherwise follow blindly.
type pageScan struct {
	r    fileReader
	l    layout
	seen pageSet
	// problems are what was found, in the order found; walkable is false
	// when one of them would lead bbolt outside the file or its pages.
	problems []Finding
	walkable bool
}

// pageSet is a set of page numbers below the file's high water mark.
type pageSet []uint64

func newPageSet(pages uint64) pageSet { return make(pageSet, (pages+63)/64) }

// has reports whether id is in the set.
func (ps pageSet) has(id uint64) bool { return ps[id/64]&(1<<(id%64)) != 0 }

// add adds id and reports whether it was already there.
func (ps pageSet) add(id uint64) bool {
	w, bit := id/64, uint64(1)<<(id%64)
	had := ps[w]&bit != 0
	ps[w] |= bit
	return had
}

// rootBucket names the bucket at the top of the tree, which holds the
// others.
const rootBucket = "the root bucket"

// scanPages checks the meta pages and the page tree of the file at path.
func scanPages(path string) (*pageScan, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return scanFile(path, f)
}

// scanFile is scanPages on the open file f; path names it in messages.
func scanFile(path string, f *os.File) (*pageScan, error) {
	s := &pageScan{}
	var err error
	s.l, err = inspect(path, f)
	if err != nil {
		if isDamaged(err) {
			s.problems = []Finding{findingf("%s", err)}
			return s, nil
		}
		return nil, err
	}
	r, unmap := mapped(f, s.l.size)
	defer unmap()
	s.r = r
	s.seen = newPageSet(s.l.use.pgid)
	s.problems = s.l.metaProblems()
	s.walkable = true
	s.tree(s.l.use.root, rootBucket, 0)
	return s, nil
}

func (s *pageScan) problem(format string, args ...any) {
	s.walkable = false
	if len(s.problems) < maxProblems {
		s.problems = append(s.problems, findingf("page structure: "+format, args...))
	}
}

// tree checks the pages of the tree rooted at page id, of bucket name;
// depth counts the pages above it, in every bucket.
func (s *pageScan) tree(id uint64, name string, depth int) {
	if depth > maxTreeDepth {
		s.problem("%s: the tree is more than %d pages deep", name, maxTreeDepth)
		return
	}
	if id < 2 || id >= s.l.use.pgid {
		s.problem("%s: page %d is not a page of the file (it has %d)", name, id, s.l.use.pgid)
		return
	}
	if s.seen.add(id) {
		s.problem("%s: page %d is used twice", name, id)
		return
	}
	p, err := readPage(s.r, s.l, id)
	if err != nil {
		s.problem("%s: %v", name, err)
		return
	}
	for i := uint64(1); i < uint64(len(p.data))/uint64(s.l.pageSize()); i++ {
		if s.seen.add(id + i) {
			s.problem("%s: page %d is used twice", name, id+i)
			return
		}
	}
	switch p.flags {
	case branchPage:
		if !s.elementsFit(p.data, int(p.count), name, id) {
			return
		}
		for i := range int(p.count) {
			off := pageHeaderSize + i*elementSize
			e := p.data[off:]
			pos, ksize := int(order.Uint32(e[0:])), int(order.Uint32(e[4:]))
			if off+pos+ksize > len(p.data) {
				s.problem("%s: page %d: the key of element %d reaches past the page", name, id, i)
				return
			}
			s.tree(order.Uint64(e[8:]), name, depth+1)
		}
	case leafPage:
		s.leaf(p.data, int(p.count), name, id, depth)
	default:
		s.problem("%s: page %d: flags %#x, want a branch or leaf page", name, id, p.flags)
	}
}

// elementsFit reports whether count elements fit in the page data.
func (s *pageScan) elementsFit(data []byte, count int, name string, id uint64) bool {
	if pageHeaderSize+count*elementSize > len(data) {
		s.problem("%s: page %d: %d elements do not fit in the page", name, id, count)
		return false
	}
	return true
}

// leaf checks the elements of a leaf page held in data (a page of the
// file, or an inline bucket's page) and the buckets they hold.
func (s *pageScan) leaf(data []byte, count int, name string, id uint64, depth int) {
	if !s.elementsFit(data, count, name, id) {
		return
	}
	for i := range count {
		off := pageHeaderSize + i*elementSize
		e := data[off:]
		flags := order.Uint32(e[0:])
		pos, ksize, vsize := int(order.Uint32(e[4:])), int(order.Uint32(e[8:])), int(order.Uint32(e[12:]))
		if off+pos+ksize+vsize > len(data) {
			s.problem("%s: page %d: element %d reaches past the page", name, id, i)
			return
		}
		if flags&bucketLeafFlag == 0 {
			continue
		}
		key := string(data[off+pos : off+pos+ksize])
		value := data[off+pos+ksize : off+pos+ksize+vsize]
		child := fmt.Sprintf("bucket %q", key)
		if name != rootBucket {
			child = fmt.Sprintf("%s/%q", name, key)
		}
		if len(value) < bucketHeaderLen {
			s.problem("%s: page %d: bucket header of %d bytes", child, id, len(value))
			continue
		}
		root := order.Uint64(value)
		if root != 0 {
			s.tree(root, child, depth+1)
			continue
		}
		inline := value[bucketHeaderLen:]
		if len(inline) < pageHeaderSize {
			s.problem("%s: page %d: inline bucket of %d bytes", child, id, len(inline))
			continue
		}
		if f := order.Uint16(inline[8:]); f != leafPage {
			s.problem("%s: page %d: inline bucket with flags %#x, want a leaf", child, id, f)
			continue
		}
		s.leaf(inline, int(order.Uint16(inline[10:])), child, id, depth+1)
	}
}

// bytesHaveMagic reports whether b, the start of a file, holds bbolt's
// marker where the first meta page has it.
func bytesHaveMagic(b []byte) bool {
	return len(b) >= pageHeaderSize+4 && order.Uint32(b[pageHeaderSize:]) == boltMagic
}

// pagesLookLikeBolt reports whether the pages after the meta pages carry
// bbolt page headers (their own number, a page type), as in a bbolt file
// whose two meta pages were both overwritten, unlike a file of another
// kind. It tries the usual page size.
func pagesLookLikeBolt(f *os.File, size int64) bool {
	const ps = 4096
	h := make([]byte, pageHeaderSize)
	found := 0
	for id := int64(2); id < 10 && (id+1)*ps <= size; id++ {
		if _, err := f.ReadAt(h, id*ps); err != nil {
			break
		}
		switch order.Uint16(h[8:]) {
		case branchPage, leafPage, freelistPage:
			if order.Uint64(h) == uint64(id) {
				found++
			}
		}
	}
	return found >= 2
}
