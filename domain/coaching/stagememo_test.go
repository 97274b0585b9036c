package coaching

import (
	"fmt"
	"testing"

	"github.com/dealpilot/dealpilot/domain"
)

// TestStageMemoLikeIndex: the memo gives Stages.Index's answer for every
// name, asked once or many times (other case, spaces around, unknown
// names), and remembers at most maxMemoStages names, however many
// different ones a history holds.
func TestStageMemoLikeIndex(t *testing.T) {
	stages := domain.DefaultStages()
	names := []string{"", " ", "nope"}
	for _, st := range stages {
		names = append(names, st.Name, " "+st.Name+" ", fmt.Sprintf("%s\t", st.Name), swapCase(st.Name))
	}
	for i := range 2 * maxMemoStages {
		names = append(names, fmt.Sprintf("Stage %d", i))
	}
	m := &stageMemo{stages: stages}
	for round := range 3 {
		for _, n := range names {
			if got, want := m.Index(n), stages.Index(n); got != want {
				t.Fatalf("round %d: Index(%q) = %d, want %d", round, n, got, want)
			}
		}
	}
	if len(m.names) > maxMemoStages || len(m.idx) != len(m.names) {
		t.Fatalf("the memo holds %d names (%d answers), want at most %d", len(m.names), len(m.idx), maxMemoStages)
	}
}

func swapCase(s string) string {
	b := []byte(s)
	for i, c := range b {
		switch {
		case 'a' <= c && c <= 'z':
			b[i] = c - 'a' + 'A'
		case 'A' <= c && c <= 'Z':
			b[i] = c - 'A' + 'a'
		}
	}
	return string(b)
}
