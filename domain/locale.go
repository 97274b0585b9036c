package domain

// Locale is the language a user writes and reads in. Rules need it only to
// read input: "1,5" is one and a half in French, "mardi" a weekday (the
// words are parsing data, in parse.go). How messages read in each locale is
// the i18n package's, where Locale is the same type.
type Locale string

// Supported locales.
const (
	EN Locale = "en"
	FR Locale = "fr"
)
