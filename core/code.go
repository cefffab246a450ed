package core

import (
	"fmt"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Format is how a card code was read or written.
type Format string

// Card code formats (DESIGN §6). The bit formats (em, dec, w26) are views of
// the same number at different widths; uid and opaque codes stand alone.
const (
	FormatEM     Format = "em"  // EM4100, 40 bits, 10 hex digits: em:0102B0A5FD
	FormatDec    Format = "dec" // wedge decimal of the low 32 bits, 10 digits: dec:0045131261
	FormatW26    Format = "w26" // Wiegand 26 facility:number (8+16 bits): w26:176:42493
	FormatUID    Format = "uid" // ISO 14443 UID, 4, 7 or 10 bytes hex: uid:04A22B1A
	FormatOpaque Format = ""    // any other string, matched exactly
)

// maxOpaqueLen bounds opaque codes so that a reader spewing garbage cannot
// fill the log or the index with huge keys.
const maxOpaqueLen = 64

// Code is a parsed card code. Bit formats keep their number in Value and
// its width in bits in Width; uid codes keep the upper-case hex in Text and
// the byte count times 8 in Width (a 10-byte UID does not fit a uint64);
// opaque codes keep the text in Text. Codes are comparable with ==.
type Code struct {
	Format Format
	Value  uint64
	Width  int
	Text   string
}

// ParseCode reads a card code written FORMAT:VALUE (DESIGN §6). Surrounding
// spaces are ignored, the prefix is case-insensitive and hex digits may be
// in either case; a string without a known prefix is an opaque code.
// Errors wrap ErrInvalid.
func ParseCode(s string) (Code, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return Code{}, textErrorf("card code is empty")
	}
	prefix, rest, ok := strings.Cut(s, ":")
	if !ok {
		return parseOpaque(s)
	}
	switch Format(strings.ToLower(prefix)) {
	case FormatEM:
		if len(rest) != 10 || !isHex(rest) {
			return Code{}, textErrorf("card code %q: em needs 10 hex digits", s)
		}
		v, _ := strconv.ParseUint(rest, 16, 64)
		return Code{Format: FormatEM, Value: v, Width: 40}, nil
	case FormatDec:
		if len(rest) < 1 || len(rest) > 10 || !isDigits(rest) {
			return Code{}, textErrorf("card code %q: dec needs 1 to 10 decimal digits", s)
		}
		v, _ := strconv.ParseUint(rest, 10, 64)
		if v > 1<<32-1 {
			return Code{}, textErrorf("card code %q: dec is more than 32 bits (max 4294967295)", s)
		}
		return Code{Format: FormatDec, Value: v, Width: 32}, nil
	case FormatW26:
		return parseW26(s, rest)
	case FormatUID:
		return parseUID(s, rest)
	}
	return parseOpaque(s)
}

// parseW26 reads the facility:number part of a w26 code s.
func parseW26(s, rest string) (Code, error) {
	f, n, ok := strings.Cut(rest, ":")
	if !ok {
		return Code{}, textErrorf("card code %q: w26 needs FACILITY:NUMBER", s)
	}
	if f == "" || len(f) > 3 || !isDigits(f) {
		return Code{}, textErrorf("card code %q: w26 facility must be a number 0 to 255", s)
	}
	if n == "" || len(n) > 5 || !isDigits(n) {
		return Code{}, textErrorf("card code %q: w26 card number must be a number 0 to 65535", s)
	}
	fv, _ := strconv.ParseUint(f, 10, 64)
	nv, _ := strconv.ParseUint(n, 10, 64)
	if fv > 255 {
		return Code{}, textErrorf("card code %q: w26 facility must be a number 0 to 255", s)
	}
	if nv > 65535 {
		return Code{}, textErrorf("card code %q: w26 card number must be a number 0 to 65535", s)
	}
	return Code{Format: FormatW26, Value: fv<<16 | nv, Width: 24}, nil
}

// parseUID reads the hex part of a uid code s. Bridges print UIDs as
// "04 A2 2B 1A" or "04:A2:2B:1A", so one space or colon is allowed between
// bytes, never inside a byte.
func parseUID(s, rest string) (Code, error) {
	var hex []byte
	for i := 0; i < len(rest); i++ {
		c := rest[i]
		switch {
		case isHexDigit(c):
			hex = append(hex, upperHex(c))
		case c == ' ' || c == ':':
			if len(hex) == 0 || len(hex)%2 != 0 || i+1 == len(rest) || !isHexDigit(rest[i+1]) {
				return Code{}, textErrorf("card code %q: uid separators must sit between bytes", s)
			}
		default:
			return Code{}, textErrorf("card code %q: uid has a character that is not hex: %q", s, rest[i:i+1])
		}
	}
	switch len(hex) {
	case 8, 14, 20:
	default:
		return Code{}, textErrorf("card code %q: uid needs 4, 7 or 10 bytes (8, 14 or 20 hex digits), got %d hex digits", s, len(hex))
	}
	return Code{Format: FormatUID, Width: len(hex) * 4, Text: string(hex)}, nil
}

// parseOpaque checks an opaque code: it is matched byte for byte, so it must
// be text a person can read back and type.
func parseOpaque(s string) (Code, error) {
	if !utf8.ValidString(s) {
		return Code{}, textErrorf("card code %q: not valid UTF-8", s)
	}
	if n := utf8.RuneCountInString(s); n > maxOpaqueLen {
		return Code{}, textErrorf("card code %q: longer than %d characters", s, maxOpaqueLen)
	}
	for _, r := range s {
		if unicode.IsControl(r) {
			return Code{}, textErrorf("card code %q: contains a control character", s)
		}
	}
	return Code{Format: FormatOpaque, Text: s}, nil
}

// String returns the canonical form, which ParseCode reads back to the same
// Code: em:0102B0A5FD, dec:0045131261, w26:176:42493, uid:04A22B1A, or the
// opaque text.
func (c Code) String() string {
	switch c.Format {
	case FormatEM:
		return fmt.Sprintf("em:%010X", c.Value)
	case FormatDec:
		return fmt.Sprintf("dec:%010d", c.Value)
	case FormatW26:
		return fmt.Sprintf("w26:%d:%d", c.Value>>16, c.Value&0xFFFF)
	case FormatUID:
		return "uid:" + c.Text
	}
	return c.Text
}

// isBits reports whether c is one of the formats that are views of one
// number at different widths.
func (c Code) isBits() bool {
	return c.Format == FormatEM || c.Format == FormatDec || c.Format == FormatW26
}

// Matches reports whether the read could come from the card c: readers
// deliver different slices of the same card's bits (HARDWARE.md), so two
// bit codes match when the bits both have, the low min(widths), are equal.
// uid and opaque codes match only themselves.
func (c Code) Matches(read Code) bool {
	if c.isBits() && read.isBits() {
		w := min(c.Width, read.Width)
		if w <= 0 {
			return false
		}
		return lowBits(c.Value, w) == lowBits(read.Value, w)
	}
	if c.isBits() || read.isBits() || c.Format != read.Format {
		return false
	}
	return c.Text == read.Text
}

// atWidth returns the read that a reader delivering width bits makes of
// the bit code c, for a width narrower than c's: its low width bits, in
// the format of that width (w26 for 24 bits, dec for 32, em for 40).
func (c Code) atWidth(width int) Code {
	v := lowBits(c.Value, width)
	switch width {
	case width24:
		return Code{Format: FormatW26, Value: v, Width: width24}
	case width32:
		return Code{Format: FormatDec, Value: v, Width: width32}
	}
	return Code{Format: FormatEM, Value: v, Width: width40}
}

// indexWidths are the widths at which bit codes are filed: every width a
// bit format has, so that any read finds its card at the read's own width
// or a narrower one.
var indexWidths = [...]int{24, 32, 40}

// IndexKeys returns the keys a stored card is filed under in a key-value
// index: for a bit code one key per width in 24, 32, 40 not above its own,
// for uid and opaque codes one key. Whenever c.Matches(r), IndexKeys of c
// and LookupKeys of r share a key, so a lookup followed by Matches finds
// every matching card.
func (c Code) IndexKeys() []string {
	if !c.isBits() {
		return []string{c.exactKey()}
	}
	var keys []string
	for _, t := range indexWidths {
		if t <= c.Width {
			keys = append(keys, bitKey(c.Value, t))
		}
	}
	return keys
}

// LookupKeys returns the keys to look up for a read: for a bit read of
// width r, the key at r (cards at least as wide) and the keys at the
// narrower widths 24 and 32 (cards narrower than the read); for uid and
// opaque codes the one key of IndexKeys.
func (c Code) LookupKeys() []string {
	if !c.isBits() {
		return []string{c.exactKey()}
	}
	keys := []string{bitKey(c.Value, c.Width)}
	for _, t := range indexWidths[:2] {
		if t < c.Width {
			keys = append(keys, bitKey(c.Value, t))
		}
	}
	return keys
}

// exactKey is the index key of a uid or opaque code; the prefixes keep the
// two apart and away from the bit keys.
func (c Code) exactKey() string {
	if c.Format == FormatUID {
		return "uid:" + c.Text
	}
	return "op:" + c.Text
}

func bitKey(v uint64, width int) string {
	return fmt.Sprintf("b%d:%010X", width, lowBits(v, width))
}

// lowBits returns the low width bits of v.
func lowBits(v uint64, width int) uint64 {
	if width >= 64 {
		return v
	}
	return v & (1<<width - 1)
}

func isHexDigit(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

func upperHex(c byte) byte {
	if 'a' <= c && c <= 'f' {
		return c - 'a' + 'A'
	}
	return c
}

func isHex(s string) bool {
	for i := 0; i < len(s); i++ {
		if !isHexDigit(s[i]) {
			return false
		}
	}
	return true
}

// digitsValue reads a string already checked with isDigits; callers bound
// its length, so it does not overflow.
func digitsValue(s string) int {
	n := 0
	for i := 0; i < len(s); i++ {
		n = n*10 + int(s[i]-'0')
	}
	return n
}

func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// textError is a mistake in text a person wrote (a card code, a time, a
// window). Its message is only the explanation, so callers can put a JSON
// path or a field name in front, and it matches ErrInvalid with errors.Is.
// It may carry the code of the problem and its values (see Problems).
type textError struct {
	msg  string
	code string
	args map[string]string
}

func (e *textError) Error() string { return e.msg }
func (e *textError) Unwrap() error { return ErrInvalid }

func (e *textError) problemCode() (string, map[string]string) { return e.code, e.args }

// codedf is textErrorf with the problem's code and values (name, value
// pairs).
func codedf(code string, kv []string, format string, args ...any) error {
	return &textError{msg: fmt.Sprintf(format, args...), code: code, args: argsOf(kv...)}
}

func textErrorf(format string, args ...any) error {
	return &textError{msg: fmt.Sprintf(format, args...)}
}
