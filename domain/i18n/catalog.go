package i18n

// catalog holds every user-facing message. Keys are grouped by the package
// or feature that uses them; formats use fmt verbs, and arguments that
// implement Localizer (fields, dates, amounts) are rendered in the locale first.
var catalog = map[string]msg{
	"error.internal": {"Something went wrong on our side (ref %s). Please try again; if it keeps happening, quote the ref to your admin.",
		"Une erreur s'est produite de notre côté (réf. %s). Réessayez ; si cela se reproduit, donnez la réf. à votre admin."},

	// Field labels, as modals and messages show them.
	"field.name":            {"Deal name", "Nom de l'affaire"},
	"field.account":         {"Account", "Compte"},
	"field.owner":           {"Owner", "Responsable"},
	"field.amount":          {"Amount", "Montant"},
	"field.currency":        {"Currency", "Devise"},
	"field.stage":           {"Stage", "Étape"},
	"field.category":        {"Forecast category", "Catégorie de prévision"},
	"field.close_date":      {"Close date", "Date de signature"},
	"field.need":            {"Need", "Besoin"},
	"field.decision_makers": {"Decision makers", "Décideurs"},
	"field.budget":          {"Budget", "Budget"},
	"field.timeline":        {"Timeline", "Calendrier"},
	"field.risk":            {"Risk", "Risque"},
	"field.next_step":       {"Next step", "Prochaine étape"},
	"field.next_step_due":   {"Next step due", "Échéance de la prochaine étape"},
	"field.status":          {"Status", "Statut"},
	"field.loss_reason":     {"Loss reason", "Motif de perte"},

	// Forecast categories.
	"category.commit":    {"Commit", "Engagé"},
	"category.best_case": {"Best case", "Meilleur cas"},
	"category.upside":    {"Upside", "Potentiel"},
	"category.pipeline":  {"Pipeline", "Pipeline"},
	"category.omitted":   {"Omitted", "Exclu"},

	// Deal validation.
	"deal.required":             {"%s is required.", "%s est obligatoire."},
	"deal.too_long":             {"%s is too long: keep it under %d characters.", "%s est trop long : %d caractères au plus."},
	"deal.amount_positive":      {"Amount must be more than zero.", "Le montant doit être supérieur à zéro."},
	"deal.amount_too_big":       {"Amount is too large to be a real deal.", "Le montant est trop élevé pour une vraie affaire."},
	"deal.bad_currency":         {"'%s' is not a currency code; use three letters such as EUR.", "« %s » n'est pas un code devise ; utilisez trois lettres comme EUR."},
	"deal.bad_category":         {"'%s' is not a forecast category; use commit, best case, upside, pipeline or omitted.", "« %s » n'est pas une catégorie de prévision ; utilisez engagé, meilleur cas, potentiel, pipeline ou exclu."},
	"deal.bad_status":           {"'%s' is not a deal status.", "« %s » n'est pas un statut d'affaire."},
	"deal.loss_reason_required": {"Say why the deal was lost.", "Indiquez pourquoi l'affaire a été perdue."},
	"deal.next_step_required":   {"An open deal needs a next step.", "Une affaire ouverte doit avoir une prochaine étape."},
	"deal.next_step_needs_due":  {"Give the next step a due date.", "Donnez une échéance à la prochaine étape."},
	"deal.next_step_due_past":   {"The next step's due date %s is in the past.", "L'échéance %s de la prochaine étape est passée."},
	"deal.not_found":            {"There is no deal %s.", "Il n'y a pas d'affaire %s."},
	"deal.conflict":             {"%s was changed by %s at %s; reopen it to see the change.", "%s a été modifiée par %s à %s ; rouvrez-la pour voir la modification."},

	// Stages.
	"stage.needs":            {"%s needs %s.", "%s exige : %s."},
	"stage.unknown":          {"'%s' is not a stage; the stages are %s.", "« %s » n'est pas une étape ; les étapes sont %s."},
	"stages.empty":           {"at least one stage is needed", "il faut au moins une étape"},
	"stages.unnamed":         {"a stage has no name", "une étape n'a pas de nom"},
	"stages.duplicate":       {"stage %s is listed twice", "l'étape %s figure deux fois"},
	"stages.bad_probability": {"stage %s: probability %d is not between 0 and 100", "étape %s : la probabilité %d n'est pas entre 0 et 100"},
	"stages.bad_category":    {"stage %s: '%s' is not a forecast category", "étape %s : « %s » n'est pas une catégorie de prévision"},
	"stages.bad_field":       {"stage %s: '%s' is not a field a stage can require (need, decision_makers, budget, timeline, risk, next_step)", "étape %s : « %s » n'est pas un champ exigible (need, decision_makers, budget, timeline, risk, next_step)"},
}
