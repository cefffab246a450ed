package reader_test

import (
	"context"
	"errors"
	"slices"
	"testing"

	"frontdesk/core"
	"frontdesk/reader"
	"frontdesk/reader/readertest"
)

// checkReaderCode fails t unless code is a card code core reads back to
// the same text, of a width the reader d delivers (core.ReadWidths), or a
// UID from a reader that reads UIDs (core.ReadsUIDs): the ambiguity
// checks of enrolment rely on ReadWidths saying what the parsers give.
func checkReaderCode(t *testing.T, d core.Device, code string) {
	t.Helper()
	c, err := core.ParseCode(code)
	if err != nil {
		t.Fatalf("code %q: core refuses it: %v", code, err)
	}
	if c.String() != code {
		t.Fatalf("code %q: canonical form is %q", code, c.String())
	}
	widths := d.ReadWidths()
	switch {
	case c.Format == core.FormatUID:
		if !d.ReadsUIDs() {
			t.Fatalf("code %q: a UID from a %s (format %q), which reads none", code, d.Kind, d.Format)
		}
	case c.Format != core.FormatEM && c.Format != core.FormatDec && c.Format != core.FormatW26:
		t.Fatalf("code %q: format %q is not one a reader delivers", code, c.Format)
	case !slices.Contains(widths, c.Width):
		t.Fatalf("code %q of %d bits from a %s (format %q, bits %d), which delivers %v", code, c.Width, d.Kind, d.Format, d.Bits, widths)
	}
}

// fuzzFormat picks a format of kind (and bits) from a fuzzed byte.
func fuzzFormat(kind string, bits int, pick byte) string {
	formats := core.ReadFormats(kind, bits)
	return formats[int(pick)%len(formats)]
}

// FuzzWedgeReports cuts random bytes into reports of 3 or 8 bytes (bit i
// of sizes chooses report i's size; the last may be shorter) and checks,
// for the wedge set to every format, that it never panics, delivers only
// canonical codes of the widths its format has and rejects with errors
// wrapping ErrFrame.
func FuzzWedgeReports(f *testing.F) {
	flat := func(reports [][]byte) []byte {
		var b []byte
		for _, r := range reports {
			b = append(b, r...)
		}
		return b
	}
	for pick := range core.ReadFormats("usb-wedge", 0) {
		f.Add(byte(pick), ^uint64(0), flat(typeBoot("0045131261\n")))
		f.Add(byte(pick), ^uint64(0), flat(typeBoot("0102b0a5fd\n04a22b1a\n17642493\n0004340098557\n")))
		f.Add(byte(pick), uint64(0), flat(typeShort("0045131261\n05946206\n")))
		f.Add(byte(pick), uint64(0), flat(typeShort("04a22b1a2b3c4d5e6f70\nb0a5fd\n")))
		f.Add(byte(pick), uint64(0x5555), flat(recorded0045131261))
	}
	f.Add(byte(0), uint64(0), []byte{})
	f.Fuzz(func(t *testing.T, pick byte, sizes uint64, data []byte) {
		format := fuzzFormat("usb-wedge", 0, pick)
		var reports [][]byte
		for i, off := 0, 0; off < len(data); i++ {
			size := 3
			if sizes>>(i%64)&1 == 1 {
				size = 8
			}
			end := min(off+size, len(data))
			reports = append(reports, data[off:end])
			off = end
		}
		in := &readertest.FakeEndpoint{Reports: reports, Err: errEndOfReplay}
		s := &wedgeSink{}
		if err := mustWedge(t, in, 8, format, nil).Run(context.Background(), s); !errors.Is(err, errEndOfReplay) {
			t.Fatalf("Run: got %v, want the end of the replay", err)
		}
		dev := core.Device{Kind: "usb-wedge", Format: format}
		for _, code := range s.cards {
			checkReaderCode(t, dev, code)
		}
		for _, err := range s.rejects {
			if !errors.Is(err, reader.ErrFrame) {
				t.Fatalf("reject %v does not wrap ErrFrame", err)
			}
		}
	})
}

// FuzzWedgeLine checks that a wedge set to any format, whatever the line,
// gives either a canonical code of a width its format delivers or an
// error wrapping ErrFrame, never both.
func FuzzWedgeLine(f *testing.F) {
	for pick := range core.ReadFormats("usb-wedge", 0) {
		for _, line := range []string{
			"0045131261", "4294967296", "17642493", "05946206", "25600000", "0004340098557", "1099511627776",
			"0102b0a5fd", "04A22B1A", "b0a5fd", "04a22b1a2b3c4d", "04122334455667788990", "0563537489", "", "00451 31261",
		} {
			f.Add(byte(pick), line)
		}
	}
	f.Fuzz(func(t *testing.T, pick byte, line string) {
		format := fuzzFormat("usb-wedge", 0, pick)
		code, err := reader.WedgeLine(format, line)
		if err != nil {
			if !errors.Is(err, reader.ErrFrame) {
				t.Fatalf("%s %q: error %v does not wrap ErrFrame", format, line, err)
			}
			if code != "" {
				t.Fatalf("%s %q: got code %q with error %v", format, line, code, err)
			}
			return
		}
		checkReaderCode(t, core.Device{Kind: "usb-wedge", Format: format}, code)
	})
}
