package core

import (
	"errors"
	"fmt"
	"testing"
)

// TestPhrasefIsFmt: a phrase's English text is fmt.Errorf's of the same
// format and values, whatever its verbs, and it matches its sentinel.
func TestPhrasefIsFmt(t *testing.T) {
	tests := []struct {
		format string
		args   []any
		key    string
	}{
		{"nothing to save", nil, "nothing to save"},
		{"door %s has no relay to open", []any{"Main entrance"}, "door %s has no relay to open"},
		{"door mode %q: want normal", []any{DoorMode("ajar")}, "door mode %q: want normal"},
		{"file %s is %.1f MB, more than the %d MB allowed", []any{"a.pdf", 12.345, 10}, "file %s is %s MB, more than the %s MB allowed"},
		{"no report %q (want one of %v)", []any{"x", ReportKinds}, "no report %q (want one of %s)"},
		{"100%% of %d", []any{3}, "100%% of %s"},
		{"%s %s is used by %s", []any{word("door"), "main", "lab"}, "%s %s is used by %s"},
	}
	for _, tt := range tests {
		t.Run(tt.format, func(t *testing.T) {
			got := phrasef(ErrConflict, tt.format, tt.args...)
			plain := make([]any, len(tt.args))
			for i, a := range tt.args {
				if w, ok := a.(word); ok {
					a = string(w)
				}
				plain[i] = a
			}
			if want := fmt.Errorf("%w: "+tt.format, append([]any{ErrConflict}, plain...)...).Error(); got.Error() != want {
				t.Errorf("got %q, want %q", got.Error(), want)
			}
			if got.Format != tt.key {
				t.Errorf("got format %q, want %q", got.Format, tt.key)
			}
			if !errors.Is(got, ErrConflict) || errors.Is(got, ErrInvalid) {
				t.Errorf("got %v matching the wrong sentinel", got)
			}
		})
	}
}
