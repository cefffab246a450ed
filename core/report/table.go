package report

import "unicode/utf8"

// wrap appends to dst the lines of s, clean, that fit in maxW with the
// current font: it breaks at spaces, and inside a word only when the word
// alone is wider than maxW. The lines are substrings of s. An empty s
// gives no line.
func wrap(d *doc, dst []string, s string, maxW float64) []string {
	if s == "" {
		return dst
	}
	if d.measure(s) <= maxW {
		return append(dst, s)
	}
	start := 0
	for start < len(s) {
		for start < len(s) && s[start] == ' ' {
			start++
		}
		if start == len(s) {
			break
		}
		end, w := start, 0.0
		for i := start; i < len(s); {
			j := i
			for j < len(s) && s[j] == ' ' {
				j++
			}
			k := j
			for k < len(s) && s[k] != ' ' {
				k++
			}
			ww := d.measure(s[i:k])
			if end > start && w+ww > maxW {
				break
			}
			if end == start && ww > maxW {
				// A word wider than the line: cut it.
				end = start + fitRunes(d, s[start:k], maxW)
				break
			}
			end, w, i = k, w+ww, k
		}
		dst = append(dst, s[start:end])
		start = end
	}
	return dst
}

// fitRunes returns how many bytes of s fit in maxW, at least one rune's.
func fitRunes(d *doc, s string, maxW float64) int {
	w := 0.0
	for i, r := range s {
		n := utf8.RuneLen(r)
		if n < 0 {
			n = 1
		}
		w += d.measure(s[i : i+n])
		if w > maxW && i > 0 {
			return i
		}
	}
	return len(s)
}

// keepFor is how many rows of a table of n to keep with its header: all
// of a short table, the first few of a long one.
func keepFor(n int) int {
	if n <= 8 {
		return n
	}
	return 3
}

// align is a cell's horizontal alignment.
type align uint8

// Alignments.
const (
	alignLeft align = iota
	alignRight
	alignCenter
)

// column is one column of a table.
type column struct {
	title string
	// width is relative: the columns share the content's width in
	// proportion.
	width float64
	align align
	// size is the font size in points, 0 for the table's; bold sets the
	// bold face for the column's cells.
	size float64
	bold bool
	// box draws a square to tick before the cell's text.
	box bool
}

// group titles a run of columns above their own titles.
type group struct {
	title string
	span  int
}

// cell is one cell of a row: its text and colour (zero: black).
type cell struct {
	text string
	ink  rgb
}

// rowStyle is how a row is drawn.
type rowStyle uint8

// Row styles.
const (
	rowPlain rowStyle = iota // zebra striped
	rowTotal                 // bold, shaded, ruled above
)

// Cell padding, in millimetres.
const (
	padX = 1.3
	padY = 0.9
	boxW = 5.0 // side of a checkbox at the base size of 9 pt, scaled
)

// table draws rows in columns. Its header is repeated at the top of each
// page the table continues on, with the caption marked "continued"; a row
// never splits across pages: its height grows with the lines of its
// longest cell.
type table struct {
	d       *doc
	caption string
	cols    []column
	groups  []group
	size    float64
	x, w    []float64
	cells   []cell
	lines   [][]string
	rows    int
	headH   float64
	titles  [][]string
	// pad is the space above and below a row's text.
	pad float64
	// firstH and firstSize are the height and font size of the first
	// line of the row being drawn.
	firstH    float64
	firstSize float64
}

// newTable lays out cols across the content's width; size is the font
// size of the cells in points.
func newTable(d *doc, size float64, cols ...column) *table {
	t := &table{d: d, cols: cols, size: size, pad: padY}
	total := 0.0
	for _, c := range cols {
		total += c.width
	}
	x := d.left
	t.x = make([]float64, len(cols))
	t.w = make([]float64, len(cols))
	for i, c := range cols {
		t.x[i] = x
		t.w[i] = c.width / total * d.width()
		x += t.w[i]
	}
	t.cells = make([]cell, len(cols))
	t.lines = make([][]string, len(cols))
	t.titles = make([][]string, len(cols))
	return t
}

// row returns the cells of the next row, empty, to fill in and pass to
// add.
func (t *table) row() []cell {
	clear(t.cells)
	return t.cells
}

// sizeOf is column i's font size.
func (t *table) sizeOf(i int) float64 {
	if s := t.cols[i].size; s > 0 {
		return s
	}
	return t.size
}

// headSize is the titles' font size.
func (t *table) headSize() float64 { return t.size - 0.5 }

// textWidth is the room for text in column i.
func (t *table) textWidth(i int) float64 {
	w := t.w[i] - 2*padX
	if t.cols[i].box {
		w -= t.boxSide() + 2*padX
	}
	return w
}

// titleWidth is the room for column i's title, above the checkbox too.
func (t *table) titleWidth(i int) float64 { return t.w[i] - 2*padX }

// boxSide is the side of a checkbox.
func (t *table) boxSide() float64 { return boxW * t.size / bodySize }

// measureHeader wraps the titles and computes the header's height.
func (t *table) measureHeader() {
	d := t.d
	d.setFont(familySans, "B", t.headSize())
	n := 1
	for i, c := range t.cols {
		t.titles[i] = wrap(d, t.titles[i][:0], clean(d.T(c.title)), t.titleWidth(i))
		n = max(n, len(t.titles[i]))
	}
	lh := lineHeight(t.headSize())
	t.headH = float64(n)*lh + 2*t.pad
	if len(t.groups) > 0 {
		t.headH += lh + t.pad
	}
}

// start draws the caption and the header, on a new page unless they fit
// with keep rows of one line below them (at least one): a short table
// is kept whole, a long one starts where its first rows fit.
func (t *table) start(caption string, keep int) {
	t.caption = caption
	t.measureHeader()
	need := t.headH + float64(max(keep, 1))*t.rowHeight()
	if page := t.d.bottom - t.d.top - 2*lineHeight(captionSize); need > page {
		need = t.headH + 2*t.rowHeight()
	}
	if caption != "" {
		t.d.caption(caption, need)
	} else {
		t.d.ensure(need)
	}
	t.drawHeader()
}

// drawHeader draws the group titles and the column titles at the
// current position.
func (t *table) drawHeader() {
	d := t.d
	size := t.headSize()
	lh := lineHeight(size)
	d.box(d.left, d.y, d.width(), t.headH, headFill)
	d.setFont(familySans, "B", size)
	d.setInk(black)
	y := d.y + t.pad
	if len(t.groups) > 0 {
		col := 0
		for _, g := range t.groups {
			x0 := t.x[col]
			x1 := t.x[col+g.span-1] + t.w[col+g.span-1]
			if g.title != "" {
				s := clean(d.T(g.title))
				d.text((x0+x1-d.measure(s))/2, baseline(y, lh, size), s)
				d.pdf.SetDrawColor(int(ruleInk.r), int(ruleInk.g), int(ruleInk.b))
				d.pdf.SetLineWidth(0.2)
				d.pdf.Line(x0+padX, y+lh+t.pad/2, x1-padX, y+lh+t.pad/2)
			}
			col += g.span
		}
		y += lh + t.pad
	}
	for i, c := range t.cols {
		for j, l := range t.titles[i] {
			t.place(c.align, t.titleWidth(i), t.x[i]+padX, baseline(y+float64(j)*lh, lh, size), l)
		}
	}
	d.y += t.headH
	t.rows = 0
}

// place writes s in a column's text box of width w starting at x.
func (t *table) place(a align, w, x, base float64, s string) {
	d := t.d
	switch a {
	case alignRight:
		x += w - d.measure(s)
	case alignCenter:
		x += (w - d.measure(s)) / 2
	}
	d.text(x, base, s)
}

// add draws the row filled in since row(), after a page break and the
// header again when it does not fit.
func (t *table) add(style rowStyle) {
	d := t.d
	h := t.layout(style)
	if d.y+h > d.bottom && d.y > d.top {
		d.newPage()
		if t.caption != "" {
			d.line(d.F("%s (continued)", t.caption), "B", bodySize, grey)
			d.y += 0.5
		}
		t.drawHeader()
	}
	switch {
	case style == rowTotal:
		d.box(d.left, d.y, d.width(), h, totalFill)
		d.rule(d.y, 0.3, ruleInk)
	case t.rows%2 == 1:
		d.box(d.left, d.y, d.width(), h, zebraFill)
	}
	fontStyle := ""
	if style == rowTotal {
		fontStyle = "B"
	}
	// The first lines of all cells share a baseline, whatever their
	// sizes.
	first := baseline(d.y+t.pad, t.firstH, t.firstSize)
	for i, c := range t.cols {
		size := t.sizeOf(i)
		st := fontStyle
		if c.bold {
			st = "B"
		}
		lh := lineHeight(size)
		x := t.x[i] + padX
		if c.box {
			side := t.boxSide()
			d.pdf.SetDrawColor(0, 0, 0)
			d.pdf.SetLineWidth(0.35)
			// The box sits on the baseline, as a letter would.
			d.pdf.Rect(x, first+0.5-side, side, side, "D")
			x += side + 2*padX
		}
		if len(t.lines[i]) == 0 {
			continue
		}
		d.setFont(familySans, st, size)
		d.setInk(t.cells[i].ink)
		for j, l := range t.lines[i] {
			t.place(c.align, t.textWidth(i), x, first+float64(j)*lh, l)
		}
	}
	d.y += h
	t.rows++
}

// layout wraps the current cells into their columns and returns the
// row's height; it records the height and font size of the row's
// tallest first line, on which every first line sits.
func (t *table) layout(style rowStyle) float64 {
	d := t.d
	t.firstH, t.firstSize = 0, t.size
	for i, c := range t.cols {
		size := t.sizeOf(i)
		if lh := lineHeight(size); lh > t.firstH {
			t.firstH, t.firstSize = lh, size
		}
		if c.box {
			t.firstH = max(t.firstH, t.boxSide()+0.6)
		}
	}
	h := t.firstH
	for i, c := range t.cols {
		size := t.sizeOf(i)
		st := ""
		if style == rowTotal || c.bold {
			st = "B"
		}
		s := clean(t.cells[i].text)
		t.cells[i].text = s
		t.lines[i] = t.lines[i][:0]
		if s == "" {
			continue
		}
		d.setFont(familySans, st, size)
		t.lines[i] = t.fitPage(wrap(d, t.lines[i], s, t.textWidth(i)), size, t.textWidth(i))
		if n := len(t.lines[i]); n > 1 {
			h = max(h, t.firstH+float64(n-1)*lineHeight(size))
		}
	}
	return h + 2*t.pad
}

// fitPage cuts lines, of a column w wide, that would make a row taller
// than a page, the last one kept ending with an ellipsis: a row is never
// split, so a text longer than a page is shortened rather than run off
// the paper.
func (t *table) fitPage(lines []string, size, w float64) []string {
	room := t.d.bottom - t.d.top - t.headH - lineHeight(bodySize) - 2*t.pad - t.firstH
	most := 1 + int(room/lineHeight(size))
	if len(lines) <= most {
		return lines
	}
	lines = lines[:most]
	lines[most-1] = fitText(t.d.pdf, lines[most-1]+"…", w)
	return lines
}

// rowHeight is the height of a row of one line.
func (t *table) rowHeight() float64 {
	h := 0.0
	for i, c := range t.cols {
		h = max(h, lineHeight(t.sizeOf(i)))
		if c.box {
			h = max(h, t.boxSide()+0.6)
		}
	}
	return h + 2*t.pad
}
