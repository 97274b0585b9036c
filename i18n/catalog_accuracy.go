package i18n

// This file holds the messages of signed forecast accuracy (the digest's
// accuracy lines, /forecast accuracy, dealpilot report accuracy) and of the
// month's slippage in /pipeline (issue 14). Plain text: the transports
// format it.

func init() {
	for k, v := range accuracyMessages {
		if _, dup := catalog[k]; dup {
			panic("i18n: message " + k + " is defined twice")
		}
		catalog[k] = v
	}
}

var accuracyMessages = map[string]msg{
	"pipeline.label.slippage_month": {"Slippage this month", "Glissement du mois"},
	"pipeline.value.slippage_none":  {"nothing forecast for %s", "rien de prévu pour %s"},

	"help.forecast.accuracy": {"Signed accuracy of the calls over the last four closed quarters (or months): who over-calls, who sandbags", "Précision signée des prévisions sur les quatre derniers trimestres (ou mois) clos : qui surestime, qui sous-estime"},
	"forecast.accuracy.usage": {"'%s' is neither a person, a team (%s), month nor quarter. Use /forecast accuracy [month | quarter] [@user | team].",
		"« %s » n'est ni une personne, ni une équipe (%s), ni mois, ni trimestre. Utilisez /forecast accuracy [month | quarter] [@user | team]."},
	"forecast.accuracy.kind.month":    {"months", "mois"},
	"forecast.accuracy.kind.quarter":  {"quarters", "trimestres"},
	"forecast.accuracy.title_rep":     {"Forecast accuracy · %s · %s", "Précision des prévisions · %s · %s"},
	"forecast.accuracy.title_team":    {"Forecast accuracy · %s · %s", "Précision des prévisions · %s · %s"},
	"forecast.accuracy.title_company": {"Forecast accuracy · all teams · %s", "Précision des prévisions · toutes les équipes · %s"},
	"forecast.accuracy.title_header":  {"Forecast accuracy", "Précision des prévisions"},
	"forecast.accuracy.definition": {"Each period: the call's signed error at its start / at M-1, (called − won) ÷ won: + over-call, − sandbagging, – no call, n/a nothing won. M-1 is one month before a quarter's end, the last week of a month.",
		"Chaque période : l'écart signé de la prévision au début / à M-1, (prévu − gagné) ÷ gagné : + surestimation, − sous-estimation, – pas de prévision, n.d. rien de gagné. M-1 : un mois avant la fin d'un trimestre, la dernière semaine d'un mois."},
	"forecast.accuracy.none_closed":    {"No closed %s with calls or snapshots yet.", "Aucun de ces %s clos n'a encore de prévisions ou de photos."},
	"forecast.accuracy.col.bias_start": {"At the start", "Au début"},
	"forecast.accuracy.col.bias_m1":    {"At M-1", "À M-1"},
	"forecast.accuracy.bias.accurate":  {"accurate", "juste"},
	"forecast.accuracy.bias.over":      {"over-caller", "surestime"},
	"forecast.accuracy.bias.under":     {"sandbagger", "sous-estime"},
	"forecast.accuracy.bias.mixed":     {"mixed", "variable"},
	"forecast.accuracy.over":           {"Over-call at the start, period after period: %s", "Surestiment au début, période après période : %s"},
	"forecast.accuracy.under":          {"Sandbag at the start, period after period: %s", "Sous-estiment au début, période après période : %s"},
	"forecast.accuracy.nobody":         {"No over-caller or sandbagger at the start over these periods.", "Personne ne surestime ni ne sous-estime au début sur ces périodes."},
	"forecast.accuracy.unmeasurable":   {"n/a (called %s, won 0)", "n.d. (prévu %s, gagné 0)"},
	"forecast.accuracy.na":             {"n/a", "n.d."},
	"forecast.accuracy.trend_bias":     {"Trend of the call's error at the start: %s · %s", "Tendance de l'écart de prévision au début : %s · %s"},
}
