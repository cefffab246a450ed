package reader

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"frontdesk/core"
)

// recordSink is a Sink that keeps what it is given, for tests that check
// what a decoder or driver delivered.
type recordSink struct {
	codes   []string
	rejects []error
}

// Card records a code.
func (r *recordSink) Card(code string) { r.codes = append(r.codes, code) }

// Reject records a rejected frame's error.
func (r *recordSink) Reject(err error) { r.rejects = append(r.rejects, err) }

// decodeCase is one input for a decoder and what it must deliver. The same
// input is also fed split at every byte position and byte by byte, since
// the port's read timeout can cut a frame anywhere.
type decodeCase struct {
	name    string
	in      string
	codes   []string
	rejects int
	// rejectHas, when set, must appear in every reject's message.
	rejectHas string
}

// newTestDecoder returns the decoder for d or stops the test.
func newTestDecoder(t *testing.T, d core.Device) Decoder {
	t.Helper()
	dec, err := NewDecoder(d)
	if err != nil {
		t.Fatalf("NewDecoder(%+v): %v", d, err)
	}
	return dec
}

// feedChunks feeds chunks, in order, to a fresh decoder for d.
func feedChunks(t *testing.T, d core.Device, chunks ...[]byte) *recordSink {
	t.Helper()
	dec := newTestDecoder(t, d)
	s := &recordSink{}
	for _, c := range chunks {
		dec.Feed(c, s)
	}
	return s
}

// checkCanonical fails the test for a code that core would not read back
// to the same text: the engine matches codes by their canonical form.
func checkCanonical(t *testing.T, codes []string) {
	t.Helper()
	for _, c := range codes {
		pc, err := core.ParseCode(c)
		if err != nil {
			t.Errorf("emitted %q: %v", c, err)
			continue
		}
		if got := pc.String(); got != c {
			t.Errorf("emitted %q, canonical form is %q", c, got)
		}
		if pc.Format == core.FormatOpaque {
			t.Errorf("emitted %q, which core reads as an opaque code", c)
		}
	}
}

// runDecodeCases checks every case for device d, whole, split at every
// position, and byte by byte.
func runDecodeCases(t *testing.T, d core.Device, cases []decodeCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			in := []byte(tc.in)
			s := feedChunks(t, d, in)
			if !slices.Equal(s.codes, tc.codes) {
				t.Errorf("codes: got %q, want %q", s.codes, tc.codes)
			}
			if len(s.rejects) != tc.rejects {
				t.Errorf("rejects: got %d %v, want %d", len(s.rejects), s.rejects, tc.rejects)
			}
			for _, err := range s.rejects {
				if !errors.Is(err, ErrFrame) {
					t.Errorf("reject %v: got errors.Is(ErrFrame) false, want true", err)
				}
				if !strings.Contains(err.Error(), tc.rejectHas) {
					t.Errorf("reject: got %q, want it to contain %q", err, tc.rejectHas)
				}
			}
			checkCanonical(t, s.codes)
			for cut := 0; cut <= len(in); cut++ {
				sp := feedChunks(t, d, in[:cut], in[cut:])
				if !slices.Equal(sp.codes, s.codes) || len(sp.rejects) != len(s.rejects) {
					t.Errorf("cut at %d: got %q and %d rejects, want %q and %d", cut, sp.codes, len(sp.rejects), s.codes, len(s.rejects))
				}
			}
			var bytewise [][]byte
			for i := range in {
				bytewise = append(bytewise, in[i:i+1])
			}
			bb := feedChunks(t, d, bytewise...)
			if !slices.Equal(bb.codes, s.codes) || len(bb.rejects) != len(s.rejects) {
				t.Errorf("byte by byte: got %q and %d rejects, want %q and %d", bb.codes, len(bb.rejects), s.codes, len(s.rejects))
			}
		})
	}
}

// binaryFrame builds a binary UART module frame for snr with its BCC
// computed here, independently of the decoder.
func binaryFrame(typ byte, snr [5]byte) string {
	body := append([]byte{0x0A, typ}, snr[:]...)
	var bcc byte
	for _, b := range body {
		bcc ^= b
	}
	return "\x02" + string(body) + string([]byte{bcc, 0x03})
}

const (
	rdmFrame  = "\x0262E3086CED08\x03"
	id12Frame = "\x020C000621A58E\r\n\x03"
	// binFrame is HARDWARE.md's example; its BCC B0 is right:
	// 0A^02^06^00^8E^6D^5D = B0.
	binFrame = "\x02\x0A\x02\x06\x00\x8E\x6D\x5D\xB0\x03"
)

func TestDecodeEMFrames(t *testing.T) {
	cases := []decodeCase{
		{name: "rdm6300 example", in: rdmFrame, codes: []string{"em:62E3086CED"}},
		{name: "id12 example", in: id12Frame, codes: []string{"em:0C000621A5"}},
		{name: "lower-case hex", in: "\x0262e3086ced08\x03", codes: []string{"em:62E3086CED"}},
		{name: "lower-case checksum", in: "\x020c000621a58e\x03", codes: []string{"em:0C000621A5"}},
		{name: "CR before 03", in: "\x0262E3086CED08\r\x03", codes: []string{"em:62E3086CED"}},
		{name: "LF before 03", in: "\x0262E3086CED08\n\x03", codes: []string{"em:62E3086CED"}},
		{name: "LF CR before 03", in: "\x0262E3086CED08\n\r\x03", codes: []string{"em:62E3086CED"}},
		{name: "three CR/LF before 03", in: "\x0262E3086CED08\r\n\r\x03", rejects: 1, rejectHas: "CR/LF"},
		{name: "noise before a frame", in: "\x00\xFFhello\r\n\x03\x7F" + rdmFrame, codes: []string{"em:62E3086CED"}},
		{name: "noise only", in: "abc\x03\r\n\x00\xFF0123456789", codes: nil},
		{name: "empty", in: "", codes: nil},
		{name: "two frames in one feed", in: rdmFrame + id12Frame, codes: []string{"em:62E3086CED", "em:0C000621A5"}},
		{name: "frames separated by noise", in: rdmFrame + "\r\n\x00" + id12Frame + "zz", codes: []string{"em:62E3086CED", "em:0C000621A5"}},
		{name: "unfinished frame is kept", in: "\x0262E3086C", codes: nil},
		{name: "bad checksum then good frame", in: "\x0262E3086CED09\x03" + id12Frame, codes: []string{"em:0C000621A5"}, rejects: 1, rejectHas: "checksum 09, computed 08"},
		{name: "0x02 inside a broken frame", in: "\x0262E308" + id12Frame, codes: []string{"em:0C000621A5"}, rejects: 1, rejectHas: "0x02"},
		{name: "missing 03 before next frame", in: "\x0262E3086CED08" + id12Frame, codes: []string{"em:0C000621A5"}, rejects: 1, rejectHas: "end byte 0x03"},
		{name: "two STX", in: "\x02" + rdmFrame, codes: []string{"em:62E3086CED"}, rejects: 1, rejectHas: "0x02"},
		{name: "non-hex digit", in: "\x0262E3G86CED08\x03" + rdmFrame, codes: []string{"em:62E3086CED"}, rejects: 1, rejectHas: "hex digit 5"},
		{name: "13 hex digits", in: "\x0262E3086CED080\x03", rejects: 1, rejectHas: "end byte 0x03"},
		{name: "03 too early", in: "\x0262E308\x03" + rdmFrame, codes: []string{"em:62E3086CED"}, rejects: 1},
		{name: "binary example", in: binFrame, codes: []string{"em:06008E6D5D"}},
		{name: "binary frame with 02 in SNR", in: binaryFrame(0x02, [5]byte{2, 2, 3, 2, 2}), codes: []string{"em:0202030202"}},
		{name: "binary then ascii frames", in: binFrame + rdmFrame + binFrame, codes: []string{"em:06008E6D5D", "em:62E3086CED", "em:06008E6D5D"}},
		{name: "binary bad BCC then good frame", in: "\x02\x0A\x02\x06\x00\x8E\x6D\x5D\xB1\x03" + rdmFrame, codes: []string{"em:62E3086CED"}, rejects: 1, rejectHas: "BCC B1, computed B0"},
		{name: "binary wrong type", in: binaryFrame(0x01, [5]byte{0x11, 0x22, 0x33, 0x44, 0x55}) + rdmFrame, codes: []string{"em:62E3086CED"}, rejects: 1, rejectHas: "type 0x01"},
		// The truncated binary frame swallows the ASCII frame's STX; the
		// replay after its missing 03 finds it: rejects for the binary
		// frame and for its TYPE byte 02 taken as an STX followed by 06.
		{name: "truncated binary frame then good frame", in: "\x02\x0A\x02\x06\x00" + rdmFrame, codes: []string{"em:62E3086CED"}, rejects: 2},
	}
	for _, kind := range []string{"serial-rdm6300", "serial-id12"} {
		t.Run(kind, func(t *testing.T) {
			runDecodeCases(t, core.Device{Kind: kind}, cases)
		})
	}
}

// TestDecodeEMFrameBounded feeds a long stream of frame starts and digits
// that never ends a frame: the decoder must keep decoding afterwards.
func TestDecodeEMFrameBounded(t *testing.T) {
	in := strings.Repeat("\x020123456789", 1000) + strings.Repeat("\x02\x0A\x02", 1000) + rdmFrame
	s := feedChunks(t, core.Device{Kind: "serial-rdm6300"}, []byte(in))
	if want := []string{"em:62E3086CED"}; !slices.Equal(s.codes, want) {
		t.Errorf("got %v, want %v", s.codes, want)
	}
}

// TestDecodeWiegandLines checks what a Wiegand converter's lines give
// under the default format (auto); format_test.go has every format.
func TestDecodeWiegandLines(t *testing.T) {
	tooLong := strings.Repeat("7", 200)
	common := []decodeCase{
		{name: "5 hex", in: "B0A5F\r", rejects: 1, rejectHas: `"B0A5F"`},
		{name: "7 hex", in: "B0A5FD0\r", rejects: 1, rejectHas: "want"},
		{name: "not hex", in: "G0A5FD\r", rejects: 1, rejectHas: `"G0A5FD"`},
		{name: "10 hex with letters", in: "0102B0A5FD\r", rejects: 1},
		{name: "11 digits", in: "12345678901\r", rejects: 1},
		{name: "hello", in: "hello\r\n", rejects: 1, rejectHas: `"hello"`},
		{name: "three numbers", in: "1,2,3\r\n", rejects: 1},
		{name: "negative", in: "-1,2\r\n", rejects: 1},
		{name: "long garbage quoted and cut", in: strings.Repeat("x", 60) + "\n", rejects: 1, rejectHas: `"` + strings.Repeat("x", 40) + `"...`},
		{name: "no line end yet", in: "B0A5FD", codes: nil},
	}
	narrow := append(slices.Clone(common),
		decodeCase{name: "6 hex", in: "B0A5FD\r", codes: []string{"w26:176:42493"}},
		decodeCase{name: "6 lower-case hex", in: "b0a5fd\r\n", codes: []string{"w26:176:42493"}},
		decodeCase{name: "6 hex all digits", in: "123456\n", codes: []string{"w26:18:13398"}},
		decodeCase{name: "6 hex zero", in: "000000\n", codes: []string{"w26:0:0"}},
		decodeCase{name: "facility comma number", in: "176,42493\r\n", codes: []string{"w26:176:42493"}},
		decodeCase{name: "facility colon number", in: "176:42493\r\n", codes: []string{"w26:176:42493"}},
		decodeCase{name: "facility and number padded", in: "  007, 00042 \r\n", codes: []string{"w26:7:42"}},
		decodeCase{name: "facility and number max", in: "255,65535\n", codes: []string{"w26:255:65535"}},
		decodeCase{name: "line endings", in: "B0A5FD\rB0A5FD\nB0A5FD\r\nB0A5FD\n\rB0A5FD\r\r\n\n", codes: []string{"w26:176:42493", "w26:176:42493", "w26:176:42493", "w26:176:42493", "w26:176:42493"}},
		decodeCase{name: "empty lines and spaces", in: "\r\n  \r\n\t\n  B0A5FD  \r\n", codes: []string{"w26:176:42493"}},
		decodeCase{name: "facility too big", in: "256,1\r\n", rejects: 1, rejectHas: "0 to 255"},
		decodeCase{name: "number too big", in: "1,65536\r\n", rejects: 1, rejectHas: "0 to 65535"},
		decodeCase{name: "facility missing", in: ",1\r\n", rejects: 1},
		decodeCase{name: "number missing", in: "1,\r\n", rejects: 1},
		decodeCase{name: "facility not decimal", in: "a,1\r\n", rejects: 1},
		decodeCase{name: "over-long line rejected once", in: tooLong + "\r\nB0A5FD\r\n", codes: []string{"w26:176:42493"}, rejects: 1, rejectHas: "longer than 128 bytes"},
		decodeCase{name: "reject then good line", in: "zz\r\nB0A5FD\r\n", codes: []string{"w26:176:42493"}, rejects: 1},
		decodeCase{name: "10 digits fit 24 bits", in: "0011576829\r\n", codes: []string{"w26:176:42493"}},
		decodeCase{name: "10 digits max 24 bits", in: "0016777215\r\n", codes: []string{"w26:255:65535"}},
		decodeCase{name: "10 digits over 24 bits", in: "0016777216\r\n", rejects: 1, rejectHas: "24 bits"},
		decodeCase{name: "10 digits of 32 bits", in: "0045131261\r\n", rejects: 1, rejectHas: `"0045131261"`},
		// 8 digits are "3+5" on one converter and the decimal of the 24
		// bits on another: never guessed.
		decodeCase{name: "8 digits need a format", in: "17642493\r\n", rejects: 1, rejectHas: "set the reader's format"},
		decodeCase{name: "8 hex are not 24 bits", in: "02B0A5FD\r\n", rejects: 1, rejectHas: "bits 34"},
	)
	wide := append(slices.Clone(common),
		decodeCase{name: "8 hex", in: "02B0A5FD\r\n", codes: []string{"dec:0045131261"}},
		decodeCase{name: "8 hex all digits", in: "12345678\r\n", codes: []string{"dec:0305419896"}},
		decodeCase{name: "8 hex max", in: "ffffffff\r\n", codes: []string{"dec:4294967295"}},
		decodeCase{name: "line endings", in: "02B0A5FD\r02B0A5FD\n02B0A5FD\r\n", codes: []string{"dec:0045131261", "dec:0045131261", "dec:0045131261"}},
		decodeCase{name: "10 digits", in: "0045131261\r\n", codes: []string{"dec:0045131261"}},
		decodeCase{name: "10 digits small", in: "0011576829\r\n", codes: []string{"dec:0011576829"}},
		decodeCase{name: "10 digits max 32 bits", in: "4294967295\r\n", codes: []string{"dec:4294967295"}},
		decodeCase{name: "10 digits over 32 bits", in: "4294967296\r\n", rejects: 1, rejectHas: "32 bits"},
		decodeCase{name: "10 nines", in: "9999999999\r\n", rejects: 1},
		decodeCase{name: "over-long line rejected once", in: tooLong + "\r\n02B0A5FD\r\n", codes: []string{"dec:0045131261"}, rejects: 1, rejectHas: "longer than 128 bytes"},
		// Wiegand 34 has no 24-bit forms.
		decodeCase{name: "6 hex", in: "B0A5FD\r", rejects: 1, rejectHas: "Wiegand 34"},
		decodeCase{name: "facility and number", in: "176,42493\r\n", rejects: 1},
	)
	for _, tc := range []struct {
		bits  int
		cases []decodeCase
	}{{0, narrow}, {26, narrow}, {34, wide}} {
		t.Run(fmt.Sprintf("bits %d", tc.bits), func(t *testing.T) {
			runDecodeCases(t, core.Device{Kind: "serial-wiegand", Bits: tc.bits}, tc.cases)
		})
	}
}

func TestDecodeLineUIDs(t *testing.T) {
	const want = "uid:04A22B1A"
	cases := []decodeCase{
		{name: "spaced", in: "04 A2 2B 1A\r\n", codes: []string{want}},
		{name: "packed lower-case", in: "04a22b1a\n", codes: []string{want}},
		{name: "UID label", in: "UID: 04 A2 2B 1A\r\n", codes: []string{want}},
		{name: "Card UID label with colons", in: "Card UID: 04:A2:2B:1A\r\n", codes: []string{want}},
		{name: "label without colon", in: "UID 04A22B1A\r\n", codes: []string{want}},
		{name: "0x prefixes", in: "0x04 0xA2 0x2B 0x1A\r\n", codes: []string{want}},
		{name: "0X prefixes lower-case", in: "0X04 0xa2 0x2b 0x1a\r\n", codes: []string{want}},
		{name: "dashes", in: "04-A2-2B-1A\r\n", codes: []string{want}},
		{name: "commas and tabs", in: "\t04,A2,\t2B, 1A \r\n", codes: []string{want}},
		{name: "label glued", in: "UID:04A22B1A\r\n", codes: []string{want}},
		{name: "nested label", in: "Reader 1: UID: 04 A2 2B 1A\r\n", codes: []string{want}},
		{name: "PN532 label", in: "  UID Value: 0x04 0xA2 0x2B 0x1A\r\n", codes: []string{want}},
		{name: "7 bytes", in: "UID: 04 52 1a 2B 3C 4D 80\r\n", codes: []string{"uid:04521A2B3C4D80"}},
		{name: "10 bytes", in: "04:52:1A:2B:3C:4D:80:11:22:33\n", codes: []string{"uid:04521A2B3C4D80112233"}},
		{name: "several lines", in: "04A22B1A\r\n\r\n04521A2B3C4D80\r\n", codes: []string{want, "uid:04521A2B3C4D80"}},
		{name: "5 bytes", in: "04 A2 2B 1A 5B\r\n", rejects: 1, rejectHas: "10 hex digits"},
		{name: "unpadded byte", in: "4 A2 2B 1A\r\n", rejects: 1, rejectHas: "7 hex digits"},
		{name: "odd digits", in: "04A22B1\r\n", rejects: 1},
		{name: "hello", in: "hello\r\n", rejects: 1, rejectHas: `"hello"`},
		{name: "length line", in: "UID Length: 4 bytes\r\n", rejects: 1, rejectHas: "no hex UID"},
		{name: "SAK line", in: "Card SAK: 08\r\n", rejects: 1},
		{name: "trailing word", in: "04 A2 2B 1A ok\r\n", rejects: 1},
		{name: "bare 0x", in: "0x 0x\r\n", rejects: 1},
		{name: "128 bytes accepted", in: strings.Repeat("L", 128-len(": 04 A2 2B 1A")) + ": 04 A2 2B 1A\n", codes: []string{want}},
		{name: "129 bytes rejected once", in: strings.Repeat("L", 129-len(": 04 A2 2B 1A")) + ": 04 A2 2B 1A\n04A22B1A\n", codes: []string{want}, rejects: 1, rejectHas: "longer than 128 bytes"},
		{name: "very long line rejected once", in: strings.Repeat("04 A2 2B 1A ", 100) + "\r\n" + "04A22B1A\r\n", codes: []string{want}, rejects: 1, rejectHas: "longer than 128 bytes"},
		{name: "binary garbage", in: "\x00\x02\xFF\xFE\r\n", rejects: 1},
	}
	runDecodeCases(t, core.Device{Kind: "serial-line"}, cases)
}

// TestDecodeLineBounded checks that a line decoder's buffer never grows
// past maxLineLen, whatever it is fed.
func TestDecodeLineBounded(t *testing.T) {
	for _, kind := range []string{"serial-line", "serial-wiegand"} {
		t.Run(kind, func(t *testing.T) {
			dec := newTestDecoder(t, core.Device{Kind: kind})
			s := &recordSink{}
			dec.Feed([]byte(strings.Repeat("0", 100000)), s)
			if got := cap(dec.(*lineDecoder).buf); got > maxLineLen {
				t.Errorf("buffer capacity: got %v, want at most %v", got, maxLineLen)
			}
			if got := len(s.rejects); got != 1 {
				t.Errorf("rejects: got %v, want %v", got, 1)
			}
		})
	}
}

func TestDecodeNewDecoder(t *testing.T) {
	cases := []struct {
		name    string
		dev     core.Device
		wantErr string
	}{
		{name: "rdm6300", dev: core.Device{Kind: "serial-rdm6300"}},
		{name: "id12", dev: core.Device{Kind: "serial-id12"}},
		{name: "wiegand default", dev: core.Device{Kind: "serial-wiegand"}},
		{name: "wiegand 26", dev: core.Device{Kind: "serial-wiegand", Bits: 26}},
		{name: "wiegand 34", dev: core.Device{Kind: "serial-wiegand", Bits: 34}},
		{name: "line", dev: core.Device{Kind: "serial-line"}},
		{name: "wiegand 30", dev: core.Device{Kind: "serial-wiegand", Bits: 30}, wantErr: "26 or 34"},
		{name: "wiegand 26 dec24", dev: core.Device{Kind: "serial-wiegand", Format: core.ReadDec24}},
		{name: "wiegand 34 dec32", dev: core.Device{Kind: "serial-wiegand", Bits: 34, Format: core.ReadDec32}},
		{name: "wiegand 26 dec32", dev: core.Device{Kind: "serial-wiegand", Format: core.ReadDec32}, wantErr: `has no format "dec32"`},
		{name: "wiegand 34 fac3num5", dev: core.Device{Kind: "serial-wiegand", Bits: 34, Format: core.ReadFac3Num5}, wantErr: "want auto, hex, dec32"},
		{name: "wiegand uid format", dev: core.Device{Kind: "serial-wiegand", Format: core.ReadUIDHex}, wantErr: "uid-hex"},
		{name: "usb wedge", dev: core.Device{Kind: "usb-wedge"}, wantErr: `no serial decoder for kind "usb-wedge"`},
		{name: "sim", dev: core.Device{Kind: "sim"}, wantErr: `no serial decoder for kind "sim"`},
		{name: "empty", dev: core.Device{}, wantErr: `no serial decoder for kind ""`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			dec, err := NewDecoder(tc.dev)
			if tc.wantErr == "" {
				if err != nil || dec == nil {
					t.Errorf("got %v, %v, want a decoder", dec, err)
				}
				return
			}
			if err == nil || !errors.Is(err, core.ErrInvalid) || !strings.Contains(err.Error(), tc.wantErr) {
				t.Errorf("got %v, want an ErrInvalid error containing %q", err, tc.wantErr)
			}
		})
	}
}
