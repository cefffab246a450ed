package core

import (
	"fmt"
	"slices"
	"strings"
)

// Number formats of usb-wedge and serial-wiegand readers (Device.Format):
// how the reader writes a card's number. Vendors print the same card in
// shapes that overlap (8 digits are a Wiegand facility and number on one
// wedge and the decimal of the low 24 bits on another), so a reader whose
// lines could mean two things is told which; docs/hardware.md lists the
// conventions. The readers' parsers are in package reader; ReadWidths says
// what each format delivers, for the ambiguity checks.
const (
	// ReadAuto (or "") reads only the lines whose shape says what they
	// are: on a wedge 10 digits (the low 32 bits), 13 digits (all 40
	// bits) and 14 or 20 hex digits (a UID); on a Wiegand converter
	// FACILITY,NUMBER, 6 hex digits or 10 digits with bits 26, 8 hex
	// digits or 10 digits with bits 34. Other lines are rejected.
	ReadAuto = "auto"
	// ReadDec24: the decimal of the low 24 bits, 8 digits (or 10 with
	// two leading zeros).
	ReadDec24 = "dec24"
	// ReadDec32: the decimal of the low 32 bits, 10 digits.
	ReadDec32 = "dec32"
	// ReadDec40: the decimal of all 40 bits of an EM card, 13 digits.
	ReadDec40 = "dec40"
	// ReadFac3Num5: Wiegand 26 facility (3 digits, 0-255) then card
	// number (5 digits, 0-65535).
	ReadFac3Num5 = "fac3num5"
	// ReadHex: the bits in hex, 6, 8 or 10 digits for 24, 32 or 40 bits
	// (on a Wiegand converter, 6 with bits 26 and 8 with bits 34).
	ReadHex = "hex"
	// ReadUIDHex: an ISO 14443 UID in hex, 8, 14 or 20 digits.
	ReadUIDHex = "uid-hex"
	// ReadUIDDecRev: the 10-digit decimal of a 4-byte UID read with its
	// bytes reversed, as MIFARE wedges type it (UID 51E69621 types
	// 0563537489).
	ReadUIDDecRev = "uid-dec-rev"
)

// ReadFormats returns the formats a reader of kind can be set to (bits is
// a serial-wiegand converter's Wiegand format, 0 for the default 26), auto
// first; nil for the kinds that have no format setting.
func ReadFormats(kind string, bits int) []string {
	switch kind {
	case "usb-wedge":
		return []string{ReadAuto, ReadDec32, ReadDec24, ReadFac3Num5, ReadDec40, ReadHex, ReadUIDHex, ReadUIDDecRev}
	case "serial-wiegand":
		if bits == 34 {
			return []string{ReadAuto, ReadHex, ReadDec32}
		}
		return []string{ReadAuto, ReadHex, ReadDec24, ReadFac3Num5}
	}
	return nil
}

// checkReadFormat checks the format of device d, whose kind and bits are
// already checked; the error is the problem alone, for a path in front.
func checkReadFormat(d Device) error {
	formats := ReadFormats(d.Kind, d.Bits)
	switch {
	case d.Format == "":
		return nil
	case formats == nil:
		return fmt.Errorf("a %s has no format", d.Kind)
	case !slices.Contains(formats, d.Format):
		what := "a " + d.Kind
		if d.Kind == "serial-wiegand" {
			what = fmt.Sprintf("a serial-wiegand with bits %d", max(d.Bits, 26))
		}
		return fmt.Errorf("%q does not fit %s: want %s", d.Format, what, strings.Join(formats, ", "))
	}
	return nil
}

// Card widths in bits: the widths of the bit formats (em, dec, w26), and
// so the widths at which the readers deliver card numbers.
const (
	width24 = 24
	width32 = 32
	width40 = 40
)

// ReadWidths returns the widths in bits of the card numbers the reader d
// delivers, narrowest first: 40 for the EM readers (serial-rdm6300,
// serial-id12), what its bits and format give for a serial-wiegand or a
// usb-wedge. Readers of UIDs (serial-line, the uid formats) deliver no bit
// width, and neither do sim readers, which deliver whatever is typed: the
// decision still refuses an ambiguous read from them, but they do not make
// enrolment refuse cards.
func (d Device) ReadWidths() []int {
	switch d.Kind {
	case "serial-rdm6300", "serial-id12":
		return []int{width40}
	case "serial-wiegand":
		if d.Bits == 34 {
			return []int{width32}
		}
		return []int{width24}
	case "usb-wedge":
		switch d.Format {
		case "", ReadAuto:
			return []int{width32, width40}
		case ReadDec24, ReadFac3Num5:
			return []int{width24}
		case ReadDec32:
			return []int{width32}
		case ReadDec40:
			return []int{width40}
		case ReadHex:
			return []int{width24, width32, width40}
		}
	}
	return nil
}

// ReadsUIDs reports whether the reader d may deliver uid codes: a
// serial-line bridge, a usb-wedge in a uid format or in auto (which reads
// 7- and 10-byte UIDs), and a sim reader. A UID matches only itself, so
// it plays no part in the ambiguity checks.
func (d Device) ReadsUIDs() bool {
	switch d.Kind {
	case "serial-line", "sim":
		return true
	case "usb-wedge":
		return d.Format == "" || d.Format == ReadAuto || d.Format == ReadUIDHex || d.Format == ReadUIDDecRev
	}
	return false
}

// readerLabel names reader d in messages: `usb-wedge reader "desk"
// (dec32)`.
func readerLabel(d Device) string {
	s := fmt.Sprintf("%s reader %q", d.Kind, d.ID)
	if d.Format != "" {
		s += " (" + d.Format + ")"
	}
	return s
}

// ReaderRef names a reader in reports.
type ReaderRef struct {
	ID     string `json:"id"`
	Kind   string `json:"kind"`
	Format string `json:"format,omitempty"`
}

// widthReaders maps each width that readers of a site deliver to those
// readers, in id order.
type widthReaders map[int][]Device

// readersByWidth groups the readers among devices by the widths they
// deliver; devices that are not readers are left out, and so are other
// sites' (Device.Site): no card is read by them here.
func readersByWidth(devices []Device) widthReaders {
	devices = slices.Clone(devices)
	slices.SortFunc(devices, func(a, b Device) int { return strings.Compare(a.ID, b.ID) })
	w := widthReaders{}
	for _, d := range devices {
		if !d.IsReader() || d.Site != "" {
			continue
		}
		for _, r := range d.ReadWidths() {
			w[r] = append(w[r], d)
		}
	}
	return w
}

// widths returns the widths, narrowest first.
func (w widthReaders) widths() []int {
	out := make([]int, 0, len(w))
	for r := range w {
		out = append(out, r)
	}
	slices.Sort(out)
	return out
}

// reads returns the reads that the site's readers can make of card c and
// that match more cards than c itself does: c at each width of w narrower
// than c. A read of c at its own width or wider matches what c matches.
// uid and opaque codes have none.
func (w widthReaders) reads(c Code) []Code {
	if !c.isBits() {
		return nil
	}
	var out []Code
	for _, r := range w.widths() {
		if r < c.Width {
			out = append(out, c.atWidth(r))
		}
	}
	return out
}
