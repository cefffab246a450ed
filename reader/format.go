package reader

import (
	"fmt"
	"strconv"
	"strings"

	"frontdesk/core"
)

// Readers that print card numbers as text (keyboard wedges, Wiegand-to-
// serial converters) do it in vendor conventions whose shapes overlap:
// eight digits are a Wiegand facility and number on one wedge, the
// decimal of the low 24 bits on another, and the 32 bits in hex on a
// third. Reading such a line by its shape alone gives a valid-looking
// wrong code, so a device's format (core.Device.Format, one of
// core.ReadFormats) says which convention it follows, and a line whose
// shape does not fit it is rejected, never guessed. The default, auto,
// reads only the shapes that mean one thing.

// lineParser turns one line a reader printed into a card code in core's
// canonical form, or an error wrapping ErrFrame that names the line.
type lineParser func(line string) (string, error)

// lineError is the rejection of line by a reader of what ("wedge",
// "wiegand"): an error wrapping ErrFrame that quotes the line.
func lineError(what, line, format string, args ...any) error {
	return fmt.Errorf("%w: %s line %s: %s", ErrFrame, what, quoteForError(line), fmt.Sprintf(format, args...))
}

// The codes of each width, canonical (core.Code.String).
func code24(v uint64) string { return fmt.Sprintf("w26:%d:%d", v>>16&0xFF, v&0xFFFF) }
func code32(v uint64) string { return fmt.Sprintf("dec:%010d", v) }
func code40(v uint64) string { return fmt.Sprintf("em:%010X", v) }

// hexCode reads hex digits of width 24, 32 or 40 bits (6, 8 or 10 digits).
func hexCode(hex string) string {
	v, _ := strconv.ParseUint(hex, 16, 64)
	switch len(hex) {
	case 6:
		return code24(v)
	case 8:
		return code32(v)
	}
	return code40(v)
}

// decimal reads a line of digits only, of one of the lengths, whose value
// is below limit; what names the shape for the error.
func decimal(what, line string, limit uint64, lengths ...int) (uint64, error) {
	if !onlyDecimal(line) {
		return 0, lineError(what, line, "not decimal digits only")
	}
	ok := false
	for _, n := range lengths {
		ok = ok || len(line) == n
	}
	if !ok {
		return 0, lineError(what, line, "%d digits, want %s", len(line), digitCounts(lengths))
	}
	v, err := strconv.ParseUint(line, 10, 64)
	if err != nil || v >= limit {
		return 0, lineError(what, line, "more than the %d bits of the format (max %d)", bitsOf(limit), limit-1)
	}
	return v, nil
}

func digitCounts(lengths []int) string {
	s := make([]string, len(lengths))
	for i, n := range lengths {
		s[i] = strconv.Itoa(n)
	}
	return strings.Join(s, " or ")
}

// bitsOf is the width of a power-of-two limit.
func bitsOf(limit uint64) int {
	n := 0
	for limit > 1 {
		limit >>= 1
		n++
	}
	return n
}

// facilityNumber reads "3+5": a Wiegand 26 facility of 3 digits (0-255)
// then a card number of 5 (0-65535).
func facilityNumber(what, line string) (string, error) {
	if len(line) != 8 || !onlyDecimal(line) {
		return "", lineError(what, line, "want 8 digits, facility (3) and number (5)")
	}
	f, _ := strconv.ParseUint(line[:3], 10, 64)
	n, _ := strconv.ParseUint(line[3:], 10, 64)
	if f > 255 || n > 65535 {
		return "", lineError(what, line, "not a facility 0-255 and a number 0-65535")
	}
	return code24(f<<16 | n), nil
}

// decCode reads a line of digits of one of the lengths, the decimal of
// width bits, into the code of that width (24, 32 or 40).
func decCode(what, line string, width int, lengths ...int) (string, error) {
	v, err := decimal(what, line, 1<<width, lengths...)
	if err != nil {
		return "", err
	}
	switch width {
	case 24:
		return code24(v), nil
	case 32:
		return code32(v), nil
	}
	return code40(v), nil
}

// dec24 reads the decimal of 24 bits: 8 digits, or 10 with two leading
// zeros (converters that pad every value to 10).
func dec24(what, line string) (string, error) {
	if len(line) == 10 && !strings.HasPrefix(line, "00") && onlyDecimal(line) {
		return "", lineError(what, line, "more than the 24 bits of the format (max 16777215)")
	}
	return decCode(what, line, 24, 8, 10)
}

// uidReversed reads the 10-digit decimal of a 4-byte UID whose bytes a
// MIFARE wedge reversed: 0563537489 is 0x2196E651, the UID 51E69621.
func uidReversed(what, line string) (string, error) {
	v, err := decimal(what, line, 1<<32, 10)
	if err != nil {
		return "", err
	}
	return fmt.Sprintf("uid:%02X%02X%02X%02X", v&0xFF, v>>8&0xFF, v>>16&0xFF, v>>24&0xFF), nil
}

// setFormat is the advice of a rejection under auto.
const setFormat = "set the reader's format"

// wedgeParser returns the parser of the lines a usb-wedge set to format
// types. Errors wrap core.ErrInvalid for a format a wedge does not have.
func wedgeParser(format string) (lineParser, error) {
	const what = "wedge"
	parse := map[string]lineParser{
		"":            wedgeAuto,
		core.ReadAuto: wedgeAuto,
		core.ReadDec24: func(line string) (string, error) {
			return dec24(what, line)
		},
		core.ReadDec32: func(line string) (string, error) {
			return decCode(what, line, 32, 10)
		},
		core.ReadDec40: func(line string) (string, error) {
			return decCode(what, line, 40, 13)
		},
		core.ReadFac3Num5: func(line string) (string, error) {
			return facilityNumber(what, line)
		},
		core.ReadHex: func(line string) (string, error) {
			if !onlyHex(line) || len(line) != 6 && len(line) != 8 && len(line) != 10 {
				return "", lineError(what, line, "want 6, 8 or 10 hex digits (24, 32 or 40 bits)")
			}
			return hexCode(line), nil
		},
		core.ReadUIDHex: func(line string) (string, error) {
			if !onlyHex(line) || len(line) != 8 && len(line) != 14 && len(line) != 20 {
				return "", lineError(what, line, "want a UID of 8, 14 or 20 hex digits (4, 7 or 10 bytes)")
			}
			return "uid:" + strings.ToUpper(line), nil
		},
		core.ReadUIDDecRev: func(line string) (string, error) {
			return uidReversed(what, line)
		},
	}[format]
	if parse == nil {
		return nil, fmt.Errorf("%w: a usb-wedge has no format %q (want %s)", core.ErrInvalid, format,
			strings.Join(core.ReadFormats("usb-wedge", 0), ", "))
	}
	return parse, nil
}

// wedgeAuto reads the lines whose shape means one thing whatever the
// wedge's mode:
//
//   - 10 digits: the decimal of an EM card's low 32 bits → dec:
//   - 13 digits: the decimal of all 40 EM bits → em:
//   - 14 or 20 hex digits: a 7- or 10-byte UID → uid: (no decimal mode
//     has these lengths)
//
// Eight characters are refused: "3+5" facility and number, the decimal of
// the low 24 bits, 32 bits in hex and a 4-byte UID all have them. So is
// any hex line with a letter of another length: the reader types hex, and
// its lines without a letter would be misread as decimal.
func wedgeAuto(line string) (string, error) {
	const what = "wedge"
	digits, hex := onlyDecimal(line), onlyHex(line)
	switch {
	case line == "":
		return "", lineError(what, line, "an empty line")
	case hex && (len(line) == 14 || len(line) == 20):
		return "uid:" + strings.ToUpper(line), nil
	case !hex:
		return "", lineError(what, line, "not decimal or hex digits")
	case len(line) == 8:
		return "", lineError(what, line, "8 characters may be a Wiegand facility and number (fac3num5), "+
			"the low 24 bits (dec24), 32 bits in hex (hex) or a UID (uid-hex): %s", setFormat)
	case !digits:
		return "", lineError(what, line, "hex digits: this reader types hex, and would type some cards without a letter: %s (hex or uid-hex)", setFormat)
	case len(line) == 10:
		return decCode(what, line, 32, 10)
	case len(line) == 13:
		return decCode(what, line, 40, 13)
	}
	return "", lineError(what, line, "%d digits, want 10 (the low 32 bits) or 13 (40 bits); for other lengths %s",
		len(line), setFormat)
}

// wiegandParser returns the parser of the lines of a Wiegand-to-serial
// converter reading Wiegand bits (26 or 34) and printing them in format.
// Errors wrap core.ErrInvalid for a format that does not fit.
func wiegandParser(format string, bits int) (lineParser, error) {
	const what = "wiegand"
	wide := bits == 34
	var parse lineParser
	switch {
	case format == "" || format == core.ReadAuto:
		parse = func(line string) (string, error) { return wiegandAuto(line, wide) }
	case format == core.ReadHex:
		n := 6
		if wide {
			n = 8
		}
		parse = func(line string) (string, error) {
			if len(line) != n || !onlyHex(line) {
				return "", lineError(what, line, "want %d hex digits (the %d data bits of Wiegand %d)", n, n*4, bits)
			}
			return hexCode(line), nil
		}
	case format == core.ReadDec24 && !wide:
		parse = func(line string) (string, error) { return dec24(what, line) }
	case format == core.ReadFac3Num5 && !wide:
		parse = func(line string) (string, error) { return facilityNumber(what, line) }
	case format == core.ReadDec32 && wide:
		parse = func(line string) (string, error) { return decCode(what, line, 32, 10) }
	default:
		return nil, fmt.Errorf("%w: a serial-wiegand with bits %d has no format %q (want %s)", core.ErrInvalid, bits, format,
			strings.Join(core.ReadFormats("serial-wiegand", bits), ", "))
	}
	return parse, nil
}

// wiegandAuto reads the lines of a converter whose shape means one thing
// for its Wiegand width. For Wiegand 26 (24 data bits): FACILITY,NUMBER
// (or FACILITY:NUMBER), 6 hex digits, or 10 digits, the padded decimal of
// the 24 bits. For Wiegand 34 (32 data bits): 8 hex digits or 10 digits.
// Eight characters on a Wiegand 26 converter are refused: "3+5" facility
// and number and the decimal of the 24 bits both have them.
func wiegandAuto(line string, wide bool) (string, error) {
	const what = "wiegand"
	if f, n, ok := cutAtAny(line, ",:"); ok && !wide {
		f, n = strings.TrimSpace(f), strings.TrimSpace(n)
		if f == "" || len(f) > 3 || !onlyDecimal(f) || n == "" || len(n) > 5 || !onlyDecimal(n) {
			return "", lineError(what, line, "FACILITY,NUMBER needs two decimal numbers")
		}
		fv, _ := strconv.ParseUint(f, 10, 64)
		nv, _ := strconv.ParseUint(n, 10, 64)
		if fv > 255 || nv > 65535 {
			return "", lineError(what, line, "facility must be 0 to 255 and number 0 to 65535")
		}
		return code24(fv<<16 | nv), nil
	}
	switch {
	case len(line) == 10 && onlyDecimal(line):
		// Ten digits are decimal even though they are hex digits too: no
		// converter prints 40 bits on this interface.
		if !wide {
			return dec24(what, line)
		}
		return decCode(what, line, 32, 10)
	case !wide && len(line) == 6 && onlyHex(line):
		return hexCode(line), nil
	case wide && len(line) == 8 && onlyHex(line):
		return hexCode(line), nil
	case !wide && len(line) == 8 && onlyDecimal(line):
		return "", lineError(what, line, "8 digits may be a facility and number (fac3num5) or the decimal of the 24 bits (dec24): %s", setFormat)
	case !wide && len(line) == 8 && onlyHex(line):
		return "", lineError(what, line, "8 hex digits are 32 bits, more than the 24 data bits of Wiegand 26: is the reader Wiegand 34 (bits 34)?")
	case wide:
		return "", lineError(what, line, "want 8 hex digits or 10 decimal digits (the 32 data bits of Wiegand 34)")
	}
	return "", lineError(what, line, "want 6 hex digits, 10 decimal digits, or FACILITY,NUMBER (the 24 data bits of Wiegand 26)")
}
