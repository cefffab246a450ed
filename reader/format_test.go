package reader

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"frontdesk/core"
)

// parserFor returns the parser of a usb-wedge or serial-wiegand reader.
func parserFor(t *testing.T, d core.Device) lineParser {
	t.Helper()
	var parse lineParser
	var err error
	switch d.Kind {
	case "usb-wedge":
		parse, err = wedgeParser(d.Format)
	case "serial-wiegand":
		parse, err = wiegandParser(d.Format, max(d.Bits, 26))
	default:
		t.Fatalf("no line parser for %s", d.Kind)
	}
	if err != nil {
		t.Fatalf("parser for %+v: %v", d, err)
	}
	return parse
}

// TestLineFormats reads lines printed by real readers (HARDWARE.md's EM
// card 0102B0A5FD, the 3C00423C15, MIFARE UID 51E69621) under
// each format: the code, or a rejection saying why.
func TestLineFormats(t *testing.T) {
	wedge := func(format string) core.Device { return core.Device{Kind: "usb-wedge", Format: format} }
	w26 := func(format string) core.Device { return core.Device{Kind: "serial-wiegand", Format: format} }
	w34 := func(format string) core.Device { return core.Device{Kind: "serial-wiegand", Bits: 34, Format: format} }
	tests := []struct {
		dev  core.Device
		line string
		want string // the code, or "!" and a part of the rejection
	}{
		// A wedge's default reads the shapes that mean one thing.
		{wedge(""), "0045131261", "dec:0045131261"},
		{wedge("auto"), "0004340757", "dec:0004340757"},
		{wedge(""), "0004340098557", "em:0102B0A5FD"},
		{wedge(""), "04a22b1a2b3c4d", "uid:04A22B1A2B3C4D"},
		{wedge(""), "04122334455667788990", "uid:04122334455667788990"},
		{wedge(""), "17642493", "!8 characters may be a Wiegand facility and number (fac3num5)"},
		{wedge(""), "05946206", "!set the reader's format"},
		{wedge(""), "04a22b1a", "!8 characters"},
		{wedge(""), "0102b0a5fd", "!this reader types hex"},
		{wedge(""), "123456789", "!9 digits, want 10"},
		{wedge(""), "4294967296", "!more than the 32 bits"},
		{wedge(""), "1099511627776", "!more than the 40 bits"},
		{wedge(""), "", "!an empty line"},
		// The decimal of the low 32 bits.
		{wedge("dec32"), "0045131261", "dec:0045131261"},
		{wedge("dec32"), "4294967295", "dec:4294967295"},
		{wedge("dec32"), "4294967296", "!more than the 32 bits"},
		{wedge("dec32"), "45131261", "!8 digits, want 10"},
		{wedge("dec32"), "0004340098557", "!13 digits, want 10"},
		{wedge("dec32"), "02b0a5fd", "!not decimal digits only"},
		// The decimal of the low 24 bits: 8 digits, or 10 starting 00.
		{wedge("dec24"), "11576829", "w26:176:42493"},
		{wedge("dec24"), "05946206", "w26:90:47966"},
		{wedge("dec24"), "0011576829", "w26:176:42493"},
		{wedge("dec24"), "16777215", "w26:255:65535"},
		{wedge("dec24"), "16777216", "!more than the 24 bits"},
		{wedge("dec24"), "0045131261", "!more than the 24 bits"},
		{wedge("dec24"), "1157682", "!7 digits, want 8 or 10"},
		// Wiegand 26 facility (3 digits) and number (5).
		{wedge("fac3num5"), "17642493", "w26:176:42493"},
		{wedge("fac3num5"), "05946206", "w26:59:46206"},
		{wedge("fac3num5"), "25565535", "w26:255:65535"},
		{wedge("fac3num5"), "25600000", "!facility 0-255"},
		{wedge("fac3num5"), "00065536", "!number 0-65535"},
		{wedge("fac3num5"), "0045131261", "!want 8 digits"},
		// All 40 bits in decimal.
		{wedge("dec40"), "0004340098557", "em:0102B0A5FD"},
		{wedge("dec40"), "0257702378517", "em:3C00423C15"},
		{wedge("dec40"), "1099511627775", "em:FFFFFFFFFF"},
		{wedge("dec40"), "1099511627776", "!more than the 40 bits"},
		{wedge("dec40"), "0045131261", "!10 digits, want 13"},
		// Hex, 24, 32 or 40 bits by length, with or without a letter.
		{wedge("hex"), "B0A5FD", "w26:176:42493"},
		{wedge("hex"), "02b0a5fd", "dec:0045131261"},
		{wedge("hex"), "0102B0A5FD", "em:0102B0A5FD"},
		{wedge("hex"), "0102030405", "em:0102030405"},
		{wedge("hex"), "0102b0a5f", "!want 6, 8 or 10 hex digits"},
		{wedge("hex"), "04a22b1a2b3c4d", "!want 6, 8 or 10 hex digits"},
		// UIDs.
		{wedge("uid-hex"), "51e69621", "uid:51E69621"},
		{wedge("uid-hex"), "04122334", "uid:04122334"},
		{wedge("uid-hex"), "04a22b1a2b3c4d", "uid:04A22B1A2B3C4D"},
		{wedge("uid-hex"), "0102b0a5fd", "!want a UID of 8, 14 or 20 hex digits"},
		{wedge("uid-dec-rev"), "0563537489", "uid:51E69621"},
		{wedge("uid-dec-rev"), "0045131261", "uid:FDA5B002"},
		{wedge("uid-dec-rev"), "4294967296", "!more than the 32 bits"},
		{wedge("uid-dec-rev"), "51e69621", "!not decimal digits only"},
		// Wiegand 26 converters.
		{w26(""), "B0A5FD", "w26:176:42493"},
		{w26(""), "176,42493", "w26:176:42493"},
		{w26(""), "0011576829", "w26:176:42493"},
		{w26(""), "11576829", "!8 digits may be a facility and number (fac3num5) or the decimal of the 24 bits (dec24)"},
		{w26(""), "17642493", "!set the reader's format"},
		{w26(""), "02B0A5FD", "!bits 34"},
		{w26("hex"), "B0A5FD", "w26:176:42493"},
		{w26("hex"), "02B0A5FD", "!want 6 hex digits"},
		{w26("hex"), "176,42493", "!want 6 hex digits"},
		{w26("dec24"), "11576829", "w26:176:42493"},
		{w26("dec24"), "0011576829", "w26:176:42493"},
		{w26("dec24"), "B0A5FD", "!not decimal digits only"},
		{w26("fac3num5"), "17642493", "w26:176:42493"},
		{w26("fac3num5"), "11576829", "!number 0-65535"},
		// Wiegand 34 converters.
		{w34(""), "02B0A5FD", "dec:0045131261"},
		{w34(""), "0045131261", "dec:0045131261"},
		{w34(""), "B0A5FD", "!Wiegand 34"},
		{w34("hex"), "02b0a5fd", "dec:0045131261"},
		{w34("hex"), "0045131261", "!want 8 hex digits"},
		{w34("dec32"), "0045131261", "dec:0045131261"},
		{w34("dec32"), "02B0A5FD", "!not decimal digits only"},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%s %s %q", tt.dev.Kind, tt.dev.Format, tt.line), func(t *testing.T) {
			got, err := parserFor(t, tt.dev)(tt.line)
			if want, ok := strings.CutPrefix(tt.want, "!"); ok {
				if err == nil || !errors.Is(err, ErrFrame) || !strings.Contains(err.Error(), want) {
					t.Fatalf("got %q, %v, want an ErrFrame error containing %q", got, err, want)
				}
				if got != "" {
					t.Errorf("got code %q with the error", got)
				}
				if tt.line != "" && !strings.Contains(err.Error(), fmt.Sprintf("%q", tt.line)) {
					t.Errorf("error %q does not quote the line", err)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Fatalf("got %q, %v, want %q", got, err, tt.want)
			}
			checkCanonical(t, []string{got})
			checkWidths(t, tt.dev, []string{got})
		})
	}
}

// convention is how a vendor prints a card: a name, the reader it is
// found on, and the line it prints for a card of 40 bits (bit readers) or
// a UID (uid conventions; uid is 4, 7 or 10 bytes).
type convention struct {
	name  string
	dev   core.Device // the reader, set to the matching format
	print func(v uint64, uid []byte) string
	uid   bool // prints a UID, not bits
}

func hexUID(uid []byte) string { return fmt.Sprintf("%X", uid) }

// conventions are the vendor conventions docs/hardware.md lists.
var conventions = []convention{
	{name: "wedge dec32", dev: core.Device{Kind: "usb-wedge", Format: core.ReadDec32},
		print: func(v uint64, _ []byte) string { return fmt.Sprintf("%010d", v&(1<<32-1)) }},
	{name: "wedge dec24", dev: core.Device{Kind: "usb-wedge", Format: core.ReadDec24},
		print: func(v uint64, _ []byte) string { return fmt.Sprintf("%08d", v&(1<<24-1)) }},
	{name: "wedge fac3num5", dev: core.Device{Kind: "usb-wedge", Format: core.ReadFac3Num5},
		print: func(v uint64, _ []byte) string { return fmt.Sprintf("%03d%05d", v>>16&0xFF, v&0xFFFF) }},
	{name: "wedge dec40", dev: core.Device{Kind: "usb-wedge", Format: core.ReadDec40},
		print: func(v uint64, _ []byte) string { return fmt.Sprintf("%013d", v) }},
	{name: "wedge hex6", dev: core.Device{Kind: "usb-wedge", Format: core.ReadHex},
		print: func(v uint64, _ []byte) string { return fmt.Sprintf("%06x", v&(1<<24-1)) }},
	{name: "wedge hex8", dev: core.Device{Kind: "usb-wedge", Format: core.ReadHex},
		print: func(v uint64, _ []byte) string { return fmt.Sprintf("%08X", v&(1<<32-1)) }},
	{name: "wedge hex10", dev: core.Device{Kind: "usb-wedge", Format: core.ReadHex},
		print: func(v uint64, _ []byte) string { return fmt.Sprintf("%010X", v) }},
	{name: "wedge uid-hex", dev: core.Device{Kind: "usb-wedge", Format: core.ReadUIDHex}, uid: true,
		print: func(_ uint64, uid []byte) string { return hexUID(uid) }},
	{name: "wedge uid-dec-rev", dev: core.Device{Kind: "usb-wedge", Format: core.ReadUIDDecRev}, uid: true,
		print: func(_ uint64, uid []byte) string {
			return fmt.Sprintf("%010d", uint64(uid[3])<<24|uint64(uid[2])<<16|uint64(uid[1])<<8|uint64(uid[0]))
		}},
	{name: "wiegand26 facility,number", dev: core.Device{Kind: "serial-wiegand", Format: core.ReadAuto},
		print: func(v uint64, _ []byte) string { return fmt.Sprintf("%d,%d", v>>16&0xFF, v&0xFFFF) }},
	{name: "wiegand26 hex", dev: core.Device{Kind: "serial-wiegand", Format: core.ReadHex},
		print: func(v uint64, _ []byte) string { return fmt.Sprintf("%06X", v&(1<<24-1)) }},
	{name: "wiegand26 dec24", dev: core.Device{Kind: "serial-wiegand", Format: core.ReadDec24},
		print: func(v uint64, _ []byte) string { return fmt.Sprintf("%08d", v&(1<<24-1)) }},
	{name: "wiegand26 dec10", dev: core.Device{Kind: "serial-wiegand", Format: core.ReadDec24},
		print: func(v uint64, _ []byte) string { return fmt.Sprintf("%010d", v&(1<<24-1)) }},
	{name: "wiegand26 fac3num5", dev: core.Device{Kind: "serial-wiegand", Format: core.ReadFac3Num5},
		print: func(v uint64, _ []byte) string { return fmt.Sprintf("%03d%05d", v>>16&0xFF, v&0xFFFF) }},
	{name: "wiegand34 hex", dev: core.Device{Kind: "serial-wiegand", Bits: 34, Format: core.ReadHex},
		print: func(v uint64, _ []byte) string { return fmt.Sprintf("%08x", v&(1<<32-1)) }},
	{name: "wiegand34 dec32", dev: core.Device{Kind: "serial-wiegand", Bits: 34, Format: core.ReadDec32},
		print: func(v uint64, _ []byte) string { return fmt.Sprintf("%010d", v&(1<<32-1)) }},
}

// sampleCards returns n card values and UIDs: random 40-bit values, values
// whose hex has no letter (a hex reader then types only digits), and
// small ones of the same kind, so that every shape a convention can print
// comes up.
func sampleCards(n int) ([]uint64, [][]byte) {
	rng := rand.New(rand.NewPCG(12, 2026))
	vs := make([]uint64, n)
	uids := make([][]byte, n)
	for i := range vs {
		switch i % 3 {
		case 0:
			vs[i] = rng.Uint64N(1 << 40)
		default:
			for range 10 {
				vs[i] = vs[i]<<4 | rng.Uint64N(10)
			}
			if i%3 == 2 {
				vs[i] &= 1<<24 - 1
			}
		}
		uids[i] = make([]byte, []int{4, 4, 7, 10}[i%4])
		for j := range uids[i] {
			if i%2 == 0 {
				uids[i][j] = byte(rng.IntN(256))
			} else {
				uids[i][j] = byte(rng.IntN(10)<<4 | rng.IntN(10)) // no letter
			}
		}
	}
	return vs, uids
}

// TestConventionsReadTheirCards checks, for every vendor convention and
// many cards, that a reader set to the convention's format reads the
// printed line as a code of that very card (Code.Matches), of a width its
// ReadWidths names.
func TestConventionsReadTheirCards(t *testing.T) {
	vs, uids := sampleCards(3000)
	for _, cv := range conventions {
		t.Run(cv.name, func(t *testing.T) {
			parse := parserFor(t, cv.dev)
			for i, v := range vs {
				uid := uids[i]
				if cv.name == "wedge uid-dec-rev" {
					uid = uid[:4] // a 4-byte UID only
				}
				line := cv.print(v, uid)
				code, err := parse(line)
				if err != nil {
					t.Fatalf("card %010X / %X printed %q: %v", v, uid, line, err)
				}
				if !sameCard(code, v, uid, cv.uid) {
					t.Fatalf("card %010X / %X printed %q: read as %s, another card", v, uid, line, code)
				}
				checkWidths(t, cv.dev, []string{code})
			}
		})
	}
}

// sameCard reports whether code is a read of the card of 40 bits v, or of
// the UID uid when isUID.
func sameCard(code string, v uint64, uid []byte, isUID bool) bool {
	read, err := core.ParseCode(code)
	if err != nil {
		return false
	}
	card := core.Code{Format: core.FormatEM, Value: v, Width: 40}
	if isUID {
		card, _ = core.ParseCode("uid:" + hexUID(uid))
	}
	return card.Matches(read)
}

// TestConventionsLookAlike lists, for every pair of a convention and a
// format a reader of the same kind may be set to, whether a line printed
// in the convention can be read under that format as another card: a
// valid-looking wrong code. Formats are in core.ReadFormats' order. The
// list is what docs/hardware.md tells
// admins; a parser that starts reading another shape fails this test.
// Every other pair rejects the line or reads the same card.
func TestConventionsLookAlike(t *testing.T) {
	want := map[string][]string{
		"wedge dec32":               {"hex", "uid-dec-rev"},
		"wedge dec24":               {"fac3num5", "hex", "uid-hex"},
		"wedge fac3num5":            {"dec24", "hex", "uid-hex"},
		"wedge dec40":               nil,
		"wedge hex6":                nil,
		"wedge hex8":                {"dec24", "fac3num5", "uid-hex"},
		"wedge hex10":               {"auto", "dec32", "dec24", "uid-dec-rev"},
		"wedge uid-hex":             {"dec24", "fac3num5", "hex"},
		"wedge uid-dec-rev":         {"auto", "dec32", "dec24", "hex"},
		"wiegand26 facility,number": nil,
		"wiegand26 hex":             nil,
		"wiegand26 dec24":           {"fac3num5"},
		"wiegand26 dec10":           nil,
		"wiegand26 fac3num5":        {"dec24"},
		"wiegand34 hex":             nil,
		"wiegand34 dec32":           nil,
	}
	vs, uids := sampleCards(3000)
	for _, cv := range conventions {
		t.Run(cv.name, func(t *testing.T) {
			var wrong []string
			for _, format := range core.ReadFormats(cv.dev.Kind, cv.dev.Bits) {
				d := cv.dev
				d.Format = format
				parse := parserFor(t, d)
				for i, v := range vs {
					uid := uids[i]
					if cv.name == "wedge uid-dec-rev" {
						uid = uid[:4]
					}
					line := cv.print(v, uid)
					code, err := parse(line)
					if err == nil && !sameCard(code, v, uid, cv.uid) {
						wrong = append(wrong, format)
						break
					}
				}
			}
			if !slices.Equal(wrong, want[cv.name]) {
				t.Errorf("formats that read another card: got %q, want %q", wrong, want[cv.name])
			}
		})
	}
}
