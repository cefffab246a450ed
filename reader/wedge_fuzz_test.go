package reader_test

import (
	"context"
	"errors"
	"testing"

	"frontdesk/core"
	"frontdesk/reader"
	"frontdesk/reader/readertest"
)

// checkWedgeCode fails t unless code is a card code core reads back to the
// same text, in one of the formats a wedge can deliver.
func checkWedgeCode(t *testing.T, code string) {
	t.Helper()
	c, err := core.ParseCode(code)
	if err != nil {
		t.Fatalf("code %q: core refuses it: %v", code, err)
	}
	if c.String() != code {
		t.Fatalf("code %q: canonical form is %q", code, c.String())
	}
	switch c.Format {
	case core.FormatEM, core.FormatDec, core.FormatW26, core.FormatUID:
	default:
		t.Fatalf("code %q: format %q is not one a wedge delivers", code, c.Format)
	}
}

// FuzzWedgeReports cuts random bytes into reports of 3 or 8 bytes (bit i
// of sizes chooses report i's size; the last may be shorter) and checks
// that the Wedge never panics, delivers only canonical codes and rejects
// with errors wrapping ErrFrame.
func FuzzWedgeReports(f *testing.F) {
	flat := func(reports [][]byte) []byte {
		var b []byte
		for _, r := range reports {
			b = append(b, r...)
		}
		return b
	}
	f.Add(^uint64(0), flat(typeBoot("0045131261\n")))
	f.Add(^uint64(0), flat(typeBoot("0102b0a5fd\n04a22b1a\n17642493\n0004340098557\n")))
	f.Add(uint64(0), flat(typeShort("0045131261\n")))
	f.Add(uint64(0), flat(typeShort("04a22b1a2b3c4d5e6f70\n")))
	f.Add(uint64(0x5555), flat(recorded0045131261))
	f.Add(uint64(0), []byte{})
	f.Fuzz(func(t *testing.T, sizes uint64, data []byte) {
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
		if err := reader.NewWedge(in, 8, nil).Run(context.Background(), s); !errors.Is(err, errEndOfReplay) {
			t.Fatalf("Run: got %v, want the end of the replay", err)
		}
		for _, code := range s.cards {
			checkWedgeCode(t, code)
		}
		for _, err := range s.rejects {
			if !errors.Is(err, reader.ErrFrame) {
				t.Fatalf("reject %v does not wrap ErrFrame", err)
			}
		}
	})
}

// FuzzWedgeCode checks that wedgeCode, whatever the line, returns either a
// canonical code or an error wrapping ErrFrame.
func FuzzWedgeCode(f *testing.F) {
	for _, line := range []string{
		"0045131261", "4294967296", "17642493", "25600000", "0004340098557", "1099511627776",
		"0102b0a5fd", "04A22B1A", "04a22b1a2b3c4d", "04122334455667788990", "", "00451 31261",
	} {
		f.Add(line)
	}
	f.Fuzz(func(t *testing.T, line string) {
		code, err := reader.WedgeCode(line)
		if err != nil {
			if !errors.Is(err, reader.ErrFrame) {
				t.Fatalf("%q: error %v does not wrap ErrFrame", line, err)
			}
			if code != "" {
				t.Fatalf("%q: got code %q with error %v", line, code, err)
			}
			return
		}
		checkWedgeCode(t, code)
	})
}
