package i18n

// This file holds the refusals of the read rule (domain.CanRead): whose
// deals, forecasts and KPIs someone may read. A deal one may not read is
// refused as "deal.not_found", like a deal that does not exist.

func init() {
	for k, v := range visibilityMessages {
		if _, dup := catalog[k]; dup {
			panic("i18n: message " + k + " is defined twice")
		}
		catalog[k] = v
	}
}

var visibilityMessages = map[string]msg{
	"visibility.user": {"You can see the deals and numbers of your own team only, and %s is not in it.",
		"Vous ne voyez que les affaires et les chiffres de votre équipe, et %s n'en fait pas partie."},
	"visibility.team": {"You can see the numbers of your own team only, not %s's.",
		"Vous ne voyez que les chiffres de votre équipe, pas ceux de %s."},
	"visibility.company": {"You can see your own team's numbers only; the company's are for admins.",
		"Vous ne voyez que les chiffres de votre équipe ; ceux de l'entreprise sont réservés aux admins."},
}
