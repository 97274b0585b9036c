package coaching

import (
	"slices"
	"strings"
	"time"

	"github.com/dealpilot/dealpilot/domain"
)

// Sent records that the item with Key was in a reminder sent at At.
type Sent struct {
	Key string
	At  time.Time
}

// Snooze holds back items until Until: the item with Key, or, when Key is
// empty, every item of Deal.
type Snooze struct {
	Key   string
	Deal  domain.DealID
	Until time.Time
}

// Prefs is a rep's choice about reminders: `/deal nudges off|on|pause 1w`.
type Prefs struct {
	Off         bool
	PausedUntil time.Time // reminders resume at this instant (see ResumeAt)
}

// Active reports whether the rep wants reminders at now.
func (p Prefs) Active(now time.Time) bool { return !p.Off && !now.Before(p.PausedUntil) }

// ResumeAt returns the start of the rep's day that is days after today in
// loc: what "Snooze 1 day", "Snooze 3 days" and "pause 1w" (7) store as
// their end. Ending at midnight, not 24 hours later, lets a snoozed item back
// into the next morning's reminder instead of missing it by an hour.
func ResumeAt(now time.Time, loc *time.Location, days int) time.Time {
	return DueAt(domain.DateOf(now.In(loc)).AddDays(days), loc, 0, 0)
}

// DueAt returns the instant at which the wall clock in loc shows hh:mm on day.
//
// Around a DST change a wall-clock time may not exist or exist twice. A time
// in the spring-forward gap is moved forward by the gap's length (02:30 on
// the day Paris skips from 02:00 to 03:00 is 03:30 CEST); a time that occurs
// twice in the autumn is its first occurrence, so nothing waits an extra hour.
//
// A nil loc is UTC.
func DueAt(day domain.Date, loc *time.Location, hh, mm int) time.Time {
	if loc == nil {
		loc = time.UTC
	}
	t := time.Date(day.Year, day.Month, day.Day, hh, mm, 0, 0, loc)
	// Go may pick the second occurrence of a repeated time; look one offset
	// change earlier for the first.
	_, before := t.Add(-12 * time.Hour).Zone()
	_, at := t.Zone()
	if before > at {
		e := t.Add(-time.Duration(before-at) * time.Second)
		if eh, em, _ := e.Clock(); eh == hh && em == mm && domain.DateOf(e) == day {
			return e
		}
	}
	return t
}

// IsWorkday reports whether reminders go out on day: every day when
// s.Weekends is set, else Monday to Friday.
func IsWorkday(day domain.Date, s Settings) bool {
	if s.Weekends {
		return true
	}
	wd := day.Weekday()
	return wd != time.Saturday && wd != time.Sunday
}

// ShouldSendNow reports whether a rep in loc, whose last reminder went out on
// their local day lastSentDay, is due a reminder at now: today (in loc) is a
// workday, nothing was sent today, and now is at or after today's
// s.RemindHour:RemindMinute in loc and, when s.SendWindow is set, before
// that plus the window. A nil loc is UTC.
func ShouldSendNow(now time.Time, loc *time.Location, lastSentDay domain.Date, s Settings) bool {
	if loc == nil {
		loc = time.UTC
	}
	today := domain.DateOf(now.In(loc))
	if !IsWorkday(today, s) || !lastSentDay.Before(today) {
		return false
	}
	due := DueAt(today, loc, s.RemindHour, s.RemindMinute)
	if now.Before(due) {
		return false
	}
	return s.SendWindow <= 0 || now.Before(due.Add(s.SendWindow))
}

// Pending returns the nudges that may be sent at now, in their order (Evaluate's): not
// snoozed at now (by key or by deal), and either never sent or sent before a
// snooze of theirs that has since ended. A changed deal has new keys, so its
// nudges are pending again whatever was sent before.
func Pending(nudges []Nudge, sent []Sent, snoozes []Snooze, now time.Time) []Nudge {
	lastSent := make(map[string]time.Time, len(sent))
	for _, s := range sent {
		if s.At.After(lastSent[s.Key]) {
			lastSent[s.Key] = s.At
		}
	}
	byKey := map[string][]time.Time{}
	byDeal := map[domain.DealID][]time.Time{}
	for _, z := range snoozes {
		if z.Key != "" {
			byKey[z.Key] = append(byKey[z.Key], z.Until)
		} else {
			byDeal[z.Deal] = append(byDeal[z.Deal], z.Until)
		}
	}
	var out []Nudge
	for _, n := range nudges {
		untils := append(slices.Clip(byKey[n.Key]), byDeal[n.Deal]...)
		if slices.ContainsFunc(untils, now.Before) {
			continue // snoozed
		}
		if at, ok := lastSent[n.Key]; ok {
			// Sent already: only a snooze that ended since brings it back.
			if !slices.ContainsFunc(untils, at.Before) {
				continue
			}
		}
		out = append(out, n)
	}
	return out
}

// Rep is what delivery knows of one rep.
type Rep struct {
	User        domain.UserID
	Location    *time.Location // the rep's own time zone, as their chat platform gives it; nil: Settings.Location
	Prefs       Prefs
	LastSentDay domain.Date // the local day of the last reminder sent to them
}

// DM is one reminder to send: every pending item of the rep, for their local
// Day. Once it is sent, the caller records Day as the rep's LastSentDay and a
// Sent for each item.
type DM struct {
	Rep   domain.UserID
	Day   domain.Date
	Items []Nudge
}

// Plan decides who gets a reminder at now: each rep who wants reminders
// (Prefs.Active), is due one (ShouldSendNow in their zone) and has pending
// items. Nudges of users not in reps are ignored. The DMs are sorted by rep.
func Plan(now time.Time, reps []Rep, nudges []Nudge, sent []Sent, snoozes []Snooze, s Settings) []DM {
	due := map[domain.UserID]int{} // rep → index in reps
	for i, r := range reps {
		loc := r.Location
		if loc == nil {
			loc = s.location()
		}
		if r.Prefs.Active(now) && ShouldSendNow(now, loc, r.LastSentDay, s) {
			due[r.User] = i
		}
	}
	if len(due) == 0 {
		return nil
	}
	mine := make([]Nudge, 0, len(nudges))
	for _, n := range nudges {
		if _, ok := due[n.Owner]; ok {
			mine = append(mine, n)
		}
	}
	items := map[domain.UserID][]Nudge{}
	for _, n := range Pending(mine, sent, snoozes, now) {
		items[n.Owner] = append(items[n.Owner], n)
	}
	out := make([]DM, 0, len(items))
	for u, ns := range items {
		r := reps[due[u]]
		loc := r.Location
		if loc == nil {
			loc = s.location()
		}
		out = append(out, DM{Rep: u, Day: domain.DateOf(now.In(loc)), Items: ns})
	}
	slices.SortFunc(out, func(a, b DM) int { return strings.Compare(string(a.Rep), string(b.Rep)) })
	return out
}
