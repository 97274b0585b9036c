package i18n

import (
	"strconv"
	"strings"
)

// FormatBP is the one way a ratio in basis points is written: as loc writes
// a percentage, with as few decimals as the value needs (basis points allow
// two): "12.5%", "10%", "10.01%", "-3%" in English, "12,5 %" (U+202F before
// the sign) in French; a whole percentage groups its thousands like
// FormatNumber ("1,250%"). desk.ParsePercent reads back what it writes.
func FormatBP(loc Locale, bp int) string {
	if bp%100 == 0 {
		return FormatPercent(loc, bp/100)
	}
	sign := ""
	if bp < 0 {
		sign, bp = "-", -bp
	}
	frac := strings.TrimRight(strconv.Itoa(100 + bp%100)[1:], "0") // "05" for 0.05
	mark, sep := ".", ""
	if loc == FR {
		mark, sep = ",", FrenchPercentSep
	}
	return sign + strconv.Itoa(bp/100) + mark + frac + sep + "%"
}

// FormatWholeBP writes basis points rounded half away from zero to a whole
// percentage (RoundBP), for tables that show whole percents: "13%" for
// 1250, "-13%" for -1250.
func FormatWholeBP(loc Locale, bp int) string { return FormatPercent(loc, RoundBP(bp, 100)) }

// RoundBP divides bp by unit, rounding half away from zero: RoundBP(1250,
// 100) is 13 (whole percents), RoundBP(24_499, 1000) is 24 (tenths of 1x).
func RoundBP(bp, unit int) int {
	if bp < 0 {
		return -RoundBP(-bp, unit)
	}
	return (bp + unit/2) / unit
}
