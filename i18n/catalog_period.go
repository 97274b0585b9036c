package i18n

// This file holds the messages of the one period syntax (forecast.ParseWindow)
// that /forecast, /pipeline, /pipeline losses and every `dealpilot report`
// take.

func init() {
	for k, v := range periodMessages {
		if _, dup := catalog[k]; dup {
			panic("i18n: message " + k + " is defined twice")
		}
		catalog[k] = v
	}
}

var periodMessages = map[string]msg{
	// %[1]s what was typed, %[2]s the accepted forms (forecast.PeriodForms).
	"period.bad": {"'%s' is not a period. Use one of: %s (2026 is the fiscal year ending in 2026; 90d and 12w end today).",
		"« %s » n'est pas une période. Utilisez : %s (2026 est l'exercice qui se termine en 2026 ; 90d et 12w se terminent aujourd'hui)."},
	// %[1]s what was typed, %[2]s the fiscal forms (forecast.FiscalForms).
	"period.bad_fiscal": {"'%s' is not a period. A forecast is kept per fiscal period: use one of %s (2026 is the fiscal year ending in 2026).",
		"« %s » n'est pas une période. Une prévision se tient par période fiscale : utilisez %s (2026 est l'exercice qui se termine en 2026)."},
	// %[1]s what was typed, %[2]s the fiscal forms (forecast.FiscalForms).
	"period.not_fiscal": {"'%s' is a number of days; a forecast is kept per fiscal period: use one of %s.",
		"« %s » est un nombre de jours ; une prévision se tient par période fiscale : utilisez %s."},
	"period.future": {"%s has not begun yet: these figures are about what happened. Use a period that has begun, such as this-quarter or 90d.",
		"%s n'a pas encore commencé : ces chiffres portent sur ce qui s'est passé. Utilisez une période commencée, comme this-quarter ou 90d."},
}
