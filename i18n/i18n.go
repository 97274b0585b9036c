// Package i18n is dealpilot's message catalogue: every text a user reads, in
// English and French, the locale's way of writing numbers, amounts,
// percentages (FormatBP, the one formatter of basis points) and dates, and
// how the domain's values read in a message (values.go). domain holds only
// rules: its errors name a catalogue key with values, which this package
// writes (ErrorMessage). It imports only the standard library and domain's
// packages (TestImportsOnlyStdlibAndDomain), so every package above domain
// can use it.
//
// The text is plain: no platform markup (bold, emoji codes, mentions…), which
// TestCatalogueHasNoPlatformMarkup enforces. What a message sets apart, bot's
// reply types say with styles (bot.Strong, bot.Icon) that each transport
// renders in its own syntax.
package i18n

import (
	"fmt"
	"strings"

	"github.com/dealpilot/dealpilot/domain"
)

// Locale is a supported language: domain's, which reads input in it.
type Locale = domain.Locale

// Supported locales.
const (
	EN = domain.EN
	FR = domain.FR
)

// ParseLocale accepts "en", "fr" and regional forms such as "fr-FR" or "en_GB".
func ParseLocale(s string) (Locale, bool) {
	s = strings.ToLower(strings.TrimSpace(s))
	if len(s) > 2 && (s[2] == '-' || s[2] == '_') {
		s = s[:2]
	}
	switch Locale(s) {
	case EN, FR:
		return Locale(s), true
	}
	return "", false
}

// Localizer is a value that knows how to write itself in a locale; T renders
// such arguments, and the domain's values (values.go), in the locale instead
// of with fmt's %v.
type Localizer interface {
	Localize(Locale) string
}

// T returns the message key in loc, formatted with args. An unknown locale
// falls back to English; an unknown key returns the key itself so a missing
// translation shows up in tests instead of as an empty message.
func T(loc Locale, key string, args ...any) string {
	m, ok := catalog[key]
	if !ok {
		return key
	}
	format := m.en
	if loc == FR && m.fr != "" {
		format = m.fr
	}
	if len(args) == 0 {
		return format
	}
	local := make([]any, len(args))
	for i, a := range args {
		if s, ok := Value(loc, a); ok {
			local[i] = s
		} else {
			local[i] = a
		}
	}
	return fmt.Sprintf(format, local...)
}

// Has reports whether key is in the catalogue.
func Has(key string) bool { _, ok := catalog[key]; return ok }

// Translated reports whether key is in the catalogue with its English and
// its French text.
func Translated(key string) bool { m, ok := catalog[key]; return ok && m.en != "" && m.fr != "" }

// Keys lists every key of the catalogue (for tests).
func Keys() []string {
	keys := make([]string, 0, len(catalog))
	for k := range catalog {
		keys = append(keys, k)
	}
	return keys
}

type msg struct{ en, fr string }
