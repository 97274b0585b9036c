package domain

import (
	"fmt"
	"testing"
	"time"
)

// TestParseISODateLikeTimeParse: the hand-read days are exactly those
// time.Parse(time.DateOnly) accepts, with the same result, and every other
// text gets time.Parse's refusal: every day of 1899–1901, 1999–2001 and
// 2023–2029 (leap and century years), their impossible neighbours, and
// malformed texts.
func TestParseISODateLikeTimeParse(t *testing.T) {
	var texts []string
	for _, years := range [][2]int{{1899, 1901}, {1999, 2001}, {2023, 2029}, {0, 0}, {9999, 9999}} {
		for y := years[0]; y <= years[1]; y++ {
			for m := 0; m <= 13; m++ {
				for d := 0; d <= 32; d++ {
					texts = append(texts, fmt.Sprintf("%04d-%02d-%02d", y, m, d))
				}
			}
		}
	}
	texts = append(texts, "", "2026-1-05", "2026-01-5", "26-01-05", "2026/01/05", "2026-01-05 ", " 2026-01-05",
		"2026-0a-05", "2026-01-0x", "+026-01-05", "2026--1-05", "2026-01-05T00:00:00Z", "２０２６-01-05", "2026-02-29", "2024-02-29")
	for _, s := range texts {
		got, gerr := ParseISODate(s)
		var want Date
		tm, werr := time.Parse(time.DateOnly, s)
		if werr == nil {
			want = DateOf(tm)
		}
		if got != want || (gerr == nil) != (werr == nil) || (gerr != nil && gerr.Error() != werr.Error()) {
			t.Errorf("ParseISODate(%q) = %v, %v; time.Parse gives %v, %v", s, got, gerr, want, werr)
		}
	}
}

// TestIsDateLikeNewDate: IsDate is true exactly when NewDate gives the
// day back unchanged, leap years and centuries included.
func TestIsDateLikeNewDate(t *testing.T) {
	for _, y := range []int{0, 1, 4, 100, 400, 1900, 2000, 2024, 2026, 2100, 9999, 12345} {
		for m := time.Month(-1); m <= 14; m++ {
			for d := -1; d <= 33; d++ {
				want := NewDate(y, m, d) == Date{y, m, d}
				if got := IsDate(y, m, d); got != want {
					t.Errorf("IsDate(%d, %d, %d) = %v, want %v", y, m, d, got, want)
				}
			}
		}
	}
}
