package domain

import (
	"errors"
	"fmt"
	"time"
)

// Error codes. A code says what kind of failure it is; the message says, in the
// user's language, what to do about it.
const (
	EINVALID   = "invalid"   // the input is wrong; the message says how
	ENOTFOUND  = "not_found" // the thing asked for does not exist
	ECONFLICT  = "conflict"  // someone else changed it first
	EFORBIDDEN = "forbidden" // the caller may not do this
	EINTERNAL  = "internal"  // a bug or an outage; details are logged, not shown
	EDAMAGED   = "damaged"   // a stored record cannot be read; the message names it, the log says why
	EBUSY      = "busy"      // the caller's previous heavy request is still being worked on
)

// Error is an error meant to be shown to a user. Key and Args name a message in
// the i18n catalogue so it can be rendered in the user's locale; Field, when
// set, names the input the message is about (a modal shows it inline there).
type Error struct {
	Code  string
	Field Field
	Key   string
	Args  []any
}

// Errorf returns an *Error with the given code and catalogue message.
func Errorf(code, key string, args ...any) *Error {
	return &Error{Code: code, Key: key, Args: args}
}

// FieldErrorf returns an *Error about one input field.
func FieldErrorf(field Field, key string, args ...any) *Error {
	return &Error{Code: EINVALID, Field: field, Key: key, Args: args}
}

// Error names the message and its arguments, for logs: "parse.amount:
// [12abc]". What a user reads is the message in their locale, written by
// the i18n package (i18n.ErrorMessage).
func (e *Error) Error() string {
	if len(e.Args) == 0 {
		return e.Key
	}
	return fmt.Sprintf("%s: %v", e.Key, e.Args)
}

// ErrorCode returns the code of err, or EINTERNAL when err is not an *Error.
// A nil err has no code.
func ErrorCode(err error) string {
	var e *Error
	var es Errors
	var c *Conflict
	switch {
	case err == nil:
		return ""
	case errors.As(err, &c):
		return ECONFLICT
	case errors.As(err, &es):
		return EINVALID
	case errors.As(err, &e):
		return e.Code
	default:
		return EINTERNAL
	}
}

// ErrorsOf is the one way to take the user's errors out of err (wrapped or
// not): every one of an Errors, or the one *Error as a list of one; false
// when err carries neither (nil, a Conflict, or an error that is not the
// user's to fix).
func ErrorsOf(err error) (Errors, bool) {
	var list Errors
	var one *Error
	switch {
	case errors.As(err, &list):
		return list, true
	case errors.As(err, &one):
		return Errors{one}, true
	}
	return nil, false
}

// MapErrors returns err with each of its user's errors replaced by f's
// result, keeping its shape (an Errors stays a list, one *Error stays one,
// so ErrorCode is unchanged); any other err is returned as it is.
func MapErrors(err error, f func(*Error) *Error) error {
	es, ok := ErrorsOf(err)
	if !ok {
		return err
	}
	out := make(Errors, len(es))
	for i, e := range es {
		out[i] = f(e)
	}
	var list Errors
	if errors.As(err, &list) {
		return out
	}
	return out[0]
}

// Errors is a list of field errors returned together, so a form can show every
// problem at once instead of one per submission.
type Errors []*Error

func (es Errors) Error() string {
	if len(es) == 0 {
		return "no errors"
	}
	if len(es) == 1 {
		return es[0].Error()
	}
	return fmt.Sprintf("%s (and %d more)", es[0].Error(), len(es)-1)
}

// Err returns es as an error, or nil when it is empty.
func (es Errors) Err() error {
	if len(es) == 0 {
		return nil
	}
	return es
}

// Conflict is returned when a change was made on an old version of a deal:
// someone changed it since (the submitter too, by a quick command). It names
// who made the last change and when, so the user can be told in their own
// time zone, and what each change since was (Changes, oldest first; empty
// when history does not say).
type Conflict struct {
	Deal     DealID
	By       UserID
	At       time.Time
	Currency string // of the amounts in Changes
	Changes  []HistoryEntry
}

func (c *Conflict) Error() string {
	s := fmt.Sprintf("%s was changed by %s at %s", c.Deal.Ref(), c.By, c.At.Format(time.RFC3339))
	for i, e := range c.Changes {
		sep := "; "
		if i == 0 {
			sep = ": "
		}
		s += fmt.Sprintf("%s%s %q -> %q by %s", sep, e.Field, e.Old, e.New, e.By)
	}
	return s
}

// add appends err's field errors to es: each of an Errors, or the one
// *Error; err nil adds nothing. Any other error is not the user's to fix:
// it is added as an internal error, whose message says only that.
func (es Errors) add(err error) Errors {
	if err == nil {
		return es
	}
	if list, ok := ErrorsOf(err); ok {
		return append(es, list...)
	}
	return append(es, Errorf(EINTERNAL, "error.internal"))
}

// firstOfEach keeps the first error of each field, so a form shows one
// clear message per input.
func (es Errors) firstOfEach() Errors {
	seen := map[Field]bool{}
	var out Errors
	for _, e := range es {
		if seen[e.Field] {
			continue
		}
		seen[e.Field] = true
		out = append(out, e)
	}
	return out
}
