package reader

import (
	"fmt"
	"strconv"
	"strings"

	"frontdesk/core"
)

// NewDecoder returns the decoder for a serial reader of kind d.Kind
// (DESIGN §6, HARDWARE.md "Serial readers"). Decoders are pure, so the
// serial driver, the tests and the fuzzers share one implementation and none
// of them needs a port. Errors wrap core.ErrInvalid: a kind without a
// decoder is a mistake in the site file.
func NewDecoder(d core.Device) (Decoder, error) {
	switch d.Kind {
	case "serial-rdm6300", "serial-id12":
		// One decoder for both: the ID-12's CR/LF before 03 is optional in
		// the frame grammar, so a site that picks the wrong kind still reads.
		return &frameDecoder{}, nil
	case "serial-wiegand":
		bits := d.Bits
		if bits == 0 {
			bits = 26
		}
		if bits != 26 && bits != 34 {
			return nil, fmt.Errorf("%w: serial-wiegand bits must be 26 or 34, not %d", core.ErrInvalid, d.Bits)
		}
		parse, err := wiegandParser(d.Format, bits)
		if err != nil {
			return nil, err
		}
		return &lineDecoder{parse: parse}, nil
	case "serial-line":
		return &lineDecoder{parse: parseUIDLine}, nil
	}
	return nil, fmt.Errorf("%w: no serial decoder for kind %q", core.ErrInvalid, d.Kind)
}

// Frame bytes of the EM4100 serial readers (HARDWARE.md "Serial readers").
const (
	frameSTX = 0x02 // starts every frame, ASCII or binary
	frameETX = 0x03 // ends every frame
	// frameBinLen is the LEN byte of the binary UART modules' frame. It is
	// not a hex digit, so the byte after STX tells the two frame kinds
	// apart. HARDWARE.md's example 02 0A 02 06 00 8E 6D 5D B0 03 checks:
	// 0A^02^06^00^8E^6D^5D = B0.
	frameBinLen = 0x0A
	// frameBinType is the binary frame's TYPE for an EM4100 card; other
	// types would not be em codes, and requiring it rejects a chance "02 0A"
	// in line noise at the third byte instead of the tenth.
	frameBinType = 0x02

	frameASCIIDigits = 12 // 10 hex digits of the card + 2 of the checksum
	frameMaxCRLF     = 2  // the ID-12's CR LF before ETX
	frameBinSize     = 10 // 02 0A 02 SNR[5] BCC 03
)

// frameDecoder reads RDM6300 / ID-12 ASCII frames
// (02, 10 hex, 2 hex checksum, optional CR/LF, 03) and the binary UART
// modules' frames (02 0A 02 SNR[5] BCC 03). It works one byte at a time, so
// a frame split across reads decodes exactly as a whole one, and it keeps at
// most one frame.
type frameDecoder struct {
	// buf holds the current frame from its STX, without the CR/LF bytes;
	// n is its length, 0 between frames.
	buf  [16]byte
	n    int
	crlf int // CR/LF bytes seen after the checksum of an ASCII frame
}

// Feed implements Decoder.
func (d *frameDecoder) Feed(p []byte, s Sink) {
	for _, b := range p {
		d.step(b, s)
	}
}

// step advances the frame state machine by one byte.
func (d *frameDecoder) step(b byte, s Sink) {
	switch {
	case d.n == 0:
		// Between frames everything but STX is line noise: readers emit
		// garbage at power-up and while a card sits at the edge of the
		// field, and counting it as rejects would make healthy readers look
		// sick.
		if b == frameSTX {
			d.buf[0] = b
			d.n = 1
			d.crlf = 0
		}
	case d.n == 1:
		if b != frameBinLen && !isHexASCII(b) {
			d.fail(s, b, "byte 0x%02X after 0x02 is neither a hex digit nor the binary length 0x0A", b)
			return
		}
		d.push(b)
	case d.buf[1] == frameBinLen:
		d.stepBinary(b, s)
	default:
		d.stepASCII(b, s)
	}
}

// push appends b to the current frame. Callers never push past a frame's
// length, which is below len(d.buf).
func (d *frameDecoder) push(b byte) {
	d.buf[d.n] = b
	d.n++
}

// stepASCII handles a byte of an ASCII frame after its first hex digit.
func (d *frameDecoder) stepASCII(b byte, s Sink) {
	digits := d.n - 1
	switch {
	case digits < frameASCIIDigits:
		if !isHexASCII(b) {
			d.fail(s, b, "byte 0x%02X where hex digit %d of %d was expected", b, digits+1, frameASCIIDigits)
			return
		}
		d.push(b)
	case b == frameETX:
		d.finishASCII(s)
	case b == '\r' || b == '\n':
		if d.crlf == frameMaxCRLF {
			d.fail(s, b, "more than %d CR/LF bytes before the end byte 0x03", frameMaxCRLF)
			return
		}
		d.crlf++
	default:
		d.fail(s, b, "byte 0x%02X where the end byte 0x03 was expected", b)
	}
}

// finishASCII checks the complete ASCII frame in d.buf and emits its code.
func (d *frameDecoder) finishASCII(s Sink) {
	hex := d.buf[1 : 1+10]
	var sum byte
	for i := 0; i < 10; i += 2 {
		sum ^= hexPairValue(hex[i], hex[i+1])
	}
	got := hexPairValue(d.buf[11], d.buf[12])
	d.n = 0
	if got != sum {
		// The frame was well delimited, so its bytes are not replayed: a
		// corrupted digit is not the start of another frame.
		s.Reject(fmt.Errorf("%w: em frame %s: checksum %02X, computed %02X", ErrFrame, upperHexString(hex), got, sum))
		return
	}
	s.Card("em:" + upperHexString(hex))
}

// stepBinary handles a byte of a binary frame after its LEN byte.
func (d *frameDecoder) stepBinary(b byte, s Sink) {
	switch {
	case d.n == 2 && b != frameBinType:
		d.fail(s, b, "binary frame type 0x%02X, want 0x%02X (EM4100)", b, frameBinType)
	case d.n < frameBinSize-1:
		d.push(b)
	case b != frameETX:
		d.fail(s, b, "byte 0x%02X where the end byte 0x03 of a binary frame was expected", b)
	default:
		var bcc byte
		for _, c := range d.buf[1:8] { // LEN, TYPE, SNR[5]
			bcc ^= c
		}
		snr, got := d.buf[3:8], d.buf[8]
		d.n = 0
		if got != bcc {
			s.Reject(fmt.Errorf("%w: binary frame % X: BCC %02X, computed %02X", ErrFrame, snr, got, bcc))
			return
		}
		s.Card(fmt.Sprintf("em:%X", snr))
	}
}

// fail rejects the current frame because of byte b and resynchronises. The
// frame's bytes after its STX, and b, are fed again from the idle state:
// when the frame was broken (a lost byte, a reader reset mid-frame) the
// next frame's STX may be among them, and a binary frame's bytes may hold
// a 0x02 that is data only if the frame was whole. Each replay drops at
// least the STX, so the recursion is at most a frame deep.
func (d *frameDecoder) fail(s Sink, b byte, format string, args ...any) {
	s.Reject(fmt.Errorf("%w: %s", ErrFrame, fmt.Sprintf(format, args...)))
	var tail [len(d.buf) + 1]byte
	n := copy(tail[:], d.buf[1:d.n])
	tail[n] = b
	d.n = 0
	for _, c := range tail[:n+1] {
		d.step(c, s)
	}
}

// maxLineLen bounds a line decoder's buffer: the longest legitimate line (a
// labelled 10-byte UID with separators) is far shorter, and a reader stuck
// sending bytes without a line end must not grow memory.
const maxLineLen = 128

// lineDecoder splits a stream into lines ending on CR or LF (in any
// combination, so CR LF yields one line and an empty one, which is ignored)
// and hands each trimmed, non-empty line to parse.
type lineDecoder struct {
	buf []byte
	// skipping is set after an over-long line was rejected: its remaining
	// bytes are discarded up to the next line end, so one long line gives
	// one reject and not one per 128 bytes.
	skipping bool
	parse    lineParser
}

// Feed implements Decoder.
func (d *lineDecoder) Feed(p []byte, s Sink) {
	for _, b := range p {
		if b == '\r' || b == '\n' {
			line := strings.TrimSpace(string(d.buf))
			d.buf = d.buf[:0]
			if d.skipping {
				d.skipping = false
				continue
			}
			if line == "" {
				continue
			}
			if code, err := d.parse(line); err != nil {
				s.Reject(err)
			} else {
				s.Card(code)
			}
			continue
		}
		if d.skipping {
			continue
		}
		if len(d.buf) == maxLineLen {
			s.Reject(fmt.Errorf("%w: line %s is longer than %d bytes", ErrFrame, quoteForError(string(d.buf)), maxLineLen))
			d.buf = d.buf[:0]
			d.skipping = true
			continue
		}
		if d.buf == nil {
			d.buf = make([]byte, 0, maxLineLen)
		}
		d.buf = append(d.buf, b)
	}
}

// quoteForError quotes a line for an error message, cut to 40 bytes so a
// garbage line cannot flood the device's health report.
func quoteForError(line string) string {
	const max = 40
	if len(line) > max {
		return strconv.Quote(line[:max]) + "..."
	}
	return strconv.Quote(line)
}

// cutAtAny cuts s around the first byte of seps.
func cutAtAny(s, seps string) (before, after string, found bool) {
	if i := strings.IndexAny(s, seps); i >= 0 {
		return s[:i], s[i+1:], true
	}
	return s, "", false
}

// parseUIDLine reads one line of an Arduino MFRC522 / PN532 bridge. The
// sketches print UIDs every which way ("04 A2 2B 1A", "Card UID: 04:A2:2B:1A",
// "0x04 0xA2 ..."), so prefixes and separators are tolerated; the length is
// not, because a UID with a dropped or unpadded byte would be another card.
func parseUIDLine(line string) (string, error) {
	bad := func(format string, args ...any) error {
		return fmt.Errorf("%w: uid line %s: %s", ErrFrame, quoteForError(line), fmt.Sprintf(format, args...))
	}
	rest := line
	// The last ": " ends the label, so "Reader 1: UID: 04 ..." loses its
	// "1" too, which would otherwise pass for a hex token.
	if i := strings.LastIndex(rest, ": "); i >= 0 {
		rest = rest[i+2:]
	}
	tokens := strings.FieldsFunc(rest, func(r rune) bool {
		return r == ' ' || r == '\t' || r == ':' || r == '-' || r == ','
	})
	start := len(tokens)
	for start > 0 && isUIDHexToken(tokens[start-1]) {
		start--
	}
	var hex strings.Builder
	for _, t := range tokens[start:] {
		if len(t) > 2 && (t[:2] == "0x" || t[:2] == "0X") {
			t = t[2:]
		}
		hex.WriteString(t)
	}
	switch n := hex.Len(); n {
	case 8, 14, 20:
		return "uid:" + strings.ToUpper(hex.String()), nil
	case 0:
		return "", bad("no hex UID at the end of the line")
	default:
		return "", bad("UID has %d hex digits, want 8, 14 or 20 (4, 7 or 10 bytes)", n)
	}
}

// isUIDHexToken reports whether t is hex digits with an optional 0x prefix.
func isUIDHexToken(t string) bool {
	if len(t) > 2 && (t[:2] == "0x" || t[:2] == "0X") {
		t = t[2:]
	}
	return t != "" && onlyHex(t)
}

// isHexASCII reports whether c is an ASCII hex digit in either case.
func isHexASCII(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

// onlyHex reports whether s is made of hex digits only.
func onlyHex(s string) bool {
	for i := 0; i < len(s); i++ {
		if !isHexASCII(s[i]) {
			return false
		}
	}
	return true
}

// onlyDecimal reports whether s is made of decimal digits only.
func onlyDecimal(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// nibbleValue returns the value of a hex digit already checked by isHexASCII.
func nibbleValue(c byte) byte {
	switch {
	case c <= '9':
		return c - '0'
	case c >= 'a':
		return c - 'a' + 10
	}
	return c - 'A' + 10
}

// hexPairValue returns the byte written by two checked hex digits.
func hexPairValue(hi, lo byte) byte {
	return nibbleValue(hi)<<4 | nibbleValue(lo)
}

// upperHexString returns checked hex digits upper-cased, the canonical form of
// core's codes.
func upperHexString(b []byte) string {
	return strings.ToUpper(string(b))
}
