package i18n

// catalog holds every user-facing message. Keys are grouped by the package
// or feature that uses them; formats use fmt verbs, and arguments that
// implement Localizer (fields, dates, amounts) are rendered in the locale first.
var catalog = map[string]msg{
	"error.internal": {"Something went wrong on our side. Please try again.",
		"Une erreur s'est produite de notre côté. Réessayez."},
	"error.ref": {"Something went wrong on our side (ref %s). Please try again; if it keeps happening, quote the ref to your admin.",
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

	// Conversation (bot/).
	"raw":                     {"%s", "%s"},
	"help.intro":              {"Here is what I can do for you:", "Voici ce que je peux faire pour vous :"},
	"help.deal.new":           {"create a deal (opens a form)", "créer une affaire (ouvre un formulaire)"},
	"help.deal.list":          {"list your open deals", "lister vos affaires ouvertes"},
	"help.deal.help":          {"show this help", "afficher cette aide"},
	"help.coming_soon":        {"%s is not available yet. Type /deal help to see what works today.", "%s n'est pas encore disponible. Tapez /deal help pour voir ce qui marche aujourd'hui."},
	"deal.unknown_user":       {"You are not in any team of dealpilot's configuration; ask your admin to add you.", "Vous n'êtes dans aucune équipe de la configuration de dealpilot ; demandez à votre admin de vous ajouter."},
	"deal.close_date_past":    {"The close date %s is in the past.", "La date de signature %s est passée."},
	"deal.created":            {"Created %s: %s (%s, %s), closing %s.", "Affaire %s créée : %s (%s, %s), signature le %s."},
	"form.new_deal.title":     {"New deal", "Nouvelle affaire"},
	"form.new_deal.submit":    {"Create", "Créer"},
	"form.cancel":             {"Cancel", "Annuler"},
	"form.amount.placeholder": {"e.g. 48k or 48000", "ex. 48k ou 48 000"},
	"form.category.hint":      {"Leave empty to use the stage's category.", "Laissez vide pour prendre la catégorie de l'étape."},
	"list.mine":               {"Your open deals (%d)", "Vos affaires ouvertes (%d)"},
	"list.mine_empty":         {"You have no open deal. Create one with /deal new.", "Vous n'avez aucune affaire ouverte. Créez-en une avec /deal new."},
	"list.due":                {"next: %s, due %s", "prochaine étape : %s, pour le %s"},
	"help.unknown_command":    {"%s is not a dealpilot command.", "%s n'est pas une commande de dealpilot."},
	"form.open_failed":        {"Sorry, Slack did not open the form in time. Please run the command again.", "Désolé, Slack n'a pas ouvert le formulaire à temps. Relancez la commande."},
	"list.more":               {"…and %d more. Narrow the list with /deal list [stage or category].", "…et %d de plus. Affinez avec /deal list [étape ou catégorie]."},
	"list.closing":            {"closing %s", "signature %s"},

	// Parsing what users type (domain/parse.go).
	"parse.amount":           {"Amount: '%s' is not an amount; try 12000 or 12k", "Montant : « %s » n'est pas un montant ; essayez 12000 ou 12k"},
	"parse.amount_empty":     {"Amount: enter an amount such as 12000 or 12k", "Montant : saisissez un montant, par exemple 12000 ou 12k"},
	"parse.amount_negative":  {"Amount: '%s' is negative; enter an amount above zero", "Montant : « %s » est négatif ; saisissez un montant supérieur à zéro"},
	"parse.amount_too_big":   {"Amount: '%s' is too large to be a real deal", "Montant : « %s » est trop élevé pour une vraie affaire"},
	"parse.amount_decimals":  {"Amount: '%s' has more decimals than %s allows", "Montant : « %s » a plus de décimales que %s n'en permet"},
	"parse.amount_currency":  {"Amount: '%s' is in another currency; amounts here are in %s", "Montant : « %s » est dans une autre devise ; les montants sont ici en %s"},
	"parse.amount_ambiguous": {"Amount: '%s' can be read two ways; write it without thousands separators, e.g. 1500 or 1.5k", "Montant : « %s » peut se lire de deux façons ; écrivez-le sans séparateur de milliers, par exemple 1500 ou 1,5k"},
	"parse.date":             {"Date: '%s' is not a date; try 2026-12-15, tomorrow, fri or in 2 weeks", "Date : « %s » n'est pas une date ; essayez 15/12/2026, demain, vendredi ou dans 2 semaines"},
	"parse.date_field":       {"%s: '%s' is not a date; try 2026-12-15, tomorrow, fri or in 2 weeks", "%s : « %s » n'est pas une date ; essayez 15/12/2026, demain, vendredi ou dans 2 semaines"},
}
