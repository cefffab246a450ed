package reader_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/gousb"

	"frontdesk/core"
	"frontdesk/reader"
	"frontdesk/reader/readertest"
)

// wedgeSink records what a Wedge delivers; it is called from Run's
// goroutine.
type wedgeSink struct {
	mu      sync.Mutex
	cards   []string
	rejects []error
	card    chan string // when not nil, also receives each card
}

func (s *wedgeSink) Card(code string) {
	s.mu.Lock()
	s.cards = append(s.cards, code)
	s.mu.Unlock()
	if s.card != nil {
		s.card <- code
	}
}

func (s *wedgeSink) Reject(err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.rejects = append(s.rejects, err)
}

// errEndOfReplay ends a replay, so that Run returns once every report has
// been decoded.
var errEndOfReplay = errors.New("end of replay")

// mustWedge returns a Wedge on in or stops the test.
func mustWedge(t testing.TB, in reader.USBIn, packet int, format string, closer func() error) *reader.Wedge {
	t.Helper()
	w, err := reader.NewWedge(in, packet, format, closer)
	if err != nil {
		t.Fatalf("NewWedge: %v", err)
	}
	return w
}

// replayWedge runs a Wedge set to format over reports read packet bytes at
// a time and returns what it delivered.
func replayWedge(t *testing.T, packet int, format string, reports [][]byte) *wedgeSink {
	t.Helper()
	in := &readertest.FakeEndpoint{Reports: reports, Err: errEndOfReplay}
	w := mustWedge(t, in, packet, format, nil)
	defer w.Close()
	s := &wedgeSink{}
	if err := w.Run(context.Background(), s); !errors.Is(err, errEndOfReplay) {
		t.Fatalf("Run: got %v, want the end of the replay", err)
	}
	return s
}

// wedgeUsage is the HID usage of each character a wedge types; '\n' is
// Enter.
func wedgeUsage(c byte) byte {
	switch {
	case c == '0':
		return 0x27
	case '1' <= c && c <= '9':
		return 0x1E + c - '1'
	case 'a' <= c && c <= 'f':
		return 0x04 + c - 'a'
	case c == '\n':
		return 0x28
	case c == ' ':
		return 0x2C
	}
	panic(fmt.Sprintf("no usage for %q", c))
}

// typeBoot types s as 8-byte boot reports: each key down, then released
// (an all-zero report), as a wedge does.
func typeBoot(s string) [][]byte {
	var out [][]byte
	for i := 0; i < len(s); i++ {
		out = append(out, []byte{0, 0, wedgeUsage(s[i]), 0, 0, 0, 0, 0}, make([]byte, 8))
	}
	return out
}

// typeShort types s as the 3-byte reports of readers like 16c0:27db.
func typeShort(s string) [][]byte {
	var out [][]byte
	for i := 0; i < len(s); i++ {
		out = append(out, []byte{0, 0, wedgeUsage(s[i])}, make([]byte, 3))
	}
	return out
}

// recorded0045131261 is what a 125 kHz wedge in its default mode sends for
// the EM card 0102B0A5FD: the decimal of the low 32 bits, then Enter. The
// two zeros are told apart only by the release report between them.
var recorded0045131261 = [][]byte{
	{0x00, 0x00, 0x27, 0x00, 0x00, 0x00, 0x00, 0x00}, // 0
	{0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00},
	{0x00, 0x00, 0x27, 0x00, 0x00, 0x00, 0x00, 0x00}, // 0
	{0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00},
	{0x00, 0x00, 0x21, 0x00, 0x00, 0x00, 0x00, 0x00}, // 4
	{0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00},
	{0x00, 0x00, 0x22, 0x00, 0x00, 0x00, 0x00, 0x00}, // 5
	{0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00},
	{0x00, 0x00, 0x1E, 0x00, 0x00, 0x00, 0x00, 0x00}, // 1
	{0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00},
	{0x00, 0x00, 0x20, 0x00, 0x00, 0x00, 0x00, 0x00}, // 3
	{0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00},
	{0x00, 0x00, 0x1E, 0x00, 0x00, 0x00, 0x00, 0x00}, // 1
	{0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00},
	{0x00, 0x00, 0x1F, 0x00, 0x00, 0x00, 0x00, 0x00}, // 2
	{0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00},
	{0x00, 0x00, 0x23, 0x00, 0x00, 0x00, 0x00, 0x00}, // 6
	{0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00},
	{0x00, 0x00, 0x1E, 0x00, 0x00, 0x00, 0x00, 0x00}, // 1
	{0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00},
	{0x00, 0x00, 0x28, 0x00, 0x00, 0x00, 0x00, 0x00}, // Enter
	{0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00},
}

func TestWedgeReports(t *testing.T) {
	up8 := make([]byte, 8)
	tests := []struct {
		name    string
		packet  int
		format  string // the reader's format; "" is auto
		reports [][]byte
		cards   []string
		rejects []string // a substring of each rejection, in order
	}{
		{"recorded decimal", 8, "", recorded0045131261, []string{"dec:0045131261"}, nil},
		{"boot reports", 8, "", typeBoot("0045131261\n"), []string{"dec:0045131261"}, nil},
		{"repeated digits", 8, "", typeBoot("1122334411\n0000000000\n"), []string{"dec:1122334411", "dec:0000000000"}, nil},
		{"short reports", 8, "", typeShort("0045131261\n"), []string{"dec:0045131261"}, nil},
		{"short reports, repeated digits", 3, "", typeShort("1100000011\n"), []string{"dec:1100000011"}, nil},
		{"3+5", 8, core.ReadFac3Num5, typeBoot("17642493\n"), []string{"w26:176:42493"}, nil},
		{"40 bits in decimal", 8, "", typeBoot("0004340098557\n"), []string{"em:0102B0A5FD"}, nil},
		{"8 digits need a format", 8, "", typeBoot("17642493\n0045131261\n"),
			[]string{"dec:0045131261"}, []string{`"17642493": 8 characters may be`}},
		{"low 24 bits in decimal", 8, core.ReadDec24, typeBoot("05946206\n"), []string{"w26:90:47966"}, nil},
		{"hex needs a format", 8, "", typeBoot("0102b0a5fd\n"), nil, []string{"this reader types hex"}},
		{"a line of another format", 8, core.ReadDec32, typeBoot("17642493\n"), nil, []string{"8 digits, want 10"}},
		{
			"keypad", 8, "",
			[][]byte{
				{0, 0, 0x62, 0, 0, 0, 0, 0}, up8, // 0
				{0, 0, 0x62, 0, 0, 0, 0, 0}, up8, // 0
				{0, 0, 0x5C, 0, 0, 0, 0, 0}, up8, // 4
				{0, 0, 0x5D, 0, 0, 0, 0, 0}, up8, // 5
				{0, 0, 0x59, 0, 0, 0, 0, 0}, up8, // 1
				{0, 0, 0x5B, 0, 0, 0, 0, 0}, up8, // 3
				{0, 0, 0x59, 0, 0, 0, 0, 0}, up8, // 1
				{0, 0, 0x5A, 0, 0, 0, 0, 0}, up8, // 2
				{0, 0, 0x5E, 0, 0, 0, 0, 0}, up8, // 6
				{0, 0, 0x59, 0, 0, 0, 0, 0}, up8, // 1
				{0, 0, 0x58, 0, 0, 0, 0, 0}, up8, // keypad Enter
			},
			[]string{"dec:0045131261"}, nil,
		},
		{
			// Upper-case hex: left shift (0x02) or right shift (0x20) in
			// the modifier byte, sometimes alone in a report of its own.
			"hex with shift", 8, core.ReadUIDHex,
			[][]byte{
				{0, 0, 0x27, 0, 0, 0, 0, 0}, up8, // 0
				{0, 0, 0x21, 0, 0, 0, 0, 0}, up8, // 4
				{0x02, 0, 0, 0, 0, 0, 0, 0},    // shift
				{0x02, 0, 0x04, 0, 0, 0, 0, 0}, // A
				{0x02, 0, 0, 0, 0, 0, 0, 0}, up8,
				{0, 0, 0x1F, 0, 0, 0, 0, 0}, up8, // 2
				{0, 0, 0x1F, 0, 0, 0, 0, 0}, up8, // 2
				{0x20, 0, 0x05, 0, 0, 0, 0, 0}, up8, // B
				{0, 0, 0x1E, 0, 0, 0, 0, 0}, up8, // 1
				{0x22, 0, 0x04, 0, 0, 0, 0, 0}, up8, // A, both shifts
				{0, 0, 0x28, 0, 0, 0, 0, 0}, up8,
			},
			[]string{"uid:04A22B1A"}, nil,
		},
		{"hex lower case", 8, core.ReadHex, typeBoot("0102b0a5fd\n"), []string{"em:0102B0A5FD"}, nil},
		{
			// A key still down in the next report types once; a new key
			// next to a held one types, in report order.
			"held keys", 8, "",
			[][]byte{
				{0, 0, 0x27, 0, 0, 0, 0, 0},       // 0
				{0, 0, 0x27, 0, 0, 0, 0, 0},       // 0 held
				{0, 0, 0x27, 0x21, 0, 0, 0, 0},    // 4 pressed, 0 held
				{0, 0, 0x21, 0, 0, 0, 0, 0},       // 4 held
				{0, 0, 0x21, 0x22, 0x1E, 0, 0, 0}, // 5 and 1 pressed
				up8,
				{0, 0, 0x20, 0, 0, 0, 0, 0}, {0, 0, 0x20, 0, 0, 0, 0, 0}, up8, // 3 held
				{0, 0, 0x28, 0, 0, 0, 0, 0}, {0, 0, 0x28, 0, 0, 0, 0, 0}, up8, // Enter held
			},
			nil, []string{`"04513"`},
		},
		{"bad key, then the next line", 8, "", typeBoot("00451 31261\n0045131261\n"),
			[]string{"dec:0045131261"}, []string{`"00451?31261": key 0x2C`}},
		{"wrong length", 8, "", typeBoot("123456789\n0045131261\n"),
			[]string{"dec:0045131261"}, []string{`"123456789": 9 digits`}},
		{"too long", 8, "", typeBoot(strings.Repeat("0123456789", 4) + "\n0045131261\n"),
			[]string{"dec:0045131261"}, []string{"typed 40 characters, more than 32"}},
		{"stray enter", 8, "", typeBoot("\n\n0045131261\n"), []string{"dec:0045131261"}, nil},
		{"key rollover error", 8, "",
			append([][]byte{{0, 0, 1, 1, 1, 1, 1, 1}, up8}, typeBoot("0045131261\n0045131261\n")...),
			[]string{"dec:0045131261"}, []string{"key 0x01"}},
		{
			// A report id in front (9 bytes) is not a report this decoder
			// knows: the line is rejected, saying why.
			"report id", 64, "",
			[][]byte{{1, 0, 0, 0x27, 0, 0, 0, 0, 0}, make([]byte, 9), {1, 0, 0, 0x28, 0, 0, 0, 0, 0}},
			nil, nil,
		},
		{"report id then enter", 64, "",
			append([][]byte{{1, 0, 0, 0x27, 0, 0, 0, 0, 0}}, typeBoot("0045131261\n0045131261\n")...),
			[]string{"dec:0045131261"}, []string{"9-byte report"}},
		{"timeouts and empty transfers", 8, "",
			slices.Insert(typeBoot("0045131261\n"), 3, nil, []byte{}, nil),
			[]string{"dec:0045131261"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := replayWedge(t, tt.packet, tt.format, tt.reports)
			if !slices.Equal(s.cards, tt.cards) {
				t.Errorf("cards: got %q, want %q", s.cards, tt.cards)
			}
			if len(s.rejects) != len(tt.rejects) {
				t.Fatalf("rejects: got %v, want %d containing %q", s.rejects, len(tt.rejects), tt.rejects)
			}
			for i, err := range s.rejects {
				if !errors.Is(err, reader.ErrFrame) {
					t.Errorf("reject %d: got %v, want an error wrapping ErrFrame", i, err)
				}
				if !strings.Contains(err.Error(), tt.rejects[i]) {
					t.Errorf("reject %d: got %q, want it to contain %q", i, err, tt.rejects[i])
				}
			}
		})
	}
}

func TestWedgeUnplug(t *testing.T) {
	in := &readertest.FakeEndpoint{Reports: typeBoot("0045131261\n"), Err: gousb.TransferNoDevice}
	w := mustWedge(t, in, 8, "", nil)
	s := &wedgeSink{}
	err := w.Run(context.Background(), s)
	if !errors.Is(err, reader.ErrNoDevice) || !errors.Is(err, gousb.TransferNoDevice) {
		t.Errorf("Run: got %v, want an error wrapping ErrNoDevice and gousb.TransferNoDevice", err)
	}
	if !slices.Equal(s.cards, []string{"dec:0045131261"}) {
		t.Errorf("cards: got %q, want the one read before the unplug", s.cards)
	}
}

func TestWedgeReadErrors(t *testing.T) {
	tests := []struct {
		name     string
		packet   int
		reports  [][]byte
		err      error
		want     error
		noDevice bool
	}{
		{"no device", 8, nil, gousb.ErrorNoDevice, gousb.ErrorNoDevice, true},
		{"transfer error", 8, nil, gousb.TransferError, gousb.TransferError, false},
		{"i/o error", 8, nil, gousb.ErrorIO, gousb.ErrorIO, false},
		{"overflow", 8, [][]byte{make([]byte, 9)}, nil, gousb.TransferOverflow, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := &readertest.FakeEndpoint{Reports: tt.reports, Err: tt.err}
			w := mustWedge(t, in, tt.packet, "", nil)
			err := w.Run(context.Background(), &wedgeSink{})
			if !errors.Is(err, tt.want) {
				t.Errorf("Run: got %v, want an error wrapping %v", err, tt.want)
			}
			if got := errors.Is(err, reader.ErrNoDevice); got != tt.noDevice {
				t.Errorf("Run: got %v, wrapping ErrNoDevice %v, want %v", err, got, tt.noDevice)
			}
		})
	}
}

func TestWedgeCancel(t *testing.T) {
	in := &readertest.FakeEndpoint{Reports: typeBoot("0045131261\n")}
	closes := 0
	w := mustWedge(t, in, 8, "", func() error { closes++; return nil })
	s := &wedgeSink{card: make(chan string, 1)}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- w.Run(ctx, s) }()

	select {
	case code := <-s.card:
		if code != "dec:0045131261" {
			t.Errorf("got %q, want dec:0045131261", code)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("no card read")
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("Run after cancel: got %v, want nil", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Run did not return after cancel")
	}
	if closes != 0 {
		t.Errorf("Run closed the device %d times: closing is Close's job", closes)
	}
	if err := w.Close(); err != nil {
		t.Errorf("Close: %v", err)
	}
}

// readCounter counts the reads in progress, to check Close releases the
// device only once Run has left its read.
type readCounter struct {
	reader.USBIn
	in atomic.Int32
}

func (r *readCounter) ReadContext(ctx context.Context, buf []byte) (int, error) {
	r.in.Add(1)
	defer r.in.Add(-1)
	return r.USBIn.ReadContext(ctx, buf)
}

func TestWedgeClose(t *testing.T) {
	in := &readCounter{USBIn: &readertest.FakeEndpoint{}}
	var closes atomic.Int32
	var readingAtClose atomic.Int32
	closeErr := errors.New("release failed")
	w := mustWedge(t, in, 8, "", func() error {
		closes.Add(1)
		readingAtClose.Store(in.in.Load())
		return closeErr
	})
	done := make(chan error, 1)
	go func() { done <- w.Run(context.Background(), &wedgeSink{}) }()
	for in.in.Load() == 0 {
		time.Sleep(time.Millisecond)
	}

	start := time.Now()
	if err := w.Close(); !errors.Is(err, closeErr) {
		t.Errorf("Close: got %v, want the closer's error", err)
	}
	if d := time.Since(start); d > time.Second {
		t.Errorf("Close took %v while Run was reading", d)
	}
	select {
	case err := <-done:
		if err == nil {
			t.Error("Run after Close: got nil, want an error (its context has not ended)")
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Run did not return after Close")
	}
	if n := readingAtClose.Load(); n != 0 {
		t.Errorf("closer called with %d reads in progress, want 0", n)
	}
	if err := w.Close(); !errors.Is(err, closeErr) {
		t.Errorf("second Close: got %v, want the first result", err)
	}
	if n := closes.Load(); n != 1 {
		t.Errorf("closer called %d times, want 1", n)
	}
	if err := w.Run(context.Background(), &wedgeSink{}); err == nil {
		t.Error("Run on a closed Wedge: got nil, want an error")
	}
}
