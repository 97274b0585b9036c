package bot

import (
	"fmt"
	"maps"
	"slices"
	"testing"
	"time"

	"github.com/dealpilot/dealpilot/domain"
)

// TestKeptScopesAreBounded: the scopes kept are at most maxPartScopes and
// about maxPartBytes in all; past either the least recently asked goes,
// never the one just counted, and asking for a scope (kept) makes it the
// most recent.
func TestKeptScopesAreBounded(t *testing.T) {
	part := func(size int) map[uint64]*countedPart { return map[uint64]*countedPart{0: {size: size}} }
	names := func(pc *partCounts) []string {
		var out []string
		for k := range pc.scopes {
			out = append(out, k)
		}
		slices.Sort(out)
		return out
	}
	var pc partCounts
	for i := range maxPartScopes + 2 {
		pc.keep(fmt.Sprintf("s%02d", i), part(1), domain.Date{}, partsRecipe{}, true, time.Time{})
	}
	if got := names(&pc); len(got) != maxPartScopes || got[0] != "s02" {
		t.Fatalf("after %d small scopes, kept %v: want the last %d", maxPartScopes+2, got, maxPartScopes)
	}
	pc.kept("s02", true) // asked again: now the most recent
	pc.keep("s99", part(1), domain.Date{}, partsRecipe{}, true, time.Time{})
	if got := names(&pc); !slices.Contains(got, "s02") || slices.Contains(got, "s03") {
		t.Fatalf("kept %v: want s03 gone (the least recently asked), s02 kept (asked again)", got)
	}
	// Past the bytes, the least recently asked go until the rest fit.
	pc.keep("big", part(maxPartBytes/2), domain.Date{}, partsRecipe{}, true, time.Time{})
	pc.keep("bigger", part(maxPartBytes/2+1), domain.Date{}, partsRecipe{}, true, time.Time{})
	if got := names(&pc); !slices.Equal(got, []string{"bigger"}) {
		t.Fatalf("kept %v: want bigger alone (big and the older small ones gone)", got)
	}
	pc.keep("small", part(1), domain.Date{}, partsRecipe{}, true, time.Time{})
	if got := names(&pc); !slices.Equal(got, []string{"bigger", "small"}) {
		t.Fatalf("kept %v: want bigger and small (they fit)", got)
	}
	// Scopes over a typed period go first, and at most four are kept:
	// sixteen periods typed do not push the default scopes out.
	pc = partCounts{}
	pc.keep("company", part(1), domain.Date{}, partsRecipe{}, true, time.Time{})
	pc.keep("team", part(1), domain.Date{}, partsRecipe{}, true, time.Time{})
	for i := range maxPartScopes {
		pc.keep(fmt.Sprintf("%dd", i+1), part(1), domain.Date{}, partsRecipe{word: fmt.Sprintf("%dd", i+1)}, true, time.Time{})
	}
	if got := names(&pc); !slices.Equal(got, []string{"13d", "14d", "15d", "16d", "company", "team"}) {
		t.Fatalf("kept %v: want the default scopes and the last four typed", got)
	}
	// One scope larger than the bound alone is kept: it was just counted.
	pc.keep("huge", part(2*maxPartBytes), domain.Date{}, partsRecipe{}, true, time.Time{})
	if got := names(&pc); !slices.Equal(got, []string{"huge"}) {
		t.Fatalf("kept %v, want [huge] alone", got)
	}
}

// TestKeptAnswersAreBounded: at most maxKeptAnswers figures are kept; a
// new key past it forgets another, keeping one again forgets none, and a
// kept answer is given only for the generations and accounts it was
// counted from.
func TestKeptAnswersAreBounded(t *testing.T) {
	var ka keptAnswers
	gens := []uint64{0, 1, 1, 4}
	for i := range maxKeptAnswers + 5 {
		ka.put(fmt.Sprint("k", i), gens, 7, i)
		if len(ka.m) > maxKeptAnswers {
			t.Fatalf("%d answers kept after %d", len(ka.m), i+1)
		}
	}
	last := fmt.Sprint("k", maxKeptAnswers+4)
	before := maps.Clone(ka.m)
	ka.put(last, gens, 8, "again")
	if len(ka.m) != len(before) {
		t.Errorf("keeping a kept key again forgot another: %d, was %d", len(ka.m), len(before))
	}
	for k := range before {
		if _, ok := ka.m[k]; !ok {
			t.Errorf("keeping %s again forgot %s", last, k)
		}
	}
	if f, ok := ka.get(last, gens, 8); !ok || f != "again" {
		t.Errorf("get = %v, %v", f, ok)
	}
	if _, ok := ka.get(last, gens, 7); ok {
		t.Error("an answer of other accounts was given")
	}
	if _, ok := ka.get(last, []uint64{0, 1, 1, 5}, 8); ok {
		t.Error("an answer of other generations was given")
	}
}
