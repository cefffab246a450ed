package reader

import (
	"bytes"
	"fmt"
	"math/bits"
	"math/rand/v2"
	"strings"
	"testing"
)

func TestRelayLCUSCommand(t *testing.T) {
	cases := []struct {
		channel int
		on      bool
		want    []byte
	}{
		{1, true, []byte{0xA0, 0x01, 0x01, 0xA2}},
		{1, false, []byte{0xA0, 0x01, 0x00, 0xA1}},
		{2, true, []byte{0xA0, 0x02, 0x01, 0xA3}},
		{8, false, []byte{0xA0, 0x08, 0x00, 0xA8}},
		{0x60, true, []byte{0xA0, 0x60, 0x01, 0x01}}, // the sum wraps
		{255, true, []byte{0xA0, 0xFF, 0x01, 0xA0}},
	}
	for _, tc := range cases {
		t.Run(fmt.Sprintf("ch%d on=%v", tc.channel, tc.on), func(t *testing.T) {
			if got := lcusCommand(tc.channel, tc.on); !bytes.Equal(got, tc.want) {
				t.Errorf("got % X, want % X", got, tc.want)
			}
		})
	}
}

// crcReference computes CRC-16/MODBUS the non-reflected way: reflect each
// input byte, shift MSB first with the polynomial 0x8005, reflect the
// result. It shares no code or constant with crc16Modbus, so agreement is
// evidence both are right.
func crcReference(b []byte) uint16 {
	crc := uint16(0xFFFF)
	for _, c := range b {
		crc ^= uint16(bits.Reverse8(c)) << 8
		for i := 0; i < 8; i++ {
			if crc&0x8000 != 0 {
				crc = crc<<1 ^ 0x8005
			} else {
				crc <<= 1
			}
		}
	}
	return bits.Reverse16(crc)
}

func TestModbusCRC(t *testing.T) {
	// Published examples: the frame's last two bytes are the CRC, low byte
	// first, and "123456789" is the catalogue check value of CRC-16/MODBUS.
	cases := []struct {
		name string
		msg  []byte
		want uint16
	}{
		{"read 10 holding registers", []byte{0x01, 0x03, 0x00, 0x00, 0x00, 0x0A}, 0xCDC5},
		{"write coil 0 on", []byte{0x01, 0x05, 0x00, 0x00, 0xFF, 0x00}, 0x3A8C},
		{"write coil 0 off", []byte{0x01, 0x05, 0x00, 0x00, 0x00, 0x00}, 0xCACD},
		{"read 3 registers of slave 17", []byte{0x11, 0x03, 0x00, 0x6B, 0x00, 0x03}, 0x8776},
		{"check value", []byte("123456789"), 0x4B37},
		{"empty", nil, 0xFFFF},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := crc16Modbus(tc.msg); got != tc.want {
				t.Errorf("got %04X, want %04X", got, tc.want)
			}
			if got := crcReference(tc.msg); got != tc.want {
				t.Errorf("reference: got %04X, want %04X", got, tc.want)
			}
		})
	}
	t.Run("random messages against the reference", func(t *testing.T) {
		rng := rand.New(rand.NewPCG(1, 2))
		for i := 0; i < 1000; i++ {
			msg := make([]byte, rng.IntN(40))
			for j := range msg {
				msg[j] = byte(rng.UintN(256))
			}
			if got, want := crc16Modbus(msg), crcReference(msg); got != want {
				t.Fatalf("% X: got %04X, want %04X", msg, got, want)
			}
		}
	})
}

func TestModbusWriteCoil(t *testing.T) {
	cases := []struct {
		addr byte
		coil uint16
		on   bool
		want []byte
	}{
		{1, 0, true, []byte{0x01, 0x05, 0x00, 0x00, 0xFF, 0x00, 0x8C, 0x3A}},
		{1, 0, false, []byte{0x01, 0x05, 0x00, 0x00, 0x00, 0x00, 0xCD, 0xCA}},
		{2, 0x0102, true, withCRC(0x02, 0x05, 0x01, 0x02, 0xFF, 0x00)},
		{247, 0xFFFF, false, withCRC(0xF7, 0x05, 0xFF, 0xFF, 0x00, 0x00)},
	}
	for _, tc := range cases {
		t.Run(fmt.Sprintf("addr %d coil %d on=%v", tc.addr, tc.coil, tc.on), func(t *testing.T) {
			if got := modbusWriteCoil(tc.addr, tc.coil, tc.on); !bytes.Equal(got, tc.want) {
				t.Errorf("got % X, want % X", got, tc.want)
			}
		})
	}
}

// withCRC returns b followed by its CRC from crcReference, low byte first.
func withCRC(b ...byte) []byte {
	crc := crcReference(b)
	return append(b, byte(crc), byte(crc>>8))
}

func TestModbusReply(t *testing.T) {
	on := modbusWriteCoil(1, 0, true)
	off := modbusWriteCoil(1, 0, false)
	badCRC := bytes.Clone(on)
	badCRC[7] ^= 0x01
	cases := []struct {
		name    string
		req     []byte
		reply   []byte
		wantErr string // empty for success
	}{
		{"echo on", on, on, ""},
		{"echo off", off, off, ""},
		{"exception 1", on, withCRC(0x01, 0x85, 0x01), "exception 1 (illegal function)"},
		{"exception 2", on, withCRC(0x01, 0x85, 0x02), "exception 2 (illegal data address)"},
		{"exception 3", on, withCRC(0x01, 0x85, 0x03), "exception 3 (illegal data value)"},
		{"exception 4", on, withCRC(0x01, 0x85, 0x04), "exception 4 (device failure)"},
		{"other exception", on, withCRC(0x01, 0x85, 0x0B), "exception 11"},
		{"exception with bad CRC", on, []byte{0x01, 0x85, 0x02, 0x00, 0x00}, "CRC"},
		{"bad CRC", on, badCRC, "CRC"},
		{"wrong address", on, withCRC(0x02, 0x05, 0x00, 0x00, 0xFF, 0x00), "address 2, want 1"},
		{"wrong address exception", on, withCRC(0x02, 0x85, 0x02), "address 2, want 1"},
		{"answer to another command", on, off, "does not echo"},
		{"short", on, on[:4], "too short"},
		{"empty", on, nil, "too short"},
		{"truncated echo", on, on[:7], "CRC"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := checkModbusReply(tc.req, tc.reply)
			if tc.wantErr == "" {
				if err != nil {
					t.Errorf("got %v, want %v", err, nil)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Errorf("got %v, want an error containing %q", err, tc.wantErr)
			}
		})
	}
}
