package i18n

// This file holds the forecast's messages (domain/forecast, /forecast, the
// Monday digest). Keys start with "forecast." (and "help.forecast.");
// formats that start or end with "*" are mrkdwn.

func init() {
	for k, v := range forecastMessages {
		if _, dup := catalog[k]; dup {
			panic("i18n: message " + k + " is defined twice")
		}
		catalog[k] = v
	}
}

var forecastMessages = map[string]msg{
	// Help.
	"help.forecast.intro":  {"The forecast, for the current quarter unless you name a period (2026-Q4, 2026-11, 2026, this-quarter, last-quarter…):", "La prévision, du trimestre en cours sauf si vous nommez une période (2026-Q4, 2026-11, 2026, this-quarter, last-quarter…) :"},
	"help.forecast.show":   {"your numbers, a rep's or a team's: won, commit, best case, quota, gap, coverage", "vos chiffres, ceux d'un commercial ou d'une équipe : gagné, engagé, meilleur cas, objectif, écart, couverture"},
	"help.forecast.submit": {"submit your forecast call (managers: the team's)", "soumettre votre prévision (managers : celle de l'équipe)"},
	"help.forecast.quota":  {"set a rep's quota (managers and admins)", "fixer l'objectif d'un commercial (managers et admins)"},
	"help.forecast.digest": {"post the weekly digest to the team channel now (managers)", "publier maintenant le point hebdomadaire dans le canal de l'équipe (managers)"},

	// Field labels (the call form and its errors).
	"field.commit":                   {"Commit", "Engagé"},
	"field.best_case":                {"Best case", "Meilleur cas"},
	"field.comment":                  {"Comment", "Commentaire"},
	"forecast.field.commit":          {"Commit", "Engagé"},
	"forecast.field.best_case":       {"Best case", "Meilleur cas"},
	"forecast.field.comment":         {"Comment", "Commentaire"},
	"field.month_commit":             {"Commit for the month", "Engagé du mois"},
	"forecast.field.month_commit":    {"Commit for %s", "Engagé pour %s"},
	"forecast.form.month_hint":       {"Optional: what you are sure to end this month at, won deals included. Empty makes no month call.", "Facultatif : ce que vous êtes sûr d'atteindre ce mois-ci, affaires gagnées comprises. Vide : pas de prévision du mois."},
	"forecast.month_above_quarter":   {"The commit for %s cannot be above the commit for %s, which includes it.", "L'engagé pour %s ne peut pas dépasser celui de %s, qui le comprend."},
	"forecast.call_saved_month":      {"Your call for %s is saved too: commit %s.", "Votre prévision pour %s est aussi enregistrée : engagé %s."},
	"forecast.call_saved_month_team": {"The %s team's call for %s is saved too: commit %s.", "La prévision de l'équipe %s pour %s est aussi enregistrée : engagé %s."},
	"forecast.form.title":            {"Forecast call %s", "Prévision %s"},
	"forecast.form.title_team":       {"Team call %s", "Prévision équipe %s"},
	"forecast.form.submit":           {"Submit", "Soumettre"},
	"forecast.form.commit_hint":      {"What you are sure to end the period at, won deals included.", "Ce que vous êtes sûr d'atteindre sur la période, affaires gagnées comprises."},
	"forecast.form.best_hint":        {"What you could end at if things go well; at least your commit.", "Ce que vous pourriez atteindre si tout va bien ; au moins votre engagé."},
	"forecast.context.mine":          {"%s: won %s · commit %s · best case %s · quota %s", "%s : gagné %s · engagé %s · meilleur cas %s · objectif %s"},
	"forecast.context.team":          {"%s: won %s · commit %s · best case %s · quota %s", "%s : gagné %s · engagé %s · meilleur cas %s · objectif %s"},
	// The first %s of forecast.context.mine and .team is their title, below.
	"forecast.context.mine.title":  {"Your bottom-up for %s", "Vos chiffres pour %s"},
	"forecast.context.team.title":  {"Team %s bottom-up for %s", "Chiffres de l'équipe %s pour %s"},
	"forecast.context.previous":    {"Standing call, submitted %s: commit %s · best case %s", "Prévision en cours, soumise le %s : engagé %s · meilleur cas %s"},
	"forecast.context.rep":         {"%s: bottom-up commit %s, best case %s · call: commit %s, best case %s", "%s : engagé %s, meilleur cas %s · prévision : engagé %s, meilleur cas %s"},
	"forecast.context.rep_none":    {"%s: bottom-up commit %s, best case %s · no call yet", "%s : engagé %s, meilleur cas %s · pas encore de prévision"},
	"forecast.context.reps":        {"Your reps' calls", "Les prévisions de vos commerciaux"},
	"forecast.none":                {"none", "aucun"},
	"forecast.total":               {"Total", "Total"},
	"forecast.call_required":       {"Enter an amount, such as 120k.", "Saisissez un montant, par exemple 120k."},
	"forecast.call_saved":          {"Your call for %s is saved: commit %s, best case %s.", "Votre prévision pour %s est enregistrée : engagé %s, meilleur cas %s."},
	"forecast.call_saved_team":     {"The %s team's call for %s is saved: commit %s, best case %s.", "La prévision de l'équipe %s pour %s est enregistrée : engagé %s, meilleur cas %s."},
	"forecast.call_same":           {"Same as the call of %s.", "Identique à la prévision du %s."},
	"forecast.call_changed":        {"Changed since the call of %s:", "Modifié depuis la prévision du %s :"},
	"forecast.call_change":         {"• %s: %s → %s (%s)", "• %s : %s → %s (%s)"},
	"forecast.call_change_comment": {"• Comment: “%s” → “%s”", "• Commentaire : « %s » → « %s »"},
	"forecast.call_not_manager":    {"Only the manager of %s (%s) submits the team's call.", "Seul le manager de %s (%s) soumet la prévision de l'équipe."},
	"forecast.call_no_team":        {"You are in no team, so there is no call for you to make; ask your admin to add you to a team.", "Vous n'êtes dans aucune équipe : vous n'avez pas de prévision à faire. Demandez à votre admin de vous ajouter à une équipe."},
	"forecast.submit_usage":        {"'%s' is neither a period (2026-Q4, 2026-11, 2026, this-quarter, last-quarter…) nor a team. Try /forecast submit or /forecast submit 2026-Q4.", "« %s » n'est ni une période (2026-Q4, 2026-11, 2026, this-quarter, last-quarter…) ni une équipe. Essayez /forecast submit ou /forecast submit 2026-Q4."},

	// /forecast.
	"forecast.usage":            {"'%s' is not a user, a team (%s) or a period (2026-Q4, 2026-11, 2026, this-quarter, last-quarter…). Try /forecast, /forecast @lea or /forecast 2026-Q4.", "« %s » n'est ni un utilisateur, ni une équipe (%s), ni une période (2026-Q4, 2026-11, 2026, this-quarter, last-quarter…). Essayez /forecast, /forecast @lea ou /forecast 2026-Q4."},
	"forecast.no_team":          {"There is no team '%s'; the teams are %s.", "Il n'y a pas d'équipe « %s » ; les équipes sont %s."},
	"forecast.no_numbers":       {"%s has no deals closing in %s.", "%s n'a aucune affaire à signer en %s."},
	"forecast.title_team":       {"%s forecast · %s", "Prévision %s · %s"},
	"forecast.title_company":    {"Company forecast · %s", "Prévision de l'entreprise · %s"},
	"forecast.title_rep":        {"Forecast of %s · %s", "Prévision de %s · %s"},
	"forecast.skipped":          {"%d deals in another currency are left out.", "%d affaires dans une autre devise sont exclues."},
	"forecast.no_quota":         {"Attainment, gap to quota and coverage count only the reps with a quota; without one: %s.", "Atteinte, reste à faire et couverture ne comptent que les commerciaux qui ont un quota ; sans quota : %s."},
	"forecast.no_quota_any":     {"No quota is set for this team or for %s: no attainment, gap to quota or coverage.", "Aucun quota pour cette équipe ni pour %s : ni atteinte, ni reste à faire, ni couverture."},
	"forecast.rows_more":        {"…and %d more rows: dealpilot report forecast has them all.", "…et %d lignes de plus : dealpilot report forecast les donne toutes."},
	"forecast.csv_title":        {"%s forecast · %s · every figure (CSV)", "Prévision %s · %s · tous les chiffres (CSV)"},
	"forecast.title_header":     {"Forecast · %s", "Prévision · %s"},
	"forecast.label.won":        {"Won", "Gagné"},
	"forecast.label.commit":     {"Commit", "Engagé"},
	"forecast.label.best_case":  {"Best case", "Meilleur cas"},
	"forecast.label.upside":     {"Upside", "Potentiel"},
	"forecast.digest.team_call": {"Team call: commit %s · best case %s", "Prévision d'équipe : engagé %s · meilleur cas %s"},
	"forecast.label.pipeline":   {"Open pipeline", "Pipeline ouvert"},
	"forecast.label.weighted":   {"Weighted pipeline", "Pipeline pondéré"},
	"forecast.label.quota":      {"Quota", "Objectif"},
	"forecast.label.attainment": {"Attainment", "Atteinte"},
	"forecast.label.gap":        {"Gap to quota", "Reste à faire"},
	"forecast.label.coverage":   {"Coverage", "Couverture"},
	"forecast.col.who":          {"Who", "Qui"},
	"forecast.col.won":          {"Won", "Gagné"},
	"forecast.col.commit":       {"Commit", "Engagé"},
	"forecast.col.best_case":    {"Best", "Meilleur"},
	"forecast.col.pipeline":     {"Pipeline", "Pipeline"},
	"forecast.col.quota":        {"Quota", "Objectif"},
	"forecast.col.attainment":   {"Att.", "Att."},
	"forecast.col.gap":          {"Gap", "Écart"},
	"forecast.col.coverage":     {"Cov.", "Couv."},
	"forecast.col.call":         {"Call", "Prév."},

	// /forecast quota.
	"forecast.quota_usage":     {"Write /forecast quota @user 150k, optionally followed by a period such as 2026-Q4.", "Écrivez /forecast quota @user 150k, suivi si besoin d'une période comme 2026-Q4."},
	"forecast.quota_no_team":   {"%s is in no team; add them to a team's members in the configuration first.", "%s n'est dans aucune équipe ; ajoutez-le d'abord aux membres d'une équipe dans la configuration."},
	"forecast.quota_forbidden": {"Only %[2]s, the manager of %[1]s's team, or an admin can set %[1]s's quota.", "Seul %[2]s, manager de l'équipe de %[1]s, ou un admin peut fixer l'objectif de %[1]s."},
	"forecast.quota_set":       {"%s's quota for %s is now %s.", "L'objectif de %s pour %s est maintenant de %s."},
	"forecast.quota_changed":   {"%s's quota for %s is now %s (it was %s).", "L'objectif de %s pour %s est maintenant de %s (il était de %s)."},

	// The digest.
	"forecast.digest_forbidden":    {"Only a team's manager or an admin can post its digest. %s", "Seuls le manager d'une équipe ou un admin peuvent publier son point. %s"},
	"forecast.digest_no_channel":   {"Team %s has no channel to post the digest to; set its channel in the configuration.", "L'équipe %s n'a pas de canal où publier le point ; renseignez son canal dans la configuration."},
	"forecast.digest_posting":      {"Posting the %s digest to the team channel now.", "Publication du point %s dans le canal de l'équipe."},
	"forecast.digest.header":       {"%s forecast · %s", "Prévision %s · %s"},
	"forecast.digest.header_part":  {"%s forecast · %s (%d/%d)", "Prévision %s · %s (%d/%d)"},
	"forecast.digest.week":         {"Week %s · amounts in %s · numbers as of this morning", "Semaine %s · montants en %s · chiffres de ce matin"},
	"forecast.chart_title":         {"%s: forecast vs quota per rep, %s (won, commit, best case; quota in red)", "%s : prévision et objectif par commercial, %s (gagné, engagé, meilleur cas ; objectif en rouge)"},
	"forecast.button.submit":       {"Submit my call", "Soumettre ma prévision"},
	"forecast.changes.title":       {"Changes since %s", "Changements depuis %s"},
	"forecast.changes.none":        {"No change in the period's deals since %s.", "Aucun changement sur les affaires de la période depuis %s."},
	"forecast.changes.first":       {"This is the first digest: changes show from next week.", "C'est le premier point : les changements apparaîtront la semaine prochaine."},
	"forecast.changes.more":        {"…and %d more", "…et %d de plus"},
	"forecast.changes.new":         {"New", "Nouvelles"},
	"forecast.changes.won":         {"Won", "Gagnées"},
	"forecast.changes.lost":        {"Lost", "Perdues"},
	"forecast.changes.reopened":    {"Reopened", "Rouvertes"},
	"forecast.changes.pulled_in":   {"Pulled in", "Avancées dans la période"},
	"forecast.changes.amount_up":   {"Amount up", "Montant en hausse"},
	"forecast.changes.amount_down": {"Amount down", "Montant en baisse"},
	"forecast.changes.category":    {"Category moves", "Changements de catégorie"},
	"forecast.changes.reassigned":  {"Reassigned", "Réattribuées"},
	"forecast.changes.gone":        {"Gone", "Disparues"},
	"forecast.slipped.title":       {"Slipped out of %s", "Sorties de %s"},
	"forecast.slipped.item":        {"%s %s · %s · close date %s → %s", "%s %s · %s · signature %s → %s"},
	"forecast.accuracy.none":       {"Accuracy: measured once a quarter with calls or snapshots has closed.", "Précision : mesurée dès qu'un trimestre avec des prévisions ou des photos est clos."},
	"forecast.accuracy.line":       {"Accuracy %s: won %s; at the start, called %s, bottom-up %s; at M-1, called %s, bottom-up %s", "Précision %s : gagné %s ; au début, prévu %s, chiffres %s ; à M-1, prévu %s, chiffres %s"},
	"forecast.accuracy.point":      {"%s (error %s)", "%s (écart %s)"},
	"forecast.accuracy.no_point":   {"not measured", "non mesuré"},
	"forecast.accuracy.trend":      {"Trend of the call's error at the start: %s", "Tendance de l'écart de prévision au début : %s"},

	// Domain rules (domain/forecast).
	"forecast.bad_period":             {"'%s' is not a period; write 2026-Q4 (a fiscal quarter), 2026-11 (a month) or FY2026 (a fiscal year).", "« %s » n'est pas une période ; écrivez 2026-Q4 (un trimestre fiscal), 2026-11 (un mois) ou FY2026 (un exercice)."},
	"forecast.call_negative":          {"%s cannot be negative.", "%s ne peut pas être négatif."},
	"forecast.call_best_below_commit": {"Best case cannot be below commit: it is what you could reach, commit included.", "Le meilleur cas ne peut pas être inférieur à l'engagé : il l'inclut."},
	"forecast.call_incomplete":        {"A call needs who makes it, a period and a week.", "Une prévision doit indiquer son auteur, une période et une semaine."},
	"forecast.member_twice":           {"%s is a member of both %s and %s; a rep is in one team.", "%s est membre de %s et de %s ; un commercial est dans une seule équipe."},
	"forecast.quota_amount":           {"The quota for %s must be between 0 and the largest amount.", "L'objectif pour %s doit être entre 0 et le montant maximal."},
	"forecast.quota_duplicate":        {"%s has two quotas for %s.", "%s a deux objectifs pour %s."},
	"forecast.quota_team_unknown":     {"There is no team %s for this quota.", "Il n'y a pas d'équipe %s pour cet objectif."},
	"forecast.quota_whose":            {"A quota is for a user or a team, not both and not neither (%s, %s).", "Un objectif est pour un utilisateur ou une équipe, pas les deux ni aucun (%s, %s)."},
	"forecast.team_duplicate":         {"Team %s is listed twice.", "L'équipe %s figure deux fois."},
	"forecast.team_unnamed":           {"A team has no name.", "Une équipe n'a pas de nom."},
}
