package reader

import (
	"bytes"
	"fmt"
)

// lcusCommand returns the command that switches channel of an LCUS serial
// relay board on or off (HARDWARE.md "Relays"): A0, channel, state, and
// their sum as a check byte. The caller keeps channel in 1..255; it is
// truncated to a byte here because the board has no other encoding.
func lcusCommand(channel int, on bool) []byte {
	ch := byte(channel)
	var state byte
	if on {
		state = 1
	}
	return []byte{0xA0, ch, state, 0xA0 + ch + state}
}

// crc16Modbus returns the CRC-16/MODBUS of b (init 0xFFFF, reflected
// polynomial 0xA001, no final XOR). Modbus RTU sends it low byte first;
// a board silently drops a command whose CRC is wrong, so it must be exact.
func crc16Modbus(b []byte) uint16 {
	crc := uint16(0xFFFF)
	for _, c := range b {
		crc ^= uint16(c)
		for range 8 {
			if crc&1 != 0 {
				crc = crc>>1 ^ 0xA001
			} else {
				crc >>= 1
			}
		}
	}
	return crc
}

// modbusWriteCoil returns the Modbus RTU "write single coil" request
// (function 5) that switches coil of the board at addr on (FF 00) or off
// (00 00). Function 5 rather than 15 because every relay board implements
// it and its answer is a plain echo, which checkModbusReply relies on.
func modbusWriteCoil(addr byte, coil uint16, on bool) []byte {
	req := []byte{addr, 0x05, byte(coil >> 8), byte(coil), 0x00, 0x00}
	if on {
		req[4] = 0xFF
	}
	return appendModbusCRC(req)
}

// appendModbusCRC appends the CRC-16/MODBUS of b to b, low byte first.
func appendModbusCRC(b []byte) []byte {
	crc := crc16Modbus(b)
	return append(b, byte(crc), byte(crc>>8))
}

// modbusExceptions names the standard exception codes a relay board may
// answer with, so the device's health says why the door did not open.
var modbusExceptions = map[byte]string{
	1: "illegal function",
	2: "illegal data address",
	3: "illegal data value",
	4: "device failure",
}

// checkModbusReply checks a board's answer to the write-single-coil request
// req. A board that obeyed echoes req exactly; anything else means the relay
// may not have switched, and the error says why for the device's health.
// The caller adds the port, address and coil.
func checkModbusReply(req, reply []byte) error {
	if len(req) < 2 {
		return fmt.Errorf("check modbus reply: request of %d bytes is too short", len(req))
	}
	if bytes.Equal(req, reply) {
		return nil
	}
	// 5 bytes is the shortest frame a board sends: an exception.
	if len(reply) < 5 {
		return fmt.Errorf("modbus reply too short: %d bytes (% X)", len(reply), reply)
	}
	body := reply[:len(reply)-2]
	got := uint16(reply[len(reply)-2]) | uint16(reply[len(reply)-1])<<8
	if want := crc16Modbus(body); got != want {
		return fmt.Errorf("modbus reply % X: CRC %04X, computed %04X", reply, got, want)
	}
	if reply[0] != req[0] {
		return fmt.Errorf("modbus reply from address %d, want %d", reply[0], req[0])
	}
	if len(reply) == 5 && reply[1] == req[1]|0x80 {
		code := reply[2]
		if name, ok := modbusExceptions[code]; ok {
			return fmt.Errorf("modbus exception %d (%s)", code, name)
		}
		return fmt.Errorf("modbus exception %d", code)
	}
	return fmt.Errorf("modbus reply % X does not echo the request % X", reply, req)
}
