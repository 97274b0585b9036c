package coaching

import (
	"strconv"
	"strings"
	"time"

	"github.com/dealpilot/dealpilot/domain"
)

// Day is a date argument of a nudge's message; the i18n package writes it in
// the reader's locale ("Dec 15, 2026", "15 déc. 2026").
type Day domain.Date

// String is the ISO form, for logs and tests.
func (d Day) String() string { return domain.Date(d).String() }

// Fields is a list of fields as a message argument: "Budget, Timeline".
type Fields []domain.Field

// key is the stable text of the list inside a Nudge.Key: "budget+timeline".
func (fs Fields) key() string {
	names := make([]string, len(fs))
	for i, f := range fs {
		names[i] = string(f)
	}
	return strings.Join(names, "+")
}

// Days is a number of days as a message argument, in tenths of a day; the
// i18n package writes it as a whole number when it is one ("23") and with
// one decimal otherwise ("22.6", "22,6" in French).
type Days int

// String is the English form, for logs and tests: "23", "22.6".
func (d Days) String() string {
	s := strconv.Itoa(int(d) / 10)
	if f := int(d) % 10; f != 0 {
		s += "." + strconv.Itoa(f)
	}
	return s
}

// WholeDays rounds a duration to the nearest whole day, half a day up: the
// one rounding every whole-day figure of a message uses.
func WholeDays(v time.Duration) Days { return Days((v + day/2) / day * 10) }

// tenthDays rounds a duration to the nearest tenth of a day, half up.
func tenthDays(v time.Duration) Days { return Days((v + day/20) / (day / 10)) }

// StallDays returns how long a deal has been in its stage and the stage's
// limit, as a reminder shows them: both in whole days (rounded the same
// way), unless the deal is less than a day over its limit; then rounding
// could show "22 days, limit 22" for 22.4 against 22, so both show a tenth
// ("22.4 days, limit 22"), and the time in the stage is never shown at or
// under the limit it exceeds.
func StallDays(elapsed, limit time.Duration) (Days, Days) {
	if elapsed-limit >= day {
		return WholeDays(elapsed), WholeDays(limit)
	}
	e, l := tenthDays(elapsed), tenthDays(limit)
	if e <= l {
		e = l + 1
	}
	return e, l
}
