package reader

import (
	"bytes"
	"errors"
	"slices"
	"testing"

	"frontdesk/core"
)

// fuzzDecode feeds data to a fresh decoder for d whole, then to another
// split at cut, and checks what a serial driver relies on: no panic,
// canonical codes, rejects that wrap ErrFrame, the same result whatever the
// split, and a bounded buffer.
func fuzzDecode(t *testing.T, d core.Device, data []byte, cut uint) {
	whole := feedChunks(t, d, data)
	c := int(cut % uint(len(data)+1))
	dec := newTestDecoder(t, d)
	split := &recordSink{}
	dec.Feed(data[:c], split)
	dec.Feed(data[c:], split)

	checkCanonical(t, whole.codes)
	checkWidths(t, d, whole.codes)
	if !slices.Equal(whole.codes, split.codes) {
		t.Errorf("split at %d: got %q, want %q", c, split.codes, whole.codes)
	}
	if len(whole.rejects) != len(split.rejects) {
		t.Errorf("split at %d: got %d rejects, want %d", c, len(split.rejects), len(whole.rejects))
	}
	for _, err := range whole.rejects {
		if !errors.Is(err, ErrFrame) {
			t.Errorf("reject %v: got errors.Is(ErrFrame) false, want true", err)
		}
	}
	if ld, ok := dec.(*lineDecoder); ok && cap(ld.buf) > maxLineLen {
		t.Errorf("line buffer capacity: got %v, want at most %v", cap(ld.buf), maxLineLen)
	}
}

// checkWidths fails the test for a bit code of a width reader d does not
// deliver (core.Device.ReadWidths), or a UID from a reader that delivers
// none (core.Device.ReadsUIDs): the
// ambiguity checks of enrolment rely on ReadWidths saying what decoders
// give.
func checkWidths(t *testing.T, d core.Device, codes []string) {
	t.Helper()
	widths := d.ReadWidths()
	for _, c := range codes {
		pc, err := core.ParseCode(c)
		if err != nil {
			continue // checkCanonical reports it
		}
		if pc.Format == core.FormatUID && !d.ReadsUIDs() || pc.Format != core.FormatUID && !slices.Contains(widths, pc.Width) {
			t.Errorf("emitted %q from a %s (format %q, bits %d), which delivers widths %v", c, d.Kind, d.Format, d.Bits, widths)
		}
	}
}

func FuzzDecodeRDM6300(f *testing.F) {
	for _, s := range []string{
		rdmFrame,
		id12Frame,
		binFrame,
		"\x0262e3086ced08\x03",
		"\x0262E3086CED09\x03" + id12Frame,
		"\x0262E308" + id12Frame,
		"\x02\x0A\x02\x06\x00" + rdmFrame,
		"\x02\x02\x02\x0A\x02\x02\x02\x02\x02\x02\x0A\x03",
		"noise\x00\xFF" + rdmFrame + "\r\n",
		"",
	} {
		f.Add([]byte(s), uint(len(s)/2))
	}
	f.Fuzz(func(t *testing.T, data []byte, cut uint) {
		fuzzDecode(t, core.Device{Kind: "serial-rdm6300"}, data, cut)
	})
}

func FuzzDecodeWiegand(f *testing.F) {
	for _, s := range []string{
		"B0A5FD\r",
		"b0a5fd\r\n02B0A5FD\r\n",
		"0011576829\r\n0045131261\r\n",
		"4294967295\n4294967296\n",
		"176,42493\r\n176:42493\n  007, 00042 \r\n",
		"256,1\r\n1,65536\r\n,\r\n",
		"hello\r\n\r\n",
		"17642493\r\n05946206\r\n0005946206\r\n",
		string(bytes.Repeat([]byte("7"), 300)) + "\r\nB0A5FD\r\n",
	} {
		for pick := range 4 {
			f.Add([]byte(s), uint(len(s)/3), false, byte(pick))
			f.Add([]byte(s), uint(len(s)/2), true, byte(pick))
		}
	}
	f.Fuzz(func(t *testing.T, data []byte, cut uint, wide bool, pick byte) {
		d := core.Device{Kind: "serial-wiegand", Bits: 26}
		if wide {
			d.Bits = 34
		}
		formats := core.ReadFormats(d.Kind, d.Bits)
		d.Format = formats[int(pick)%len(formats)]
		fuzzDecode(t, d, data, cut)
	})
}

func FuzzDecodeLine(f *testing.F) {
	for _, s := range []string{
		"04 A2 2B 1A\r\n",
		"04a22b1a\n",
		"UID: 04 A2 2B 1A\r\nCard UID: 04:A2:2B:1A\r\n",
		"UID 04A22B1A\n0x04 0xA2 0x2B 0x1A\n",
		"UID: 04 52 1a 2B 3C 4D 80\r\n04:52:1A:2B:3C:4D:80:11:22:33\n",
		"04 A2 2B 1A 5B\r\n4 A2 2B 1A\r\nhello\r\n",
		"Reader 1: UID: 0X04-0xa2,2b\t1A\r\n",
		string(bytes.Repeat([]byte("04 A2 2B 1A "), 20)) + "\r\n04A22B1A\r\n",
	} {
		f.Add([]byte(s), uint(len(s)/2))
	}
	f.Fuzz(func(t *testing.T, data []byte, cut uint) {
		fuzzDecode(t, core.Device{Kind: "serial-line"}, data, cut)
	})
}

// FuzzModbusReply checks that a reply is accepted exactly when it echoes
// the request, whatever bytes a board or a noisy RS-485 line returns.
func FuzzModbusReply(f *testing.F) {
	on := modbusWriteCoil(1, 0, true)
	f.Add(byte(1), uint16(0), true, on)
	f.Add(byte(1), uint16(0), true, modbusWriteCoil(1, 0, false))
	f.Add(byte(1), uint16(0), true, []byte{0x01, 0x85, 0x02, 0xC3, 0x52})
	f.Add(byte(1), uint16(0), true, on[:4])
	f.Add(byte(2), uint16(7), false, []byte{})
	f.Add(byte(0xF7), uint16(0xFFFF), false, modbusWriteCoil(0xF7, 0xFFFF, false))
	f.Fuzz(func(t *testing.T, addr byte, coil uint16, on bool, reply []byte) {
		req := modbusWriteCoil(addr, coil, on)
		// A message followed by its CRC, low byte first, has CRC zero.
		if got := crc16Modbus(req); got != 0 {
			t.Errorf("CRC over request % X: got %04X, want %04X", req, got, 0)
		}
		if err := checkModbusReply(req, req); err != nil {
			t.Errorf("echo % X: got %v, want %v", req, err, nil)
		}
		err := checkModbusReply(req, reply)
		if echo := bytes.Equal(req, reply); echo != (err == nil) {
			t.Errorf("reply % X to % X: got %v, want an error: %v", reply, req, err, !echo)
		}
	})
}
