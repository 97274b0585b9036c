package domain

import (
	"math"
	"time"
)

// Days gives the calendar day of instants in one time zone, as
// DateOf(t.In(loc)) does, without a zone lookup for most instants: it
// remembers the last stretch of time with one UTC offset (between two
// daylight-saving changes) and works the day out of the offset with
// integer arithmetic. The rules that cut a company's history into days
// (/pipeline's KPIs, slippage) call it for every entry of every deal;
// TestDaysLikeDateOf holds it to DateOf. The zero value is not usable:
// make one with NewDays. Not safe for concurrent use.
type Days struct {
	loc        *time.Location
	start, end int64 // Unix seconds of the remembered stretch, [start, end)
	offset     int64 // its offset from UTC, in seconds
	// known holds the days given so far, each at its number (days since
	// 1970-01-01) modulo daySlots: a company's history falls on a few
	// hundred days, asked for again and again in no order, and the
	// calendar arithmetic (civil) costs more than a look here.
	known *[daySlots]knownDay
}

// daySlots is the size of Days.known, a power of two: 512 days (17
// months) before two days share a place.
const daySlots = 512

type knownDay struct {
	set bool
	n   int64 // days since 1970-01-01
	day Date
}

// NewDays returns a Days for loc (UTC when nil).
func NewDays(loc *time.Location) *Days {
	if loc == nil {
		loc = time.UTC
	}
	return &Days{loc: loc, start: 1, end: 0} // an empty stretch: the first call looks up
}

// Of returns the day of t in the time zone of d.
func (d *Days) Of(t time.Time) Date {
	u := t.Unix() // whole seconds, rounded down
	if u < d.start || u >= d.end {
		lt := t.In(d.loc)
		_, off := lt.Zone()
		from, to := lt.ZoneBounds()
		d.offset, d.start, d.end = int64(off), math.MinInt64, math.MaxInt64
		if !from.IsZero() {
			d.start = from.Unix()
		}
		if !to.IsZero() {
			d.end = to.Unix()
		}
		if u < d.start || u >= d.end { // not expected; never trust a stretch that misses t
			d.start, d.end = 1, 0
			return DateOf(lt)
		}
	}
	n := floorDiv(u+d.offset, 86400)
	if d.known == nil {
		d.known = new([daySlots]knownDay)
	}
	k := &d.known[uint64(n)&(daySlots-1)]
	if !k.set || k.n != n {
		k.set, k.n, k.day = true, n, civil(n)
	}
	return k.day
}

func floorDiv(a, b int64) int64 {
	q := a / b
	if a%b != 0 && (a < 0) != (b < 0) {
		q--
	}
	return q
}

// civil is the proleptic Gregorian day that is days after 1970-01-01
// (negative before), counting in eras of 400 years (146,097 days) that
// start on 1 March, so that a leap day ends its year.
func civil(days int64) Date {
	z := days + 719468 // days since 0000-03-01
	era := floorDiv(z, 146097)
	doe := z - era*146097                                  // [0, 146096]
	yoe := (doe - doe/1460 + doe/36524 - doe/146096) / 365 // [0, 399]
	y := yoe + era*400
	doy := doe - (365*yoe + yoe/4 - yoe/100) // [0, 365], from 1 March
	mp := (5*doy + 2) / 153                  // [0, 11], March first
	day := doy - (153*mp+2)/5 + 1
	m := mp + 3
	if m > 12 {
		m -= 12
	}
	if m <= 2 {
		y++
	}
	return Date{Year: int(y), Month: time.Month(m), Day: int(day)}
}
