package i18n

// This file holds the deal desk's messages (domain/desk). Keys start with
// "desk."; arguments that are desk.Users, desk.Moment or desk.Percent render
// themselves in the locale.

func init() {
	for k, v := range deskMessages {
		catalog[k] = v
	}
}

var deskMessages = map[string]msg{
	// Words and labels.
	"desk.nobody":              {"nobody", "personne"},
	"desk.or":                  {" or ", " ou "},
	"desk.moment":              {"%s, %s", "%s à %s"},
	"desk.field.discount":      {"Discount (%)", "Remise (%)"},
	"desk.field.justification": {"Justification", "Justification"},
	"desk.field.competitor":    {"Competitor", "Concurrent"},
	"desk.field.terms":         {"Non-standard terms", "Conditions non standard"},
	"desk.field.other_terms":   {"Other terms", "Autres conditions"},
	"desk.field.plan":          {"Mutual action plan", "Plan d'action commun"},
	"field.plan":               {"Mutual action plan", "Plan d'action commun"},
	"desk.field.comment":       {"Comment", "Commentaire"},
	"desk.term.payment_terms":  {"Payment terms over 60 days", "Délai de paiement au-delà de 60 jours"},
	"desk.term.custom_sla":     {"Custom SLA", "SLA sur mesure"},
	"desk.term.extended_trial": {"Extended trial", "Essai prolongé"},
	"desk.term.other":          {"Other", "Autre"},
	"desk.side.ours":           {"Ours", "Nous"},
	"desk.side.customer":       {"Customer", "Client"},
	"desk.too_long":            {"%s is too long: keep it under %d characters.", "%s est trop long : %d caractères au plus."},
	"desk.percent":             {"Discount: '%s' is not a percentage; try 12.5 or 12.5%%", "Remise : « %s » n'est pas un pourcentage ; essayez 12,5 ou 12,5 %%"},
	"desk.percent_empty":       {"Discount: enter a percentage such as 12.5", "Remise : saisissez un pourcentage, par exemple 12,5"},
	"desk.percent_decimals":    {"Discount: '%s' has more than two decimals; try 12.25", "Remise : « %s » a plus de deux décimales ; essayez 12,25"},
	"desk.percent_range":       {"Discount: '%s' is not between 0 and 100%%", "Remise : « %s » n'est pas entre 0 et 100 %%"},
	"desk.bad_verdict":         {"'%s' is not a decision; use approve, reject or changes.", "« %s » n'est pas une décision ; utilisez approuver, refuser ou modifier."},

	// The request form.
	"desk.discount_zero":          {"Discount: enter a discount above 0%.", "Remise : saisissez une remise supérieure à 0 %."},
	"desk.discount_too_big":       {"Discount: %s is more than 100%%.", "Remise : %s dépasse 100 %%."},
	"desk.justification_required": {"Say why this discount is needed.", "Indiquez pourquoi cette remise est nécessaire."},
	"desk.no_amount":              {"%s has no amount to discount; set its amount first.", "%s n'a pas de montant à remiser ; renseignez d'abord son montant."},
	"desk.unknown_term":           {"'%s' is not a non-standard term; the terms are payment terms, custom SLA, extended trial and other.", "« %s » n'est pas une condition non standard ; les conditions sont délai de paiement, SLA sur mesure, essai prolongé et autre."},
	"desk.other_terms_required":   {"Describe the other terms you ask for.", "Décrivez les autres conditions demandées."},
	"desk.other_terms_unticked":   {"Tick Other to ask for these terms, or clear the text.", "Cochez Autre pour demander ces conditions, ou effacez le texte."},
	"desk.plan_required":          {"A discount above %s needs a mutual action plan: add one with /deal plan %s first.", "Une remise au-delà de %s exige un plan d'action commun : ajoutez-en un avec /deal plan %s d'abord."},
	"desk.no_manager":             {"You are in no team, so no manager can approve this discount; ask your admin to add you to a team.", "Vous n'êtes dans aucune équipe : aucun manager ne peut approuver cette remise. Demandez à votre admin de vous ajouter à une équipe."},
	"desk.no_distinct_approver":   {"Step %d (%s) can only be approved by %s, who must already approve an earlier step; one person never approves two steps, so this request could never be decided. Ask your admin to add someone to the role.", "L'étape %d (%s) ne peut être approuvée que par %s, qui doit déjà approuver une étape précédente ; une même personne n'approuve jamais deux étapes : cette demande ne pourrait jamais être tranchée. Demandez à votre admin d'ajouter quelqu'un au rôle."},
	"desk.no_approver":            {"No one but you can approve as %[1]s, so this request could never be decided; ask your admin to add someone to the %[1]s role.", "Personne d'autre que vous ne peut approuver en tant que %[1]s : cette demande ne pourrait jamais être tranchée. Demandez à votre admin d'ajouter quelqu'un au rôle %[1]s."},

	// Deciding.
	"desk.self_approval":      {"You cannot approve your own request, even as %s; %s can.", "Vous ne pouvez pas approuver votre propre demande, même en tant que %s ; %s le peut."},
	"desk.self_decision":      {"You cannot decide on your own request; %s can. To drop it, withdraw it.", "Vous ne pouvez pas trancher votre propre demande ; %s le peut. Pour l'abandonner, retirez-la."},
	"desk.not_approver":       {"Only %[1]s can decide this request now: it waits on step %[3]d of %[4]d (%[2]s).", "Seul %[1]s peut trancher cette demande maintenant : elle attend l'étape %[3]d sur %[4]d (%[2]s)."},
	"desk.two_steps":          {"You approved step %d (%s) of this request already; one person never approves two steps, so step %d (%s) needs %s.", "Vous avez déjà approuvé l'étape %d (%s) de cette demande ; une même personne n'approuve jamais deux étapes, l'étape %d (%s) revient donc à %s."},
	"desk.not_yet":            {"It is not your turn yet: you decide step %d (%s), and the request now waits on %s (%s).", "Ce n'est pas encore votre tour : vous tranchez l'étape %d (%s), et la demande attend %s (%s)."},
	"desk.reason_required":    {"Say why you reject it: the rep needs the reason.", "Indiquez pourquoi vous refusez : le commercial a besoin du motif."},
	"desk.changes_required":   {"Say what should change.", "Indiquez ce qu'il faut modifier."},
	"desk.withdraw_not_yours": {"Only %s, who asked for it, can withdraw this request.", "Seul %s, qui l'a demandée, peut retirer cette demande."},
	"desk.revise_not_yours":   {"Only %s, who asked for it, can revise this request.", "Seul %s, qui l'a demandée, peut réviser cette demande."},
	"desk.revise_pending":     {"This request is still waiting on %s; it can be revised once changes are asked for.", "Cette demande attend encore %s ; elle pourra être révisée quand des modifications seront demandées."},

	// A request's state, answering a decision that comes too late.
	"desk.state.approved":      {"This request was already approved by %s on %s.", "Cette demande a déjà été approuvée par %s le %s."},
	"desk.state.auto_approved": {"This request needed no approval: it was approved on %s.", "Cette demande ne demandait pas d'approbation : elle a été approuvée le %s."},
	"desk.state.rejected":      {"This request was already rejected by %s on %s: %s", "Cette demande a déjà été refusée par %s le %s : %s"},
	"desk.state.changes":       {"%s already asked for changes on %s: %s. It waits on %s to revise it.", "%s a déjà demandé des modifications le %s : %s. Elle attend que %s la révise."},
	"desk.state.expired":       {"This request expired on %s without a decision.", "Cette demande a expiré le %s sans décision."},
	"desk.state.withdrawn":     {"This request was withdrawn by %s on %s.", "Cette demande a été retirée par %s le %s."},
	"desk.state.step_done":     {"Step %d (%s) was already approved by %s on %s; the request now waits on %s (%s).", "L'étape %d (%s) a déjà été approuvée par %s le %s ; la demande attend maintenant %s (%s)."},
	"desk.state.moved":         {"This request has changed since (revision %d); it now waits on %s (%s).", "Cette demande a changé depuis (révision %d) ; elle attend maintenant %s (%s)."},

	// Mutual action plans.
	"desk.plan_too_many":      {"A plan holds at most %[2]d milestones, and this one has %[1]s; keep the ones that lead to signature.", "Un plan compte au plus %[2]d jalons, et celui-ci en a %[1]s ; gardez ceux qui mènent à la signature."},
	"desk.milestone_what":     {"Milestone %d: say what is to be done.", "Jalon %d : indiquez ce qui doit être fait."},
	"desk.milestone_too_long": {"Milestone %d is too long: keep it under %d characters.", "Le jalon %d est trop long : %d caractères au plus."},
	"desk.milestone_side":     {"Milestone %d: say whose side it is on, ours or the customer's.", "Jalon %d : indiquez de quel côté il est, le nôtre ou celui du client."},
	"desk.milestone_due":      {"Milestone %d: give it a due date.", "Jalon %d : donnez-lui une échéance."},

	// Policy from config (deal_desk); paths such as deal_desk.bands[1].up_to.
	"desk.policy.no_bands":        {"deal_desk.bands: at least one band is needed, and the last goes up to 100", "deal_desk.bands : il faut au moins une tranche, et la dernière va jusqu'à 100"},
	"desk.policy.band_range":      {"%s: %d is not a percentage between 1 and 100", "%s : %d n'est pas un pourcentage entre 1 et 100"},
	"desk.policy.band_order":      {"%s: bands overlap: %d is not above the previous band's %d", "%s : les tranches se chevauchent : %d n'est pas au-dessus du %d de la tranche précédente"},
	"desk.policy.last_band":       {"%s: the last band must go up to 100, not %d, so that every discount has a band", "%s : la dernière tranche doit aller jusqu'à 100, pas %d, pour que toute remise ait une tranche"},
	"desk.policy.unknown_role":    {"%s: unknown role '%s'; the roles are %s (define others under deal_desk.roles)", "%s : rôle inconnu « %s » ; les rôles sont %s (définissez-en d'autres sous deal_desk.roles)"},
	"desk.policy.duplicate_role":  {"%s: role %s is listed twice", "%s : le rôle %s figure deux fois"},
	"desk.policy.manager_builtin": {"deal_desk.roles.manager: manager is built in: it is each rep's team manager", "deal_desk.roles.manager : manager est prédéfini : c'est le manager de l'équipe de chaque commercial"},
	"desk.policy.unnamed_role":    {"deal_desk.roles: a role has no name", "deal_desk.roles : un rôle n'a pas de nom"},
	"desk.policy.empty_role":      {"%s: the role needs at least one user", "%s : le rôle doit avoir au moins un utilisateur"},
	"desk.policy.unknown_term":    {"%s: unknown term; the terms are payment_terms, custom_sla, extended_trial and other", "%s : condition inconnue ; les conditions sont payment_terms, custom_sla, extended_trial et other"},
	"desk.policy.expire_range":    {"deal_desk.expire_after_days: %d is not between 1 and %d", "deal_desk.expire_after_days : %d n'est pas entre 1 et %d"},
	"desk.policy.plan_range":      {"deal_desk.require_plan_above: %d is not between 0 and 100", "deal_desk.require_plan_above : %d n'est pas entre 0 et 100"},
}
