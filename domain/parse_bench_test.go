package domain

import (
	"testing"
	"time"

	"github.com/dealpilot/dealpilot/i18n"
)

// BenchmarkParseAmount parses what reps type in the amount field and after
// /deal amount, in both locales.
func BenchmarkParseAmount(b *testing.B) {
	inputs := []struct {
		s   string
		loc i18n.Locale
	}{
		{"48k", i18n.EN}, {"48,000.50", i18n.EN}, {"€48k", i18n.EN}, {"1.2M", i18n.EN},
		{"48 000,50 €", i18n.FR}, {"48\u202f000", i18n.FR}, {"12kk", i18n.EN}, {"1,5 M€", i18n.FR},
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
		loc i18n.Locale
	}{
		{"2026-12-15", i18n.EN}, {"fri", i18n.EN}, {"next friday", i18n.EN}, {"in 2 weeks", i18n.EN},
		{"vendredi prochain", i18n.FR}, {"15/12", i18n.FR}, {"Dec 15, 2026", i18n.EN}, {"someday", i18n.EN},
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
