package readertest

import (
	"fmt"
	"strconv"
)

// RDM6300 frames a 10-hex-digit EM4100 code as an RDM6300 sends it: 02,
// the code, the XOR of its five bytes in hex, 03. Written here from the
// datasheet, apart from the decoder it tests.
func RDM6300(code string) []byte {
	var sum byte
	for i := 0; i+2 <= len(code) && i < 10; i += 2 {
		b, _ := strconv.ParseUint(code[i:i+2], 16, 8)
		sum ^= byte(b)
	}
	return fmt.Appendf(nil, "\x02%s%02X\x03", code, sum)
}

// ID12 frames it as an ID-12LA or ID-20LA sends it: CR LF before the 03.
func ID12(code string) []byte {
	f := RDM6300(code)
	return append(f[:len(f)-1:len(f)-1], '\r', '\n', 0x03)
}

// Modbus appends the CRC-16/MODBUS of b, computed bit by bit, to b.
func Modbus(b ...byte) []byte {
	crc := uint16(0xFFFF)
	for _, x := range b {
		crc ^= uint16(x)
		for range 8 {
			if crc&1 == 1 {
				crc = crc>>1 ^ 0xA001
			} else {
				crc >>= 1
			}
		}
	}
	return append(b, byte(crc), byte(crc>>8))
}
