package slack

import (
	"net/url"
	"strings"
)

// A response_url is a credential: whoever holds it can post as the bot to
// the user for 30 minutes. An error of an HTTP client names the URL it
// failed on, so errors of posts to a response_url are logged through
// redactURL, which keeps only the host.

// redactedError is err with every occurrence of a URL replaced by its host.
type redactedError struct {
	err       error
	raw, host string
}

func (e *redactedError) Error() string { return strings.ReplaceAll(e.err.Error(), e.raw, e.host) }
func (e *redactedError) Unwrap() error { return e.err }

// redactURL returns err with raw shown as its scheme and host only; nil
// stays nil. The error chain is kept (time-outs are still time-outs).
func redactURL(err error, raw string) error {
	if err == nil || raw == "" {
		return err
	}
	return &redactedError{err: err, raw: raw, host: urlHost(raw)}
}

// urlHost is what may be logged of a URL: its scheme and host.
func urlHost(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return "(a URL)"
	}
	return u.Scheme + "://" + u.Host + "/…"
}
