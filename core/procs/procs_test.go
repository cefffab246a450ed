package procs

import (
	"runtime"
	"testing"
)

func TestReserveRaisesProcessorsAndRestores(t *testing.T) {
	t.Setenv("GOMAXPROCS", "")
	t.Setenv("GOGC", "")
	t.Setenv("GOMEMLIMIT", "")
	before := runtime.GOMAXPROCS(0)
	cores := Cores()
	restore := Reserve()
	if got := runtime.GOMAXPROCS(0); got < 8 || got < 4*runtime.NumCPU() {
		t.Errorf("GOMAXPROCS %d under Reserve, want at least max(8, 4 per core)", got)
	}
	if got := Cores(); got != cores {
		t.Errorf("Cores %d under Reserve, want %d (the real ones)", got, cores)
	}
	restore()
	if got := runtime.GOMAXPROCS(0); got != before {
		t.Errorf("GOMAXPROCS %d after restore, want %d", got, before)
	}
}
