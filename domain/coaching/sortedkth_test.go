package coaching

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"
)

// TestSortedMedian: the median of sorted lists taken together is the
// median of their values gathered and sorted (median), for odd and even
// counts, equal values, empty lists and one list.
func TestSortedMedian(t *testing.T) {
	for _, tc := range []struct {
		lists [][]time.Duration
		want  time.Duration
	}{
		{nil, 0},
		{[][]time.Duration{{}, {}}, 0},
		{[][]time.Duration{{5}}, 5},
		{[][]time.Duration{{1, 9}}, 5},
		{[][]time.Duration{{1, 2}, {3}}, 2},
		{[][]time.Duration{{1, 2}, {3, 4}}, 2},      // (2+3)/2 = 2 (Duration division rounds down)
		{[][]time.Duration{{10, 20}, {30, 40}}, 25}, // (20+30)/2
		{[][]time.Duration{{7, 7, 7}, {7}, {}}, 7},
		{[][]time.Duration{{1, 100}, {50}, {2, 3}}, 3},
	} {
		if got := sortedMedian(tc.lists); got != tc.want {
			t.Errorf("sortedMedian(%v) = %v, want %v", tc.lists, got, tc.want)
		}
	}
	r := rand.New(rand.NewPCG(1, 1))
	for round := range 200 {
		var lists [][]time.Duration
		var all []time.Duration
		for range 1 + r.IntN(6) {
			l := make([]time.Duration, r.IntN(8))
			for i := range l {
				l[i] = time.Duration(1 + r.IntN(1+round*1000))
			}
			slices.Sort(l)
			lists = append(lists, l)
			all = append(all, l...)
		}
		if got, want := sortedMedian(lists), median(all); got != want {
			t.Fatalf("round %d: sortedMedian(%v) = %v, median %v", round, lists, got, want)
		}
	}
}

// TestReportsRefusesAFrozenPart: a part's counts are shared by the counts
// it is merged into; Reports would change them (stalled, talks), so it
// refuses.
func TestReportsRefusesAFrozenPart(t *testing.T) {
	k := NewKPICount(Input{Settings: DefaultSettings()}, Period{}, nil, time.Time{})
	k.Freeze()
	defer func() {
		if r := recover(); r == nil || fmt.Sprint(r) != "coaching: Reports of a frozen KPICount (a part)" {
			t.Fatalf("Reports of a frozen part: %v", r)
		}
	}()
	k.Reports()
}
