package core

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
)

func TestParseCode(t *testing.T) {
	tests := []struct {
		in   string
		want Code
		out  string // canonical form
	}{
		{"em:0102B0A5FD", Code{Format: FormatEM, Value: 0x0102B0A5FD, Width: 40}, "em:0102B0A5FD"},
		{"  EM:0102b0a5fd ", Code{Format: FormatEM, Value: 0x0102B0A5FD, Width: 40}, "em:0102B0A5FD"},
		{"Em:0000000000", Code{Format: FormatEM, Width: 40}, "em:0000000000"},
		{"em:FFFFFFFFFF", Code{Format: FormatEM, Value: 1<<40 - 1, Width: 40}, "em:FFFFFFFFFF"},
		{"em:62E3086CED", Code{Format: FormatEM, Value: 0x62E3086CED, Width: 40}, "em:62E3086CED"},
		{"dec:0045131261", Code{Format: FormatDec, Value: 45131261, Width: 32}, "dec:0045131261"},
		{"DEC:45131261", Code{Format: FormatDec, Value: 45131261, Width: 32}, "dec:0045131261"},
		{"dec:0", Code{Format: FormatDec, Width: 32}, "dec:0000000000"},
		{"dec:4294967295", Code{Format: FormatDec, Value: 1<<32 - 1, Width: 32}, "dec:4294967295"},
		{"w26:176:42493", Code{Format: FormatW26, Value: 176<<16 | 42493, Width: 24}, "w26:176:42493"},
		{"W26:007:00042", Code{Format: FormatW26, Value: 7<<16 | 42, Width: 24}, "w26:7:42"},
		{"w26:0:0", Code{Format: FormatW26, Width: 24}, "w26:0:0"},
		{"w26:255:65535", Code{Format: FormatW26, Value: 1<<24 - 1, Width: 24}, "w26:255:65535"},
		{"uid:04A22B1A", Code{Format: FormatUID, Width: 32, Text: "04A22B1A"}, "uid:04A22B1A"},
		{"uid:04a22b1a", Code{Format: FormatUID, Width: 32, Text: "04A22B1A"}, "uid:04A22B1A"},
		{"uid:04 A2 2B 1A", Code{Format: FormatUID, Width: 32, Text: "04A22B1A"}, "uid:04A22B1A"},
		{"UID:04:a2:2b:1a", Code{Format: FormatUID, Width: 32, Text: "04A22B1A"}, "uid:04A22B1A"},
		{"uid:04A2 2B1A", Code{Format: FormatUID, Width: 32, Text: "04A22B1A"}, "uid:04A22B1A"},
		{"uid:04112233445566", Code{Format: FormatUID, Width: 56, Text: "04112233445566"}, "uid:04112233445566"},
		{"uid:00112233445566778899", Code{Format: FormatUID, Width: 80, Text: "00112233445566778899"}, "uid:00112233445566778899"},
		{"HID-12345", Code{Text: "HID-12345"}, "HID-12345"},
		{" guest badge 7 ", Code{Text: "guest badge 7"}, "guest badge 7"},
		{"hid:1234", Code{Text: "hid:1234"}, "hid:1234"},
		{"em", Code{Text: "em"}, "em"},
		{"emx:0102B0A5FD", Code{Text: "emx:0102B0A5FD"}, "emx:0102B0A5FD"},
		{"badge é", Code{Text: "badge é"}, "badge é"},
		{strings.Repeat("x", 64), Code{Text: strings.Repeat("x", 64)}, strings.Repeat("x", 64)},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParseCode(tt.in)
			if err != nil {
				t.Fatalf("got error %v, want %v", err, tt.want)
			}
			if got != tt.want {
				t.Errorf("got %#v, want %#v", got, tt.want)
			}
			if s := got.String(); s != tt.out {
				t.Errorf("String: got %q, want %q", s, tt.out)
			}
			back, err := ParseCode(got.String())
			if err != nil || back != got {
				t.Errorf("round trip: got %#v, %v, want %#v", back, err, got)
			}
		})
	}
}

func TestParseCodeInvalid(t *testing.T) {
	tests := []struct {
		in   string
		want string // the error message
	}{
		{"", `card code is empty`},
		{"   ", `card code is empty`},
		{"em:12", `card code "em:12": em needs 10 hex digits`},
		{"em:", `card code "em:": em needs 10 hex digits`},
		{"em:0102B0A5FDA", `card code "em:0102B0A5FDA": em needs 10 hex digits`},
		{"em:0102B0A5FG", `card code "em:0102B0A5FG": em needs 10 hex digits`},
		{"em:01 02B0A5FD", `card code "em:01 02B0A5FD": em needs 10 hex digits`},
		{"em:+102B0A5FD", `card code "em:+102B0A5FD": em needs 10 hex digits`},
		{"dec:", `card code "dec:": dec needs 1 to 10 decimal digits`},
		{"dec:00451312610", `card code "dec:00451312610": dec needs 1 to 10 decimal digits`},
		{"dec:-1", `card code "dec:-1": dec needs 1 to 10 decimal digits`},
		{"dec:4294967296", `card code "dec:4294967296": dec is more than 32 bits (max 4294967295)`},
		{"dec:9999999999", `card code "dec:9999999999": dec is more than 32 bits (max 4294967295)`},
		{"w26:176", `card code "w26:176": w26 needs FACILITY:NUMBER`},
		{"w26:256:1", `card code "w26:256:1": w26 facility must be a number 0 to 255`},
		{"w26::1", `card code "w26::1": w26 facility must be a number 0 to 255`},
		{"w26:1:65536", `card code "w26:1:65536": w26 card number must be a number 0 to 65535`},
		{"w26:1:", `card code "w26:1:": w26 card number must be a number 0 to 65535`},
		{"w26:1:2:3", `card code "w26:1:2:3": w26 card number must be a number 0 to 65535`},
		{"w26:176,42493", `card code "w26:176,42493": w26 needs FACILITY:NUMBER`},
		{"uid:04A22B", `card code "uid:04A22B": uid needs 4, 7 or 10 bytes (8, 14 or 20 hex digits), got 6 hex digits`},
		{"uid:04A22B1A00", `card code "uid:04A22B1A00": uid needs 4, 7 or 10 bytes (8, 14 or 20 hex digits), got 10 hex digits`},
		{"uid:", `card code "uid:": uid needs 4, 7 or 10 bytes (8, 14 or 20 hex digits), got 0 hex digits`},
		{"uid:0 4A22B1A", `card code "uid:0 4A22B1A": uid separators must sit between bytes`},
		{"uid:04  A2 2B 1A", `card code "uid:04  A2 2B 1A": uid separators must sit between bytes`},
		{"uid: 04A22B1A", `card code "uid: 04A22B1A": uid separators must sit between bytes`},
		{"uid:04A22B1A:", `card code "uid:04A22B1A:": uid separators must sit between bytes`},
		{"uid:04-A2-2B-1A", `card code "uid:04-A2-2B-1A": uid has a character that is not hex: "-"`},
		{"badge\x007", `card code "badge\x007": contains a control character`},
		{"badge\t7", `card code "badge\t7": contains a control character`},
		{"badge\xff", `card code "badge\xff": not valid UTF-8`},
		{strings.Repeat("x", 65), fmt.Sprintf("card code %q: longer than 64 characters", strings.Repeat("x", 65))},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParseCode(tt.in)
			if err == nil {
				t.Fatalf("got %v, want error %q", got, tt.want)
			}
			if !errors.Is(err, ErrInvalid) {
				t.Errorf("got %v, want an error wrapping ErrInvalid", err)
			}
			if err.Error() != tt.want {
				t.Errorf("got %q, want %q", err, tt.want)
			}
		})
	}
}

func parseCodeT(t testing.TB, s string) Code {
	t.Helper()
	c, err := ParseCode(s)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestCodeMatches(t *testing.T) {
	tests := []struct {
		card, read string
		want       bool
	}{
		// DESIGN §6 and HARDWARE.md: one EM4100 card seen by three readers.
		{"em:0102B0A5FD", "em:0102B0A5FD", true},
		{"em:0102B0A5FD", "dec:0045131261", true},
		{"dec:0045131261", "em:0102B0A5FD", true},
		{"em:0102B0A5FD", "w26:176:42493", true},
		{"w26:176:42493", "em:0102B0A5FD", true},
		{"dec:0045131261", "w26:176:42493", true},
		{"w26:176:42493", "dec:0045131261", true},
		{"em:0102B0A5FD", "dec:45131261", true},
		// A different customer byte is a different card for a 40-bit reader,
		// and the same bits for the narrower ones.
		{"em:0102B0A5FD", "em:0202B0A5FD", false},
		{"em:0202B0A5FD", "dec:0045131261", true},
		{"em:0103B0A5FD", "dec:0045131261", false},
		{"em:0103B0A5FD", "w26:176:42493", true},
		{"em:0102B0A5FD", "w26:176:42494", false},
		{"em:0102B0A5FD", "w26:177:42493", false},
		{"dec:0045131262", "em:0102B0A5FD", false},
		// uid and opaque codes stand alone.
		{"uid:04A22B1A", "uid:04 a2 2b 1a", true},
		{"uid:04A22B1A", "uid:04A22B1B", false},
		{"uid:04A22B1A", "uid:04A22B1A000000", false},
		{"uid:04A22B1A", "dec:0077736730", false}, // 0x04A22B1A in decimal: a bit read never matches a uid
		{"dec:0077736730", "uid:04A22B1A", false},
		// HARDWARE.md: MIFARE wedges type the byte-reversed UID in decimal;
		// that is a different code until a reader driver turns it into uid.
		{"uid:51E69621", "dec:0563537489", false},
		{"HID-12345", "HID-12345", true},
		{"HID-12345", "hid-12345", false},
		{"04A22B1A", "uid:04A22B1A", false},
		{"0045131261", "dec:0045131261", false},
		{"dec:0045131261", "0045131261", false},
	}
	for _, tt := range tests {
		t.Run(tt.card+" "+tt.read, func(t *testing.T) {
			card, read := parseCodeT(t, tt.card), parseCodeT(t, tt.read)
			if got := card.Matches(read); got != tt.want {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
}

func TestCodeExamples(t *testing.T) {
	// HARDWARE.md: "0102B0A5FD → 0045131261", W26 "176,42493", and the
	// RDM6300 and ID-12LA frames' payloads.
	tests := []struct {
		in, want string
	}{
		{"dec:" + fmt.Sprint(uint64(0x0102B0A5FD)&0xFFFFFFFF), "dec:0045131261"},
		{fmt.Sprintf("w26:%d:%d", 0x0102B0A5FD>>16&0xFF, 0x0102B0A5FD&0xFFFF), "w26:176:42493"},
		{"em:62e3086ced", "em:62E3086CED"},
		{"em:0C000621A5", "em:0C000621A5"},
		{"dec:" + fmt.Sprint(0x2196E651), "dec:0563537489"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			if got := parseCodeT(t, tt.in).String(); got != tt.want {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
}

func TestCodeKeys(t *testing.T) {
	tests := []struct {
		code        string
		index, look []string
	}{
		{"em:0102B0A5FD",
			[]string{"b24:0000B0A5FD", "b32:0002B0A5FD", "b40:0102B0A5FD"},
			[]string{"b40:0102B0A5FD", "b24:0000B0A5FD", "b32:0002B0A5FD"}},
		{"dec:0045131261",
			[]string{"b24:0000B0A5FD", "b32:0002B0A5FD"},
			[]string{"b32:0002B0A5FD", "b24:0000B0A5FD"}},
		{"w26:176:42493",
			[]string{"b24:0000B0A5FD"},
			[]string{"b24:0000B0A5FD"}},
		{"uid:04 A2 2B 1A", []string{"uid:04A22B1A"}, []string{"uid:04A22B1A"}},
		{"HID-12345", []string{"op:HID-12345"}, []string{"op:HID-12345"}},
	}
	for _, tt := range tests {
		t.Run(tt.code, func(t *testing.T) {
			c := parseCodeT(t, tt.code)
			if got := c.IndexKeys(); !slices.Equal(got, tt.index) {
				t.Errorf("IndexKeys: got %v, want %v", got, tt.index)
			}
			if got := c.LookupKeys(); !slices.Equal(got, tt.look) {
				t.Errorf("LookupKeys: got %v, want %v", got, tt.look)
			}
		})
	}
}

// matchingCodeSet builds codes whose bits agree at some widths and differ at
// others, so that every combination of formats and agreements occurs.
func matchingCodeSet() []Code {
	var codes []Code
	for _, top := range []uint64{0x01, 0x02} { // bits 32..39
		for _, mid := range []uint64{0x02, 0x03} { // bits 24..31
			for _, low := range []uint64{0xB0A5FD, 0xB0A5FE, 0x000000} { // bits 0..23
				v := top<<32 | mid<<24 | low
				codes = append(codes,
					Code{Format: FormatEM, Value: v, Width: 40},
					Code{Format: FormatDec, Value: v & 0xFFFFFFFF, Width: 32},
					Code{Format: FormatW26, Value: v & 0xFFFFFF, Width: 24})
			}
		}
	}
	for _, s := range []string{"uid:04A22B1A", "uid:04A22B1B", "uid:04112233445566", "uid:00112233445566778899",
		"0102B0A5FD", "45131261", "B0A5FD", "HID-1", "uid:", "op:x"} {
		c, err := ParseCode(s)
		if err != nil {
			c = Code{Text: s} // opaque text that ParseCode would read as another format
		}
		codes = append(codes, c)
	}
	return codes
}

func TestCodeIndexFindsEveryMatch(t *testing.T) {
	codes := matchingCodeSet()
	matches := 0
	for _, card := range codes {
		index := card.IndexKeys()
		for _, read := range codes {
			want := card.Matches(read)
			if want {
				matches++
			}
			shared := false
			for _, k := range read.LookupKeys() {
				shared = shared || slices.Contains(index, k)
			}
			if want && !shared {
				t.Errorf("%v matches %v: got no shared key between %v and %v, want one", card, read, index, read.LookupKeys())
			}
			// The keys only narrow the search: a shared key between two
			// bit codes means their bits agree at that width.
			if shared && card.isBits() != read.isBits() {
				t.Errorf("%v and %v: got a shared key across kinds, want none", card, read)
			}
		}
	}
	if matches < len(codes) {
		t.Errorf("got %d matches, want at least %d (reflexive)", matches, len(codes))
	}
}

func FuzzParseCode(f *testing.F) {
	for _, s := range []string{"em:0102B0A5FD", "dec:0045131261", "w26:176:42493", "uid:04 A2 2B 1A",
		"uid:04:a2:2b:1a", "HID-12345", "", " em:12 ", "dec:4294967296", "w26:256:1", "badge\x00", "EM:62e3086ced"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		c, err := ParseCode(s)
		if err != nil {
			if !errors.Is(err, ErrInvalid) {
				t.Fatalf("got %v, want an error wrapping ErrInvalid", err)
			}
			return
		}
		back, err := ParseCode(c.String())
		if err != nil || back != c {
			t.Fatalf("round trip of %q via %q: got %#v, %v, want %#v", s, c.String(), back, err, c)
		}
		if !c.Matches(c) {
			t.Fatalf("%q: got no match with itself, want one", s)
		}
		shared := false
		for _, k := range c.LookupKeys() {
			shared = shared || slices.Contains(c.IndexKeys(), k)
		}
		if !shared {
			t.Fatalf("%q: got no shared key with itself, want one", s)
		}
	})
}
