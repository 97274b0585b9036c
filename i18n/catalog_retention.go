package i18n

// This file holds the words of deal types, contract terms and recurring
// values, of accounts and of what customers take away (churn, downgrade),
// renewals due and retention (/pipeline retention).

func init() {
	for k, v := range retentionMessages {
		if _, dup := catalog[k]; dup {
			panic("i18n: message " + k + " is defined twice")
		}
		catalog[k] = v
	}
}

var retentionMessages = map[string]msg{
	"field.type":        {"Deal type", "Type d'affaire"},
	"field.term_months": {"Contract term (months)", "Durée du contrat (mois)"},
	"field.recurring":   {"Recurring value (ARR)", "Valeur récurrente (ARR)"},

	"deal_type.new":       {"new", "nouvelle"},
	"deal_type.expansion": {"expansion", "extension"},
	"deal_type.renewal":   {"renewal", "renouvellement"},

	"months.one":  {"1 month", "1 mois"},
	"months.many": {"%s months", "%s mois"},

	"deal.bad_type":      {"'%s' is not a deal type: new, expansion or renewal.", "« %s » n'est pas un type d'affaire : nouvelle, extension ou renouvellement."},
	"deal.bad_term":      {"Contract term: '%s' is not a number of months from 1 to %d; try 12, 24 or 3y.", "Durée du contrat : « %s » n'est pas un nombre de mois de 1 à %d ; essayez 12, 24 ou 3a."},
	"deal.bad_recurring": {"Recurring value (ARR): '%s' is not an amount; try 24000 or 24k.", "Valeur récurrente (ARR) : « %s » n'est pas un montant ; essayez 24000 ou 24k."},

	"account.not_found":       {"There is no account '%s'.", "Il n'y a pas de compte « %s »."},
	"account.too_many_events": {"%s already has %d churn and downgrade entries; no more can be recorded.", "%s a déjà %d entrées de perte et de baisse ; impossible d'en ajouter."},

	"form.term.placeholder":      {"months, e.g. 12 or 2y", "en mois, ex. 12 ou 2a"},
	"form.recurring.placeholder": {"annual recurring value, e.g. 24k", "valeur récurrente annuelle, ex. 24k"},
	"card.contract":              {"%s · term %s", "%s · durée %s"},
	"card.contract_arr":          {"%s · term %s · ARR %s (MRR %s)", "%s · durée %s · ARR %s (MRR %s)"},

	"help.deal.type":          {"the deal's type: new, expansion or renewal", "le type de l'affaire : nouvelle, extension ou renouvellement"},
	"help.deal.term":          {"the contract's term in months (2y for two years)", "la durée du contrat en mois (2a pour deux ans)"},
	"help.deal.arr":           {"the contract's annual recurring value (ARR)", "la valeur récurrente annuelle du contrat (ARR)"},
	"help.deal.churn":         {"a customer left: its recurring revenue is lost (today unless a date is given)", "un client part : son revenu récurrent est perdu (aujourd'hui sauf date donnée)"},
	"help.deal.downgrade":     {"a customer pays less: that much recurring revenue is lost", "un client paie moins : ce revenu récurrent est perdu"},
	"help.deal.loss_undo":     {"withdraw the account's last churn (or downgrade) recorded by mistake, kept on its record as withdrawn", "retirer le dernier départ (ou la dernière baisse) du compte saisi par erreur, gardé à son dossier comme retiré"},
	"help.pipeline.retention": {"retention: starting ARR, GRR, NRR, churn, hollow wins, time to first renewal", "rétention : ARR de départ, GRR, NRR, pertes, victoires creuses, délai jusqu'au premier renouvellement"},

	"account.which":           {"Which account? Try /deal churn Acme 2026-11-30 budget cut.", "Quel compte ? Essayez /deal churn Acme 30/11/2026 budget coupé."},
	"account.unknown":         {"There is no account '%s' among the deals you can see.", "Il n'y a pas de compte « %s » parmi les affaires que vous voyez."},
	"account.unknown_suggest": {"There is no account '%s' among the deals you can see. Did you mean: %s?", "Il n'y a pas de compte « %s » parmi les affaires que vous voyez. Vouliez-vous dire : %s ?"},
	// %[1]s the account, %[2]s a won deal of it, %[3]s its owner, %[4]s their managers.
	"account.undo_pay":         {"Withdrawing a loss of %[1]s gives back the commission it took on %[2]s, a won deal: only its owner's manager (%[3]s) or an admin can.", "Retirer une perte de %[1]s rend la commission qu'elle a reprise sur %[2]s, une affaire gagnée : seul le manager de son responsable (%[3]s) ou un admin le peut."},
	"account.forbidden_won":    {"%[2]s, a won deal of %[1]s, is %[3]s's: what %[1]s took away would take back the commission it paid. Only %[3]s, %[4]s or an admin can record it.", "%[2]s, une affaire gagnée de %[1]s, est celle de %[3]s : ce que %[1]s a retiré reprendrait la commission qu'elle a payée. Seuls %[3]s, %[4]s ou un admin peuvent l'enregistrer."},
	"account.forbidden_unseen": {"%[1]s has won deals in another team: what it took away would take back the commission they paid. Only their managers or an admin can record it.", "%[1]s a des affaires gagnées dans une autre équipe : ce qu'il a retiré reprendrait la commission qu'elles ont payée. Seuls leurs managers ou un admin peuvent l'enregistrer."},
	// %[1]s who recorded it, %[2]s the account, %[3]s the day (%[4]s the ARR lost).
	"account.churn_told":        {"%[1]s recorded that %[2]s churned on %[3]s. A win of yours there within your plan's clawback window gives back what it paid, on your commission statement of that month.", "%[1]s a enregistré le départ de %[2]s le %[3]s. Une de vos signatures chez ce client dans la fenêtre de reprise de votre plan rend ce qu'elle a payé, sur votre relevé de commissions de ce mois."},
	"account.downgrade_told":    {"%[1]s recorded that %[2]s cut its ARR by %[4]s on %[3]s. A win of yours there within your plan's clawback window gives back its share of what it paid, on your commission statement of that month.", "%[1]s a enregistré que %[2]s a réduit son ARR de %[4]s le %[3]s. Une de vos signatures chez ce client dans la fenêtre de reprise de votre plan rend sa part de ce qu'elle a payé, sur votre relevé de commissions de ce mois."},
	"account.forbidden":         {"Only %[2]s can record what %[1]s took away: an owner of its deals, their manager or an admin.", "Seuls %[2]s peuvent enregistrer ce que %[1]s a retiré : un responsable de ses affaires, son manager ou un admin."},
	"account.already_churned":   {"%s has already churned and has no recurring revenue left since.", "%s est déjà parti et n'a plus de revenu récurrent depuis."},
	"account.churned":           {"Recorded: %s churned on %s; recurring revenue lost: %s ARR.", "Enregistré : %s est parti le %s ; revenu récurrent perdu : %s d'ARR."},
	"account.no_arr":            {"None of its won deals carries a recurring value: set one with /deal arr D-12 24k.", "Aucune de ses affaires gagnées n'a de valeur récurrente : indiquez-la avec /deal arr D-12 24k."},
	"account.hollow":            {"%s was won %d days before: a hollow win.", "%s avait été gagnée %d jours avant : une victoire creuse."},
	"account.downgrade_usage":   {"How much ARR is lost? Try /deal downgrade Acme 12k 2026-11-30 fewer seats.", "Combien d'ARR est perdu ? Essayez /deal downgrade Acme 12k 30/11/2026 moins de licences."},
	"account.downgrade_too_big": {"%s cannot lose %s: its ARR on %[4]s is %[3]s.", "%s ne peut pas perdre %s : son ARR au %[4]s est de %[3]s."},
	// %[1]s churn|downgrade (the command word), %[2]s the account.
	"account.undo_usage":           {"To withdraw %[2]s's last %[1]s, type /deal %[1]s %[2]s undo, with nothing between the account and undo.", "Pour retirer la dernière saisie /deal %[1]s de %[2]s, tapez /deal %[1]s %[2]s undo, sans rien entre le compte et undo."},
	"account.no_churn_to_undo":     {"%s has no churn recorded to undo.", "%s n'a aucun départ enregistré à annuler."},
	"account.no_downgrade_to_undo": {"%s has no downgrade recorded to undo.", "%s n'a aucune baisse enregistrée à annuler."},
	// %[1]s the account, %[2]s the day, %[3]s the ARR lost, %[4]s who recorded it.
	"account.churn_withdrawn":     {"Withdrawn: %[1]s's churn on %[2]s (%[3]s ARR), recorded by %[4]s. It stays on the account's record as withdrawn; retention and commissions no longer count it.", "Retiré : le départ de %[1]s le %[2]s (%[3]s d'ARR), enregistré par %[4]s. Il reste au dossier du compte comme retiré ; la rétention et les commissions ne le comptent plus."},
	"account.downgrade_withdrawn": {"Withdrawn: %[1]s's downgrade on %[2]s by %[3]s ARR, recorded by %[4]s. It stays on the account's record as withdrawn; retention and commissions no longer count it.", "Retirée : la baisse de %[1]s le %[2]s de %[3]s d'ARR, enregistrée par %[4]s. Elle reste au dossier du compte comme retirée ; la rétention et les commissions ne la comptent plus."},
	// %[1]s who withdrew it, %[2]s the account, %[3]s the day (%[4]s the ARR).
	"account.churn_undo_told":     {"%[1]s withdrew the churn of %[2]s on %[3]s, recorded by mistake: any clawback it made on your commission is cancelled (in a month already closed, paid back as an adjustment in the next open month).", "%[1]s a retiré le départ de %[2]s du %[3]s, saisi par erreur : la reprise qu'il a faite sur votre commission est annulée (dans un mois déjà clos, rendue en ajustement le mois ouvert suivant)."},
	"account.downgrade_undo_told": {"%[1]s withdrew the downgrade of %[2]s by %[4]s on %[3]s, recorded by mistake: any clawback it made on your commission is cancelled (in a month already closed, paid back as an adjustment in the next open month).", "%[1]s a retiré la baisse de %[2]s de %[4]s du %[3]s, saisie par erreur : la reprise qu'elle a faite sur votre commission est annulée (dans un mois déjà clos, rendue en ajustement le mois ouvert suivant)."},
	"account.downgraded":          {"Recorded: %s downgraded on %s by %s ARR; it keeps %s.", "Enregistré : %s a baissé le %s de %s d'ARR ; il garde %s."},

	"retention.title":        {"Retention · %s · %s to %s", "Rétention · %s · du %s au %s"},
	"retention.row":          {"%s · starting ARR %s (%d customers) · GRR %s · NRR %s · churn %s · downgrades %s · expansion %s", "%s · ARR de départ %s (%d clients) · GRR %s · NRR %s · pertes %s · baisses %s · extensions %s"},
	"retention.row_none":     {"%s · no recurring revenue at the start of the period: nothing to measure", "%s · aucun revenu récurrent au début de la période : rien à mesurer"},
	"retention.renewals":     {"First renewals: %d, a median %d days after the first win", "Premiers renouvellements : %d, en médiane %d jours après la première signature"},
	"retention.hollow_none":  {"No hollow win: no customer churned within 90 days of a win.", "Aucune victoire creuse : aucun client parti dans les 90 jours d'une signature."},
	"retention.hollow_title": {"Hollow wins (%d): customers who churned within %d days of the win", "Victoires creuses (%d) : clients partis dans les %d jours de la signature"},
	"retention.hollow_line":  {"%s · %s · %s · won %s, churned %s (%d days) · ARR %s", "%s · %s · %s · gagnée le %s, perdue le %s (%d jours) · ARR %s"},
	"retention.hollow_more":  {"…and %d more.", "…et %d de plus."},
	"retention.defs":         {"GRR = (starting ARR − churn − downgrades) ÷ starting ARR; NRR = the same + expansion; starting ARR: customers with recurring revenue the day before the period.", "GRR = (ARR de départ − pertes − baisses) ÷ ARR de départ ; NRR = idem + extensions ; ARR de départ : clients avec un revenu récurrent la veille de la période."},

	"renewal.line":      {"%s %s · %s · ARR %s · the term ends %s (in %d days)", "%s %s · %s · ARR %s · le contrat se termine le %s (dans %d jours)"},
	"home.renewals":     {"Renewals due in the next 90 days", "Renouvellements dans les 90 prochains jours"},
	"nudge.renewal_due": {"Renewal due: %s's contract (ARR %s) ends %s, in %d days.", "Renouvellement : le contrat de %s (ARR %s) se termine le %s, dans %d jours."},
}
