// Package report prints core's report data (core.Report) as PDF with
// gofpdf. It lays the data out and does no data work of its own: what a
// report says, core decides.
//
// Every page has a header (site, title, period, filter, when and by whom
// the report was generated) and a footer ("Page X of Y", the version of
// Frontdesk that printed it, and the signed checkpoint of the site's logs
// the caller gives); the last page
// ends with the data's fingerprint and what the report covers. Pages are
// A4 or Letter, portrait, except the door log, printed landscape so that
// explanations keep a readable width.
package report

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/jung-kurt/gofpdf"

	"frontdesk/core"
	"frontdesk/core/i18n"
)

// Options are how a report is printed.
type Options struct {
	// Paper is "A4" (the default, also for "") or "Letter", in any case.
	Paper string
	// Checkpoint is a signed checkpoint of the site's event log and audit
	// trail (one line, see package anchor), printed small in every page's
	// footer: a printed report then anchors the logs as they were. The
	// caller makes it, since the key and the checkpoint file are outside
	// the data; "" prints none.
	Checkpoint string
	// Version is the version of Frontdesk printing the report, in every
	// page's footer after the page number ("Page 1 of 3 — Frontdesk
	// 1.4.0") and in the PDF's creator: who reads a report can tell which
	// build made it. "" prints none.
	Version string
	// Language is the language of the report's words, dates and numbers
	// ("en", "fr", "ru"); "" and unknown codes print English.
	Language string
}

// maxVersion is the most of a version the footer prints, in characters:
// the page number stays clear of the title and the fingerprint.
const maxVersion = 40

// paperSize returns gofpdf's name for o.Paper, or an error wrapping
// core.ErrInvalid.
func (o Options) paperSize() (string, error) {
	switch strings.ToLower(o.Paper) {
	case "", "a4":
		return "A4", nil
	case "letter":
		return "Letter", nil
	}
	return "", fmt.Errorf("%w: paper %q: want A4 or Letter", core.ErrInvalid, o.Paper)
}

// Write prints r as a PDF document to w. It returns an error for an
// unknown paper or kind, for a report whose data does not match its
// kind, and for what gofpdf or w report.
func Write(w io.Writer, r core.Report, o Options) error {
	size, err := o.paperSize()
	if err != nil {
		return err
	}
	body, err := bodyOf(&r)
	if err != nil {
		return err
	}
	d := newDoc(&r, size, body.landscape(), o.Checkpoint, i18n.New(o.Language))
	if v := []rune(clean(o.Version)); len(v) > 0 {
		d.version = string(v[:min(len(v), maxVersion)])
		d.pdf.SetCreator("Frontdesk "+d.version, true)
	}
	d.newPage()
	body.draw(d)
	d.closing(body.covers(d))
	if err := d.pdf.Error(); err != nil {
		return fmt.Errorf("report %s: %w", r.Kind, err)
	}
	if err := d.pdf.Output(w); err != nil {
		return fmt.Errorf("report %s: write: %w", r.Kind, err)
	}
	return nil
}

// body is the part of a report that depends on its kind.
type body interface {
	// landscape reports whether the pages are landscape.
	landscape() bool
	// draw lays the data out from the top of the first page.
	draw(d *doc)
	// covers says what the report covers, for its last line: "12
	// people, 360 days".
	covers(d *doc) string
}

// bodyOf returns the body of r's kind, or an error when its data is
// missing.
func bodyOf(r *core.Report) (body, error) {
	missing := func() error {
		return fmt.Errorf("%w: report %s has no %s data", core.ErrInvalid, r.Kind, r.Kind)
	}
	switch r.Kind {
	case core.ReportAttendance:
		if r.Attendance == nil {
			return nil, missing()
		}
		return attendance{r.Attendance}, nil
	case core.ReportTimesheet:
		if r.Timesheet == nil {
			return nil, missing()
		}
		return timesheet{r.Timesheet}, nil
	case core.ReportAbsences:
		if r.Absences == nil {
			return nil, missing()
		}
		return absences{r.Absences}, nil
	case core.ReportDoorLog:
		if r.DoorLog == nil {
			return nil, missing()
		}
		return doorLog{r.DoorLog}, nil
	case core.ReportMuster:
		if r.Muster == nil {
			return nil, missing()
		}
		return muster{r.Muster}, nil
	case core.ReportAccess:
		if r.Access == nil {
			return nil, missing()
		}
		return access{r.Access}, nil
	}
	return nil, fmt.Errorf("%w: no report %q", core.ErrInvalid, r.Kind)
}

// rgb is a colour; the zero value is black.
type rgb struct{ r, g, b uint8 }

// Colours of the reports: quiet, and legible when printed in grey.
var (
	black     = rgb{}
	grey      = rgb{110, 110, 110}
	lightGrey = rgb{165, 165, 165}
	darkGreen = rgb{0, 110, 40}
	darkRed   = rgb{170, 20, 20}
	accent    = rgb{40, 70, 120}
	headFill  = rgb{224, 230, 238}
	zebraFill = rgb{244, 246, 249}
	totalFill = rgb{232, 236, 242}
	ruleInk   = rgb{150, 160, 175}
)

// ptMM converts points to millimetres.
const ptMM = 25.4 / 72

// Page geometry, in millimetres.
const (
	marginX     = 12.0
	headerTop   = 10.0
	contentTop  = 31.0
	footerRoom  = 15.0
	footerLine  = 9.0 // from the bottom of the page
	bodySize    = 9.0 // points
	captionSize = 11.0
)

// checkpointSize is the size of the checkpoint's lines in the footer, in
// points: a checkpoint of about 380 characters fits on three lines of an
// A4 page in portrait.
const checkpointSize = 5.5

// doc is a document being written: gofpdf with the current position, and
// the font and colours last set so that they are set only when they
// change.
type doc struct {
	pdf *gofpdf.Fpdf
	r   *core.Report
	clk clock
	// tr writes the report's words in its language.
	tr *i18n.Translator

	pageW, pageH float64
	left, right  float64 // the content's horizontal bounds
	top, bottom  float64 // the content's vertical bounds
	y            float64 // where the next block starts
	// checkpoint is the footer's checkpoint, in lines that fit the width.
	checkpoint []string
	// version is Options.Version, for the footer.
	version string

	family, style string
	size          float64
	ink, fill     rgb
	inkSet        bool
	fillSet       bool
}

// newDoc prepares a document for r on paper size, with checkpoint in its
// footers, in the language of tr.
func newDoc(r *core.Report, size string, landscape bool, checkpoint string, tr *i18n.Translator) *doc {
	orientation := "P"
	if landscape {
		orientation = "L"
	}
	pdf := gofpdf.NewCustom(&gofpdf.InitType{OrientationStr: orientation, UnitStr: "mm", SizeStr: size})
	loc := r.Location
	if loc == nil {
		loc = time.UTC
	}
	d := &doc{pdf: pdf, r: r, clk: newClock(loc, tr), tr: tr}
	d.pageW, d.pageH = pdf.GetPageSize()
	d.left, d.right = marginX, d.pageW-marginX
	pdf.SetMargins(marginX, contentTop, marginX)
	pdf.SetCellMargin(0)
	// gofpdf replaces the alias in UTF-16, as UTF-8 fonts write text,
	// when the document is written. The digits of the total are in the
	// font's subset: the last page's footer prints them as its number.
	pdf.AliasNbPages(pageTotalAlias)
	registerFonts(pdf)
	if checkpoint != "" {
		// Lines break between the checkpoint's fields, so that its text
		// read back from the PDF is the checkpoint.
		d.setFont(familyMono, "", checkpointSize)
		d.checkpoint = wrap(d, nil, clean(checkpoint), d.width())
	}
	d.top, d.bottom = contentTop, d.pageH-footerRoom-d.checkpointRoom()
	pdf.SetAutoPageBreak(false, footerRoom+d.checkpointRoom())
	title := d.title()
	if r.Site != "" {
		title = r.Site + " — " + title
	}
	pdf.SetTitle(clean(title), true)
	pdf.SetSubject(clean(d.period()), true)
	pdf.SetAuthor(clean(r.By), true)
	pdf.SetCreator("Frontdesk", true)
	if !r.Generated.IsZero() {
		pdf.SetCreationDate(r.Generated)
		pdf.SetModificationDate(r.Generated)
	}
	pdf.SetHeaderFunc(d.header)
	pdf.SetFooterFunc(d.footer)
	d.setFont(familySans, "", bodySize)
	return d
}

// pageTotalAlias is replaced by the number of pages when the document is
// written.
const pageTotalAlias = "{nb}"

// newPage starts a page; the header is drawn by gofpdf.
func (d *doc) newPage() {
	d.pdf.AddPage()
	d.y = d.top
}

// ensure starts a new page unless h millimetres fit below the current
// position; it reports whether it did.
func (d *doc) ensure(h float64) bool {
	if d.y+h <= d.bottom || d.y == d.top {
		return false
	}
	d.newPage()
	return true
}

// room is the height left on the page.
func (d *doc) room() float64 { return d.bottom - d.y }

// width is the content's width.
func (d *doc) width() float64 { return d.right - d.left }

// setFont selects a font unless it is the current one: each SetFont call
// writes to the page.
func (d *doc) setFont(family, style string, size float64) {
	if family == d.family && style == d.style && size == d.size {
		return
	}
	d.family, d.style, d.size = family, style, size
	d.pdf.SetFont(family, style, size)
}

// setInk selects the text colour.
func (d *doc) setInk(c rgb) {
	if d.inkSet && c == d.ink {
		return
	}
	d.ink, d.inkSet = c, true
	d.pdf.SetTextColor(int(c.r), int(c.g), int(c.b))
}

// setFill selects the fill colour.
func (d *doc) setFill(c rgb) {
	if d.fillSet && c == d.fill {
		return
	}
	d.fill, d.fillSet = c, true
	d.pdf.SetFillColor(int(c.r), int(c.g), int(c.b))
}

// box fills a rectangle.
func (d *doc) box(x, y, w, h float64, c rgb) {
	d.setFill(c)
	d.pdf.Rect(x, y, w, h, "F")
}

// rule draws a horizontal line at y across the content.
func (d *doc) rule(y, width float64, c rgb) {
	d.pdf.SetDrawColor(int(c.r), int(c.g), int(c.b))
	d.pdf.SetLineWidth(width)
	d.pdf.Line(d.left, y, d.right, y)
}

// measure is the width of s, already clean, in the current font.
func (d *doc) measure(s string) float64 { return d.pdf.GetStringWidth(s) }

// text writes s, already clean, with its baseline at (x, y).
func (d *doc) text(x, y float64, s string) {
	if s != "" {
		d.pdf.Text(x, y, s)
	}
}

// lineHeight is the height of a line of text of size points.
func lineHeight(size float64) float64 { return size * ptMM * 1.3 }

// baseline is where text of size points sits in a line of height h
// starting at top.
func baseline(top, h, size float64) float64 { return top + h/2 + 0.33*size*ptMM }

// line writes one line of text of the given style and size at the
// current position, advancing it; long text wraps onto more lines.
func (d *doc) line(s, style string, size float64, ink rgb) {
	d.setFont(familySans, style, size)
	d.setInk(ink)
	lh := lineHeight(size)
	for _, l := range wrap(d, nil, clean(s), d.width()) {
		d.ensure(lh)
		d.text(d.left, baseline(d.y, lh, size), l)
		d.y += lh
	}
}

// caption writes a section's title, kept with need millimetres of what
// follows it.
func (d *doc) caption(s string, need float64) {
	lh := lineHeight(captionSize)
	d.ensure(2 + lh + need)
	if d.y > d.top {
		d.y += 2
	}
	d.line(s, "B", captionSize, accent)
	d.y += 0.8
}

// note writes a remark, such as "Nobody.", in grey.
func (d *doc) note(s string) {
	d.line(s, "", bodySize, grey)
	d.y += 1
}

// gap leaves h millimetres of space, unless at the top of a page.
func (d *doc) gap(h float64) {
	if d.y > d.top {
		d.y += h
	}
}

// header draws the top of every page: site and when and by whom on the
// first line, the title, then the period and the filter.
func (d *doc) header() {
	p, r := d.pdf, d.r
	p.SetTextColor(int(grey.r), int(grey.g), int(grey.b))
	p.SetFont(familySans, "B", 8.5)
	y := headerTop + 3
	p.Text(d.left, y, clean(r.Site))
	p.SetFont(familySans, "", 8)
	gen := d.generated()
	p.Text(d.right-p.GetStringWidth(gen), y, gen)

	p.SetTextColor(0, 0, 0)
	p.SetFont(familySans, "B", 15)
	y += 7.5
	p.Text(d.left, y, clean(d.title()))

	p.SetFont(familySans, "", 9.5)
	y += 5.5
	scope := d.period()
	if f := d.filter(); f != "" {
		if scope != "" {
			scope += " · "
		}
		scope += f
	}
	p.Text(d.left, y, fitText(p, clean(scope), d.width()))
	p.SetDrawColor(int(ruleInk.r), int(ruleInk.g), int(ruleInk.b))
	p.SetLineWidth(0.4)
	p.Line(d.left, y+3, d.right, y+3)
	// gofpdf restores the caller's font and colours after the header;
	// the draw colour and line width are left to whoever draws next.
	d.fillSet, d.inkSet = false, false
}

// generated is "Generated 2026-11-24 09:31 Europe/Paris by NAME".
func (d *doc) generated() string {
	r := d.r
	if r.Generated.IsZero() {
		return ""
	}
	zone := r.Zone
	if zone == "" {
		zone = d.clk.loc.String()
	}
	s := d.tr.F("Generated %s %s", d.clk.dateTime(r.Generated), zone)
	if r.By != "" {
		s = d.tr.F("Generated %s %s by %s", d.clk.dateTime(r.Generated), zone, d.tr.Actor(r.By))
	}
	return clean(s)
}

// checkpointRoom is the height the footer's checkpoint takes.
func (d *doc) checkpointRoom() float64 {
	if len(d.checkpoint) == 0 {
		return 0
	}
	return float64(len(d.checkpoint))*lineHeight(checkpointSize) + 1.2
}

// footer draws "Page X of Y" and the version at the bottom of every
// page, with the title on the left and the start of the fingerprint on
// the right so that loose pages can be matched, and under it the
// checkpoint.
func (d *doc) footer() {
	p := d.pdf
	y := d.pageH - footerLine - d.checkpointRoom()
	p.SetDrawColor(int(ruleInk.r), int(ruleInk.g), int(ruleInk.b))
	p.SetLineWidth(0.2)
	p.Line(d.left, y-4, d.right, y-4)
	p.SetTextColor(int(grey.r), int(grey.g), int(grey.b))
	p.SetFont(familySans, "", 8)
	page := d.tr.F("Page %d of %s", p.PageNo(), pageTotalAlias)
	if d.version != "" {
		page += " — Frontdesk " + d.version
	}
	// The alias is as wide as three digits or so: centring on it is
	// within a millimetre of centring on the real total.
	p.Text((d.left+d.right-p.GetStringWidth(page))/2, y, page)
	p.Text(d.left, y, clean(d.title()))
	if fp := []rune(clean(d.r.Fingerprint)); len(fp) > 0 {
		short := string(fp[:min(len(fp), 19)])
		if len(fp) > 19 {
			short += "…"
		}
		p.Text(d.right-p.GetStringWidth(short), y, short)
	}
	if len(d.checkpoint) > 0 {
		p.SetFont(familyMono, "", checkpointSize)
		lh := lineHeight(checkpointSize)
		for i, l := range d.checkpoint {
			p.Text(d.left, y+1.2+lh*float64(i+1), l)
		}
	}
	d.fillSet, d.inkSet = false, false
}

// closing ends the last page with the data's fingerprint and what the
// report covers, kept together.
func (d *doc) closing(covers string) {
	const size = 8.5
	d.setFont(familyMono, "", size)
	fp := d.r.Fingerprint
	if fp == "" {
		fp = d.tr.T("none")
	}
	label := d.tr.T("Data fingerprint: ")
	lh := lineHeight(size)
	lines := wrap(d, nil, clean(label+fp), d.width())
	d.ensure(6 + lh*float64(len(lines)+1))
	d.y += 4
	d.rule(d.y, 0.2, ruleInk)
	d.y += 1.5
	d.setInk(black)
	for _, l := range lines {
		d.text(d.left, baseline(d.y, lh, size), l)
		d.y += lh
	}
	d.setFont(familySans, "", size)
	d.setInk(grey)
	d.text(d.left, baseline(d.y, lh, size), clean(d.tr.F("This report covers %s.", covers)))
	d.y += lh
}

// fitText shortens s with an ellipsis until it fits in w with p's
// current font.
func fitText(p *gofpdf.Fpdf, s string, w float64) string {
	if p.GetStringWidth(s) <= w {
		return s
	}
	r := []rune(s)
	for len(r) > 0 && p.GetStringWidth(string(r)+"…") > w {
		r = r[:len(r)-1]
	}
	return string(r) + "…"
}

// title is the report's title in its language.
func (d *doc) title() string { return d.tr.T(d.r.Kind.Title()) }

// period says what the report covers in its language: its first Scope
// reason, or for a report made without one its Period.
func (d *doc) period() string {
	if len(d.r.Scope) == 0 {
		return d.r.Period
	}
	return d.tr.Reason(&d.r.Scope[0])
}

// filter says who or what the report is restricted to, in its language.
func (d *doc) filter() string {
	if len(d.r.Scope) == 0 {
		return d.r.Filter
	}
	var parts []string
	for i := range d.r.Scope[1:] {
		parts = append(parts, d.tr.Reason(&d.r.Scope[1+i]))
	}
	return strings.Join(parts, ", ")
}

// T, F and N write the report's words in its language (i18n.Translator).
func (d *doc) T(english string) string               { return d.tr.T(english) }
func (d *doc) F(format string, args ...any) string   { return d.tr.F(format, args...) }
func (d *doc) N(one, other string, count int) string { return d.tr.N(other, one, other, count) }
func (d *doc) num(n int) string                      { return d.tr.Number(n) }
