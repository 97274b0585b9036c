package domain

import (
	"testing"
	"time"
)

// BenchmarkParseAmount parses what reps type in the amount field and after
// /deal amount, in both locales.
func BenchmarkParseAmount(b *testing.B) {
	inputs := []struct {
		s   string
		loc Locale
	}{
		{"48k", EN}, {"48,000.50", EN}, {"€48k", EN}, {"1.2M", EN},
		{"48 000,50 €", FR}, {"48\u202f000", FR}, {"12kk", EN}, {"1,5 M€", FR},
	}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		in := inputs[i%len(inputs)]
		_, _ = ParseAmount(in.s, in.loc, "EUR")
		i++
	}
}

// BenchmarkParseDate parses the dates reps type after "by" and in forms.
func BenchmarkParseDate(b *testing.B) {
	inputs := []struct {
		s   string
		loc Locale
	}{
		{"2026-12-15", EN}, {"fri", EN}, {"next friday", EN}, {"in 2 weeks", EN},
		{"vendredi prochain", FR}, {"15/12", FR}, {"Dec 15, 2026", EN}, {"someday", EN},
	}
	now := time.Date(2026, 11, 25, 9, 30, 0, 0, time.UTC)
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		in := inputs[i%len(inputs)]
		_, _ = ParseDate(in.s, in.loc, now)
		i++
	}
}
