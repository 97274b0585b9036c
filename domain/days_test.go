package domain

import (
	"math/rand/v2"
	"testing"
	"time"
)

// TestDaysLikeDateOf: Days.Of gives DateOf(t.In(loc)) for instants around
// daylight-saving changes (one-hour and half-hour), before 1970, at the
// second before and after midnight, and at random, in time zones east and
// west of UTC and UTC itself, visited in random order (the remembered
// stretch jumps back and forth).
func TestDaysLikeDateOf(t *testing.T) {
	var ts []time.Time
	for _, s := range []string{
		"2026-03-29T00:59:59Z", "2026-03-29T01:00:00Z", "2026-10-25T00:59:59Z", "2026-10-25T01:00:00Z",
		"2026-03-08T06:59:59Z", "2026-03-08T07:00:00Z", "2026-11-01T05:59:59Z", "2026-11-01T06:00:00Z",
		"2026-04-04T14:59:59Z", "2026-04-04T15:00:00Z", "2026-10-03T15:59:59Z", "2026-10-03T16:00:00Z",
		"1969-12-31T23:59:59Z", "1970-01-01T00:00:00Z", "1900-02-28T23:00:00Z", "2000-02-29T22:30:00Z",
		"2100-03-01T00:00:00Z", "0001-01-01T00:00:00Z", "2026-12-31T23:00:00.5Z",
	} {
		at, err := time.Parse(time.RFC3339Nano, s)
		if err != nil {
			t.Fatal(err)
		}
		ts = append(ts, at, at.Add(-time.Nanosecond), at.Add(time.Nanosecond))
	}
	r := rand.New(rand.NewPCG(1, 2))
	for range 20000 {
		ts = append(ts, time.Unix(r.Int64N(6_000_000_000)-2_000_000_000, r.Int64N(1e9)))
	}
	base := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := range 20000 { // in order, a minute apart then jumps: stretches reused
		ts = append(ts, base.Add(time.Duration(i)*37*time.Minute))
	}
	for _, name := range []string{"UTC", "Europe/Paris", "America/New_York", "Australia/Lord_Howe", "Asia/Kolkata", "Pacific/Kiritimati"} {
		loc, err := time.LoadLocation(name)
		if err != nil {
			t.Fatal(err)
		}
		for _, order := range []string{"given", "shuffled"} {
			list := append([]time.Time(nil), ts...)
			if order == "shuffled" {
				r.Shuffle(len(list), func(i, j int) { list[i], list[j] = list[j], list[i] })
			}
			days := NewDays(loc)
			for _, at := range list {
				if got, want := days.Of(at), DateOf(at.In(loc)); got != want {
					t.Fatalf("%s %s: %v in %s is %v, want %v", name, order, at.UTC(), name, got, want)
				}
			}
		}
	}
	if got, want := NewDays(nil).Of(base), DateOf(base); got != want {
		t.Fatalf("nil location: %v, want %v", got, want)
	}
}
