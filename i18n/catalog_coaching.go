package i18n

// This file holds coaching's messages (domain/coaching, bot/coaching.go):
// the nudges ("nudge.<kind>", whose arguments coaching.Nudge documents), the
// reminder DM, /deal nudges, the manager summary and /pipeline.

func init() {
	for k, v := range coachingMessages {
		if _, dup := catalog[k]; dup {
			panic("i18n: message " + k + " is defined twice")
		}
		catalog[k] = v
	}
}

var coachingMessages = map[string]msg{
	// Nudges, one per coaching.Kind; arguments as coaching.Nudge lists them.
	"nudge.next_step_overdue":    {"Next step “%s” was due %s.", "La prochaine étape « %s » était prévue le %s."},
	"nudge.no_next_step":         {"No next step: what happens next?", "Aucune prochaine étape : que se passe-t-il ensuite ?"},
	"nudge.stalled":              {"Stuck in %s for %s days (the team's limit is %s).", "Bloquée en %s depuis %s jours (limite de l'équipe : %s)."},
	"nudge.close_date_past":      {"The close date %s has passed.", "La date de signature %s est passée."},
	"nudge.missing_fields":       {"%s needs %s.", "%s exige : %s."},
	"nudge.close_date_pushed":    {"Close date pushed %d times, now %s.", "Date de signature repoussée %d fois, désormais le %s."},
	"nudge.discount_unqualified": {"A %s discount was requested (band %s) while %s are empty.", "Une remise de %s est demandée (seuil %s) alors que %s ne sont pas renseignés."},
	"nudge.hollow_win":           {"Won with a %s discount, over the %s level.", "Gagnée avec %s de remise, au-delà du seuil de %s."},

	// Short reasons, for the manager summary's deals worth a conversation.
	"coach.reason.next_step_overdue":    {"next step overdue", "prochaine étape en retard"},
	"coach.reason.no_next_step":         {"no next step", "pas de prochaine étape"},
	"coach.reason.stalled":              {"stalled", "bloquée"},
	"coach.reason.close_date_past":      {"close date passed", "date de signature passée"},
	"coach.reason.missing_fields":       {"stage criteria missing", "critères d'étape manquants"},
	"coach.reason.close_date_pushed":    {"close date pushed again", "date de signature repoussée"},
	"coach.reason.discount_unqualified": {"discount before qualification", "remise avant qualification"},
	"coach.reason.hollow_win":           {"heavy discount", "remise élevée"},

	// The reminder DM.
	"coach.reminder.title":  {"Deals that need you today (%d)", "Affaires qui ont besoin de vous (%d)"},
	"coach.reminder.intro":  {"Good morning! A few things to fix on your deals:", "Bonjour ! Quelques points à régler sur vos affaires :"},
	"coach.reminder.footer": {"Snoozed deals come back when the snooze ends. /deal nudges off stops these reminders.", "Les affaires reportées reviennent à la fin du report. /deal nudges off arrête ces rappels."},
	"coach.reminder.more":   {"…and %d more deals: /deal list shows them all.", "…et %d autres affaires : /deal list les montre toutes."},
	"coach.button.done":     {"Done", "Fait"},
	"coach.button.snooze1":  {"Snooze 1 day", "Reporter d'un jour"},
	"coach.button.snooze3":  {"Snooze 3 days", "Reporter de 3 jours"},
	"coach.button.update":   {"Update deal", "Mettre à jour"},
	"coach.snoozed":         {"%s snoozed until %s.", "%s reportée jusqu'au %s."},
	"coach.done_no_step":    {"%s has no next step to mark done; add the next one.", "%s n'a pas de prochaine étape à cocher ; ajoutez la suivante."},
	"coach.bad_action":      {"This button is out of date; run /deal list to see your deals.", "Ce bouton n'est plus valable ; lancez /deal list pour voir vos affaires."},

	// /deal nudges.
	"help.deal.nudges":     {"turn your reminders off, on, or pause them", "arrêter, reprendre ou suspendre vos rappels"},
	"coach.nudges.on":      {"Reminders are on: you get them on working days at %s, your time.", "Rappels activés : vous les recevez les jours ouvrés à %s, heure locale."},
	"coach.nudges.off":     {"Reminders are off. /deal nudges on turns them back on.", "Rappels désactivés. /deal nudges on les réactive."},
	"coach.nudges.paused":  {"Reminders are paused until %s.", "Rappels suspendus jusqu'au %s."},
	"coach.nudges.usage":   {"Use /deal nudges on, /deal nudges off or /deal nudges pause 1w (or 3d, 2w).", "Utilisez /deal nudges on, /deal nudges off ou /deal nudges pause 1w (ou 3d, 2w)."},
	"coach.nudges.bad_len": {"'%s' is not a pause length; use a number of days or weeks such as 3d or 1w, at most 8 weeks.", "« %s » n'est pas une durée de pause ; utilisez un nombre de jours ou de semaines comme 3d ou 1w, 8 semaines au plus."},

	// The manager summary.
	"coach.summary.title":      {"Coaching summary · %s", "Synthèse coaching · %s"},
	"coach.summary.period":     {"%s to %s. Team: win rate %s (%d won, %d lost) · average won deal %s · cycle %s days · %d stalled · hygiene %s.", "Du %s au %s. Équipe : taux de gain %s (%d gagnées, %d perdues) · affaire gagnée moyenne %s · cycle %s jours · %d bloquées · hygiène %s."},
	"coach.summary.rep":        {"%s · win rate %s (%d won, %d lost) · average deal %s · cycle %s days · %d stalled · hygiene %s", "%s · taux de gain %s (%d gagnées, %d perdues) · affaire moyenne %s · cycle %s jours · %d bloquées · hygiène %s"},
	"coach.summary.conversion": {"Conversion vs team: %s", "Conversion / équipe : %s"},
	"coach.summary.conv":       {"%s %s (team %s)", "%s %s (équipe %s)"},
	"coach.summary.talks":      {"Deals worth a conversation", "Affaires qui méritent une discussion"},
	"coach.summary.talk":       {"%s · %s · %s: %s", "%s · %s · %s : %s"},
	"coach.summary.no_talks":   {"No open deal needs a conversation this week.", "Aucune affaire ouverte ne demande de discussion cette semaine."},
	"coach.summary.no_reps":    {"No rep in this team yet.", "Aucun commercial dans cette équipe pour l'instant."},

	// The Monday summary's hollow-win scorecard.
	"coach.summary.hollow":           {"Hollow wins, as a share of the net revenue won (discount above %s · non-standard terms · qualification missing at the win; a deal counts once in the total):", "Victoires creuses, en part du chiffre net gagné (remise au-dessus de %s · conditions non standard · qualification manquante à la signature ; une affaire compte une fois dans le total) :"},
	"coach.summary.hollow_team":      {"Team · %s of %s won (discount %s · terms %s · unqualified %s)", "Équipe · %s de %s gagnés (remise %s · conditions %s · non qualifiées %s)"},
	"coach.summary.hollow_rep":       {"%s · %s of %s won (discount %s · terms %s · unqualified %s)", "%s · %s de %s gagnés (remise %s · conditions %s · non qualifiées %s)"},
	"coach.summary.hollow_none":      {"%s · nothing won", "%s · rien de gagné"},
	"coach.summary.hollow_team_none": {"Team · nothing won", "Équipe · rien de gagné"},

	// Trends: the asked period beside the previous one and last year's.
	"trend.title":          {"Against the previous %d days (%s to %s) and the same days a year ago (%s to %s):", "Par rapport aux %d jours précédents (du %s au %s) et aux mêmes jours il y a un an (du %s au %s) :"},
	"trend.change":         {"%s → %s", "%s → %s"},
	"trend.year_ago":       {" · a year ago %s", " · il y a un an %s"},
	"trend.year_ago.days":  {" · a year ago %s days", " · il y a un an %s jours"},
	"trend.year_ago.named": {" · %s: %s", " · %s : %s"},
	"trend.win_rate":       {"Win rate %s%s", "Taux de gain %s%s"},
	"trend.avg_won":        {"Average won deal %s%s", "Affaire gagnée moyenne %s%s"},
	"trend.cycle":          {"Cycle %s days%s", "Cycle %s jours%s"},
	"trend.conversion":     {"Conversion %s %s%s", "Conversion %s %s%s"},
	"trend.slippage":       {"Slippage (%s) %s%s", "Glissement (%s) %s%s"},

	// /pipeline.
	"help.pipeline":               {"pipeline KPIs: conversion, win rate, cycle, slippage", "indicateurs du pipeline : conversion, taux de gain, cycle, glissement"},
	"pipeline.title":              {"Pipeline · %s", "Pipeline · %s"},
	"pipeline.skipped":            {"%d deals in another currency are left out of these figures.", "%d affaires dans une autre devise sont exclues de ces chiffres."},
	"pipeline.title_header":       {"Pipeline", "Pipeline"},
	"pipeline.scope.team":         {"team %s", "équipe %s"},
	"pipeline.scope.all":          {"all teams", "toutes les équipes"},
	"pipeline.period":             {"%s to %s", "du %s au %s"},
	"pipeline.label.win_rate":     {"Win rate", "Taux de gain"},
	"pipeline.label.avg_won":      {"Average won deal", "Affaire gagnée moyenne"},
	"pipeline.label.cycle":        {"Cycle length", "Durée du cycle"},
	"pipeline.label.slippage":     {"Slippage", "Glissement"},
	"pipeline.label.avg_discount": {"Average discount", "Remise moyenne"},
	"pipeline.label.open":         {"Open deals", "Affaires ouvertes"},
	"pipeline.value.win_rate":     {"%s (%d won, %d lost)", "%s (%d gagnées, %d perdues)"},
	"pipeline.value.cycle":        {"%s days median, %s mean", "%s jours en médiane, %s en moyenne"},
	"pipeline.value.slippage":     {"%s of %s forecast for %s (%d of %d deals, %s, moved to a later period)", "%s des %s prévus pour %s (%d affaires sur %d, %s, repoussées à une période suivante)"},
	"pipeline.value.open":         {"%d (%s), %d stalled, hygiene %s", "%d (%s), %d bloquées, hygiène %s"},
	"pipeline.value.hygiene":      {"%s (overdue next steps: %d · past close dates: %d · missing criteria: %d)", "%s (prochaines étapes en retard : %d · dates de clôture passées : %d · critères manquants : %d)"},
	"pipeline.col.stage":          {"Stage", "Étape"},
	"pipeline.col.entered":        {"Entered", "Entrées"},
	"pipeline.col.advanced":       {"Advanced", "Avancées"},
	"pipeline.col.conversion":     {"Conversion", "Conversion"},
	"pipeline.col.open":           {"Open now", "Ouvertes"},
	"pipeline.col.amount":         {"Amount", "Montant"},
	"pipeline.leak":               {"Deals are lost most after %s: %d of %d exits (%s).", "Les affaires se perdent surtout après %s : %d sorties sur %d (%s)."},
	"pipeline.leak.none":          {"No deal was lost after a stage with %d exits or more.", "Aucune affaire perdue après une étape d'au moins %d sorties."},
	"pipeline.leak.few":           {"No stage has %d exits yet (moved on or lost): too few to say where deals are lost.", "Aucune étape n'a encore %d sorties (avancées ou perdues) : trop peu pour dire où les affaires se perdent."},
	"pipeline.usage":              {"'%s' is neither a person, team nor a period. Use /pipeline [@user | team] [period], a period being one of: %s.", "« %s » n'est ni une personne, ni team, ni une période. Utilisez /pipeline [@user | team] [période], la période étant l'une de : %s."},
	// /pipeline losses.
	"help.pipeline.losses":      {"deals lost: by stage, reason, rep and competitor", "affaires perdues : par étape, motif, commercial et concurrent"},
	"losses.title":              {"Losses · %s", "Pertes · %s"},
	"losses.title_header":       {"Losses", "Pertes"},
	"losses.total":              {"%d deals lost, %s net (%s to %s).", "%d affaires perdues, %s net (du %s au %s)."},
	"losses.none":               {"No deal lost from %s to %s.", "Aucune affaire perdue du %s au %s."},
	"losses.col.stage":          {"Stage lost at", "Étape de la perte"},
	"losses.col.reason":         {"Reason", "Motif"},
	"losses.col.rep":            {"Rep", "Commercial"},
	"losses.col.competitor":     {"Competitor", "Concurrent"},
	"losses.col.deals":          {"Lost", "Perdues"},
	"losses.col.amount":         {"Net", "Net"},
	"losses.col.deals_share":    {"% of deals", "% des affaires"},
	"losses.col.amount_share":   {"% of net", "% du net"},
	"losses.col.loss_rate":      {"Loss rate", "Taux de perte"},
	"losses.no_reason":          {"no reason", "sans motif"},
	"losses.unknown_competitor": {"unknown", "inconnu"},
	"losses.unlisted":           {"%s (not in loss_reasons)", "%s (hors loss_reasons)"},
	"losses.more":               {"%d more", "%d de plus"},
	"losses.loss_rates":         {"Loss rate after each stage: %s.", "Taux de perte après chaque étape : %s."},
	"losses.loss_rate":          {"%s (%d of %d)", "%s (%d sur %d)"},
	"losses.rule":               {"Net: list less the approved discount. Loss rate: of the deals that entered the stage in the period, lost ÷ (moved on + lost). Competitor: the one named on the loss, else on the deal desk request, else unknown.", "Net : prix catalogue moins la remise approuvée. Taux de perte : des affaires entrées dans l'étape sur la période, perdues ÷ (avancées + perdues). Concurrent : celui indiqué à la perte, sinon dans la demande de remise, sinon inconnu."},
	"pipeline.no_team":          {"You are in no team and manage none; /pipeline shows your own deals.", "Vous n'êtes dans aucune équipe et n'en gérez aucune ; /pipeline montre vos propres affaires."},

	// dealpilot report pipeline: each seller's figures.
	"report.pipeline.col.seller":     {"Seller", "Commercial"},
	"report.pipeline.col.won_lost":   {"Won / lost", "Gagnées / perdues"},
	"report.pipeline.col.win_rate":   {"Win rate", "Taux de gain"},
	"report.pipeline.col.won_amount": {"Won (net)", "Gagné (net)"},
	"report.pipeline.col.hygiene":    {"Hygiene", "Hygiène"},
	"report.pipeline.col.overdue":    {"Overdue steps", "Étapes en retard"},
	"report.pipeline.col.past_close": {"Past close", "Clôture passée"},
	"report.pipeline.col.missing":    {"Missing criteria", "Critères manquants"},
	"report.pipeline.col.slipped":    {"Slipped", "Glissées"},
	"report.pipeline.col.slippage":   {"Slippage", "Glissement"},
	"report.pipeline.col.hollow":     {"Hollow wins", "Victoires creuses"},
	"report.pipeline.reps_rule": {"Slipped: deals of %s's forecast whose close date moved into a later period, of the deals forecast, and their net value; slippage is that value ÷ the forecast's. Hollow wins: the share of the net revenue won with a discount above %s, non-standard terms or qualification missing at the win.",
		"Glissées : affaires de la prévision de %s dont la date de clôture est passée à une période suivante, sur les affaires prévues, et leur valeur nette ; le glissement est cette valeur ÷ celle de la prévision. Victoires creuses : la part du chiffre net gagné avec une remise au-dessus de %s, des conditions non standard ou une qualification manquante à la signature."},
}
