package main

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"frontdesk/core"
)

// table writes the command line's text tables: rows of cells aligned in
// columns. It is the only way the commands print text from the database
// in text form, and every cell goes through core.EscapeText, so a name
// holding escape codes, a carriage return, a tab or a line break (text
// stored before the text rule, or written by another program) cannot move
// the cursor, recolour the terminal, start a column or forge a line: it is
// printed as \x1b, \r, \t, \n.
type table struct {
	tw *tabwriter.Writer
}

// newTable returns a table on w with tabwriter's settings.
func newTable(w io.Writer, minwidth, tabwidth, padding int, flags uint) *table {
	return &table{tw: tabwriter.NewWriter(w, minwidth, tabwidth, padding, ' ', flags)}
}

// row writes one row; a cell that is not a string is written with %v.
// A last cell "" ends the row with a tab, as right-aligned tables need.
func (t *table) row(cells ...any) {
	var b strings.Builder
	for i, c := range cells {
		if i > 0 {
			b.WriteByte('\t')
		}
		s, ok := c.(string)
		if !ok {
			s = fmt.Sprint(c)
		}
		b.WriteString(printable(s))
	}
	b.WriteByte('\n')
	io.WriteString(t.tw, b.String())
}

// flush writes the aligned table out.
func (t *table) flush() error { return t.tw.Flush() }

// printable is text from the database or the user made safe for a
// terminal: see core.EscapeText. Lines the commands print outside tables
// pass what they hold through it too.
func printable(s string) string { return core.EscapeText(s) }
