package crm

import (
	"errors"
	"time"

	"github.com/dealpilot/dealpilot/i18n"
)

// Problem is why a row, or one of its cells, cannot be imported. It names a
// catalogue message (Key, Args), so the same problem reads in English in
// dealpilot import's report and in the workspace's language in the bot's
// summary; the keys start with "crm." and each has its English and French
// text in i18n/catalog_crm.go.
type Problem struct {
	Column Column // "" for the row as a whole
	Header string
	Key    string
	Args   []any
	// Msg is a text that is not the catalogue's, shown as it is when Key
	// is empty.
	Msg string
}

// Message writes the problem, without its column, in loc.
func (p Problem) Message(loc i18n.Locale) string {
	if p.Key == "" {
		return p.Msg
	}
	return i18n.T(loc, p.Key, p.Args...)
}

// Text writes the problem in loc, after the header of its column.
func (p Problem) Text(loc i18n.Locale) string {
	if p.Header != "" {
		return i18n.T(loc, "crm.problem.column", p.Header, p.Message(loc))
	}
	return p.Message(loc)
}

// String is the problem in English, as dealpilot import writes it.
func (p Problem) String() string { return p.Text(i18n.EN) }

// valueError is why a cell's value cannot be read (an amount, a currency, a
// date): a catalogue message, written in English by Error and in any
// locale by Localize, so a message that quotes another one (`"12,3,4":
// two decimal separators`) writes both in the reader's language.
type valueError struct {
	key  string
	args []any
}

func errValue(key string, args ...any) error { return &valueError{key: key, args: args} }

func (e *valueError) Error() string                   { return e.Localize(i18n.EN) }
func (e *valueError) Localize(loc i18n.Locale) string { return i18n.T(loc, e.key, e.args...) }

// problemOf is the problem err says about column c.
func problemOf(c Column, header string, err error) Problem {
	var ve *valueError
	if errors.As(err, &ve) {
		return Problem{Column: c, Header: header, Key: ve.key, Args: ve.args}
	}
	return Problem{Column: c, Header: header, Msg: err.Error()}
}

// monthName is a month as a message names it with its year: "February",
// "février".
type monthName time.Month

func (m monthName) Localize(loc i18n.Locale) string { return i18n.MonthName(loc, time.Month(m)) }
