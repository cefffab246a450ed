package reader

import (
	"errors"
	"strings"
	"testing"

	"frontdesk/core"
)

// Unexported helpers the external tests (package reader_test) call, as an
// export_test.go would give them.
var (
	WedgeCode       = wedgeCode
	DcttechChannels = dcttechChannels
)

func TestWedgeCode(t *testing.T) {
	tests := []struct {
		line string
		want string // "" for a rejected line
	}{
		// 10 digits: decimal of the low 32 bits (HARDWARE.md: 0102B0A5FD).
		{"0045131261", "dec:0045131261"},
		{"0000000000", "dec:0000000000"},
		{"4294967295", "dec:4294967295"},
		{"4294967296", ""},
		{"9999999999", ""},
		// 8 digits: "3+5", facility and number.
		{"17642493", "w26:176:42493"},
		{"00000001", "w26:0:1"},
		{"25565535", "w26:255:65535"},
		{"25600000", ""},
		{"00065536", ""},
		// 13 digits: all 40 bits in decimal.
		{"0004340098557", "em:0102B0A5FD"},
		{"1099511627775", "em:FFFFFFFFFF"},
		{"1099511627776", ""},
		// Hex with a letter: 10 is EM, 8, 14, 20 are UIDs; any case.
		{"0102b0a5fd", "em:0102B0A5FD"},
		{"0102B0A5FD", "em:0102B0A5FD"},
		{"04a22b1a", "uid:04A22B1A"},
		{"04a22b1a2b3c4d", "uid:04A22B1A2B3C4D"},
		{"04a22b1a2b3c4d5e6f70", "uid:04A22B1A2B3C4D5E6F70"},
		// 14 and 20 digits: a UID in hex without a letter.
		{"04122334455667", "uid:04122334455667"},
		{"04122334455667788990", "uid:04122334455667788990"},
		// Everything else.
		{"", ""},
		{"1", ""},
		{"123456789", ""},
		{"12345678901", ""},
		{"0102b0a5f", ""},
		{"0102b0a5fd0", ""},
		{"04a22b1a2b3c4d5e6f7", ""},
		{"00451 31261", ""},
		{"004513126g", ""},
		{"-045131261", ""},
		{"+045131261", ""},
		{"0x04a22b1a", ""},
		{strings.Repeat("1", 33), ""},
		{strings.Repeat("a", 40), ""},
		{"ééééé", ""},
	}
	for _, tt := range tests {
		t.Run(tt.line, func(t *testing.T) {
			got, err := wedgeCode(tt.line)
			if tt.want == "" {
				if err == nil {
					t.Fatalf("got %q, want an error", got)
				}
				if !errors.Is(err, ErrFrame) {
					t.Errorf("got error %v, want one wrapping ErrFrame", err)
				}
				if tt.line != "" && len(tt.line) <= maxWedgeLine && !strings.Contains(err.Error(), tt.line) {
					t.Errorf("error %q does not name the line %q", err, tt.line)
				}
				return
			}
			if err != nil {
				t.Fatalf("got error %v, want %q", err, tt.want)
			}
			if got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
			c, err := core.ParseCode(got)
			if err != nil || c.String() != got {
				t.Errorf("core reads %q back as %q, %v: not canonical", got, c.String(), err)
			}
		})
	}
}

// TestWedgeCodeSameCard checks the three decimal modes of one EM card
// (HARDWARE.md) give codes core matches to the card read by an RDM6300.
func TestWedgeCodeSameCard(t *testing.T) {
	card, err := core.ParseCode("em:0102B0A5FD")
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range []string{"0045131261", "0004340098557", "0102b0a5fd", "17642493"} {
		code, err := wedgeCode(line)
		if err != nil {
			t.Fatalf("%s: %v", line, err)
		}
		read, err := core.ParseCode(code)
		if err != nil {
			t.Fatalf("%s: %v", code, err)
		}
		if !card.Matches(read) {
			t.Errorf("%s read as %s: does not match %s", line, code, card)
		}
	}
}
