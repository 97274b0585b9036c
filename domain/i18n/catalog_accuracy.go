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
}
