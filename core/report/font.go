package report

import (
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/gofont/gomono"
	"golang.org/x/image/font/gofont/goregular"
	"golang.org/x/image/font/sfnt"
)

// Font families registered in every document. The Go fonts cover WGL4
// (Latin with its accents, Greek, Cyrillic), so French, German and
// Russian names print and can be searched in the PDF.
const (
	familySans = "go"
	familyMono = "gomono"
)

// registerFonts embeds the fonts in a document: gofpdf subsets them on
// output, so only the glyphs used are written.
func registerFonts(p fontAdder) {
	p.AddUTF8FontFromBytes(familySans, "", goregular.TTF)
	p.AddUTF8FontFromBytes(familySans, "B", gobold.TTF)
	p.AddUTF8FontFromBytes(familyMono, "", gomono.TTF)
}

// fontAdder is the part of gofpdf.Fpdf that registerFonts uses.
type fontAdder interface {
	AddUTF8FontFromBytes(family, style string, ttf []byte)
}

// coverage is a bit set of the runes of the Basic Multilingual Plane that
// every sans font has a glyph for.
type coverage [1 << 16 / 64]uint64

func (c *coverage) has(r rune) bool {
	return r >= 0 && r < 1<<16 && c[r>>6]&(1<<(uint(r)&63)) != 0
}

var (
	glyphsOnce sync.Once
	glyphs     coverage
)

// loadCoverage computes glyphs once per process: the runes both the
// regular and the bold font can draw.
func loadCoverage() {
	var sets []*coverage
	for _, ttf := range [][]byte{goregular.TTF, gobold.TTF} {
		f, err := sfnt.Parse(ttf)
		if err != nil {
			// Embedded fonts always parse; without coverage every rune
			// outside ASCII would print as '?', which is still legible.
			continue
		}
		var c coverage
		var buf sfnt.Buffer
		for r := rune(0x20); r < 1<<16; r++ {
			if i, err := f.GlyphIndex(&buf, r); err == nil && i != 0 {
				c[r>>6] |= 1 << (uint(r) & 63)
			}
		}
		sets = append(sets, &c)
	}
	if len(sets) == 0 {
		for r := rune(0x20); r < 0x7f; r++ {
			glyphs[r>>6] |= 1 << (uint(r) & 63)
		}
		return
	}
	glyphs = *sets[0]
	for _, c := range sets[1:] {
		for i := range glyphs {
			glyphs[i] &= c[i]
		}
	}
}

// clean makes s printable: control characters become spaces and runes the
// fonts cannot draw (outside the fonts' repertoire, or outside the Basic
// Multilingual Plane, which gofpdf does not encode) become '?'. It returns
// s itself, without allocating, when there is nothing to change.
func clean(s string) string {
	glyphsOnce.Do(loadCoverage)
	for i, r := range s {
		if !printable(r) {
			return cleanFrom(s, i)
		}
	}
	return s
}

// printable reports whether r prints as itself. utf8.RuneError is not
// printable: it stands for invalid UTF-8, which gofpdf would misread.
func printable(r rune) bool {
	if r < utf8.RuneSelf {
		return r >= 0x20 && r != 0x7f
	}
	return r != utf8.RuneError && glyphs.has(r)
}

// cleanFrom rewrites s from byte i, the first rune to replace.
func cleanFrom(s string, i int) string {
	var b strings.Builder
	b.Grow(len(s))
	b.WriteString(s[:i])
	for _, r := range s[i:] {
		switch {
		case printable(r):
			b.WriteRune(r)
		case unicode.IsSpace(r) || unicode.IsControl(r):
			b.WriteByte(' ')
		default:
			b.WriteByte('?')
		}
	}
	return b.String()
}
