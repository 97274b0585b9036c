package i18n

// This file holds the messages of the deal views a transport renders: the
// deal card, its history, the candidates for ambiguous words, App Home and
// the deal picker's options. Formats that start or end with "*" are mrkdwn: the bold is
// part of the message, and transports escape every argument that came from a
// user before it is formatted in.

func init() {
	for k, v := range dealMessages {
		if _, dup := catalog[k]; dup {
			// Two files defining one key would make one of them win at
			// random; fail at start-up instead of showing the wrong text.
			panic("i18n: message " + k + " is defined twice")
		}
		catalog[k] = v
	}
}

var dealMessages = map[string]msg{
	// The deal card.
	"card.won":                {"Won", "Gagnée"},
	"card.lost":               {"%s: %s", "%s : %s"}, // card.lost.title: the reason
	"card.lost.title":         {"Lost", "Perdue"},
	"card.competitor":         {"won by %s", "remportée par %s"},
	"card.next_step":          {"%s · %s", "%s · %s"}, // card.next_step.title · when it is due
	"card.next_step.title":    {"Next step", "Prochaine étape"},
	"card.no_next_step":       {"%s: add one with the Next step button.", "%s : ajoutez-en une avec le bouton Prochaine étape."}, // %s: card.no_next_step.title
	"card.no_next_step.title": {"No next step yet", "Pas encore de prochaine étape"},
	"card.last_change":        {"Last change: %s by %s, %s", "Dernière modification : %s par %s, le %s"},
	"card.button.update":      {"Update", "Mettre à jour"},
	"card.button.next_step":   {"Next step", "Prochaine étape"},
	"card.button.discount":    {"Request discount", "Demander une remise"},
	"card.button.history":     {"History", "Historique"},

	// A next step's due state, from the reader's today.
	"due.overdue":  {"overdue since %s", "en retard depuis le %s"},
	"due.today":    {"due today", "à faire aujourd'hui"},
	"due.tomorrow": {"due tomorrow", "à faire demain"},
	"due.in_days":  {"due in %d days (%s)", "à faire dans %d jours (%s)"},
	"due.on":       {"due %s", "à faire pour le %s"},
	"due.none":     {"no due date", "sans échéance"},

	// A deal's history.
	"history.title":    {"History of %s", "Historique de %s"},
	"author.import":    {"CRM import", "import CRM"},
	"history.at":       {"%s %s", "%s à %s"},
	"history.change":   {"%s: %s → %s", "%s : %s → %s"},
	"history.set":      {"%s set to %s", "%s : %s"},
	"history.empty":    {"No change recorded for %s yet.", "Aucune modification enregistrée pour %s."},
	"history.more":     {"…and %d older changes.", "…et %d modifications plus anciennes."},
	"history.more_one": {"…and 1 older change.", "…et 1 modification plus ancienne."},

	// Several deals match what the user typed.
	"candidates.intro": {"Several deals match '%s':", "Plusieurs affaires correspondent à « %s » :"},
	"candidates.hint":  {"Type the ref to pick one, e.g. /deal show %s", "Tapez la réf. pour en choisir une, par ex. /deal show %s"},
	"candidates.more":  {"…and %d more: add words to narrow the search.", "…et %d de plus : ajoutez des mots pour affiner."},

	// App Home.
	"home.order":   {"Overdue next steps first, then by close date.", "Étapes en retard d'abord, puis par date de signature."},
	"home.empty":   {"You have no open deal. Create one with /deal new, or type /deal help to see what I can do.", "Vous n'avez aucune affaire ouverte. Créez-en une avec /deal new, ou tapez /deal help pour voir ce que je sais faire."},
	"home.next":    {"Next step: %s · %s", "Prochaine étape : %s · %s"},
	"home.no_next": {"No next step", "Pas de prochaine étape"},
}
