package i18n

// This file holds the messages of the deal desk's conversation (bot/desk.go
// and its Slack rendering): the request form, the request message and its
// thread, the DMs, /deal plan and /deal approvals. Keys start with
// "deskbot."; the rules' own messages are in catalog_desk.go.

func init() {
	for k, v := range deskBotMessages {
		if _, dup := catalog[k]; dup {
			panic("i18n: message " + k + " is defined twice")
		}
		catalog[k] = v
	}
}

var deskBotMessages = map[string]msg{
	"field.discount": {"Discount", "Remise"},

	"deskbot.help.discount":    {"ask for a discount or non-standard terms (the deal desk approves)", "demander une remise ou des conditions non standard (validées par le deal desk)"},
	"deskbot.help.plan":        {"edit the deal's mutual action plan", "modifier le plan d'action commun de l'affaire"},
	"deskbot.help.withdraw":    {"withdraw your discount request on the deal", "retirer votre demande de remise sur l'affaire"},
	"deskbot.form_other_deal":  {"This form does not belong to a request on %s. Open it again with /deal discount %[1]s.", "Ce formulaire ne correspond à aucune demande sur %s. Rouvrez-le avec /deal discount %[1]s."},
	"deskbot.withdraw_usage":   {"Say which deal: /deal withdraw D-12", "Indiquez l'affaire : /deal withdraw D-12"},
	"deskbot.withdraw_none":    {"%s has no discount request of yours to withdraw.", "%s n'a pas de demande de remise de votre part à retirer."},
	"deskbot.withdrawn":        {"Request #%d on %s (%s) is withdrawn.", "La demande n°%d sur %s (%s) est retirée."},
	"deskbot.thread.withdrawn": {"%s withdrew the request (%s). Nothing is left to decide.", "%s a retiré la demande (%s). Il n'y a plus rien à trancher."},
	"deskbot.dm.withdrawn":     {"Request #%d (%s on %s %s) was withdrawn by %s: nothing is left to decide.", "La demande n°%d (%s sur %s %s) a été retirée par %s : il n'y a plus rien à trancher."},
	"deskbot.help.approvals":   {"the discount requests waiting on you", "les demandes de remise qui vous attendent"},

	"deskbot.discount_usage":  {"Say which deal: /deal discount D-12 [15%%]", "Indiquez l'affaire : /deal discount D-12 [15 %%]"},
	"deskbot.deal_closed":     {"%s is %s: discounts are asked on open deals.", "%s est %s : les remises se demandent sur des affaires ouvertes."},
	"deskbot.already_pending": {"%s already has discount request #%d (%s) waiting on %s; it must be decided before another one is made.", "%s a déjà la demande de remise n°%d (%s) qui attend %s ; elle doit être tranchée avant d'en faire une autre."},
	"deskbot.not_found":       {"There is no such discount request.", "Cette demande de remise n'existe pas."},
	"deskbot.changed":         {"This request changed while you were looking at it; look at it again.", "Cette demande a changé pendant que vous la regardiez ; regardez-la à nouveau."},
	"deskbot.bad_button":      {"This button is broken; find the request with /deal approvals.", "Ce bouton ne fonctionne pas ; retrouvez la demande avec /deal approvals."},

	// The request form.
	"deskbot.form.title":                {"Discount on %s", "Remise sur %s"},
	"deskbot.form.title_revise":         {"Revise discount %s", "Réviser la remise %s"},
	"deskbot.form.submit":               {"Send request", "Envoyer"},
	"deskbot.form.discount_placeholder": {"e.g. 12.5", "par ex. 12,5"},
	"deskbot.form.other_hint":           {"Describe the terms when you tick Other.", "Décrivez les conditions si vous cochez Autre."},
	"deskbot.form.list":                 {"%s %s · list amount %s", "%s %s · montant catalogue %s"},
	"deskbot.form.net":                  {"At %s: net amount %s (the discount costs %s)", "À %s : montant net %s (la remise coûte %s)"},
	"deskbot.form.chain":                {"Approvals needed, in order: %s", "Approbations nécessaires, dans l'ordre : %s"},
	"deskbot.form.no_approval":          {"No approval needed: it will be approved at once.", "Aucune approbation nécessaire : elle sera approuvée aussitôt."},
	"deskbot.form.plan_needed":          {"Above %s a mutual action plan is required: add one with /deal plan %s before sending.", "Au-delà de %s, un plan d'action commun est exigé : ajoutez-en un avec /deal plan %s avant d'envoyer."},
	"deskbot.form.check":                {"Check the figures and the approvals, then send.", "Vérifiez les montants et les approbations, puis envoyez."},
	"deskbot.form.band":                 {"Above %s up to %s: %s", "Au-delà de %s jusqu'à %s : %s"},
	"deskbot.form.band_free":            {"no approval", "sans approbation"},
	"deskbot.form.preview_next":         {"Type the discount: its net amount and the approvals it needs show here as you type.", "Saisissez la remise : son montant net et les approbations nécessaires s'affichent ici pendant la saisie."},
	"deskbot.form.changed":              {"The figures changed after the preview was shown: check them below, then send again.", "Les montants ont changé après l'aperçu : vérifiez-les ci-dessous, puis envoyez à nouveau."},
	"deskbot.form.confirm":              {"Nothing was sent yet: check the figures below, then send again.", "Rien n'est encore envoyé : vérifiez les montants ci-dessous, puis envoyez à nouveau."},
	"deskbot.form.changes_asked":        {"%s asked for changes: %s", "%s a demandé des modifications : %s"},
	"deskbot.chain_step":                {"%s (%s)", "%s (%s)"},
	"deskbot.chain.1":                   {"%s", "%s"},
	"deskbot.chain.2":                   {"%s → %s", "%s → %s"},
	"deskbot.chain.3":                   {"%s → %s → %s", "%s → %s → %s"},
	"deskbot.chain.4":                   {"%s → %s → %s → %s", "%s → %s → %s → %s"},
	"deskbot.chain.5":                   {"%s → %s → %s → %s → %s", "%s → %s → %s → %s → %s"},
	"deskbot.chain.6":                   {"%s → %s → %s → %s → %s → %s", "%s → %s → %s → %s → %s → %s"},
	"deskbot.chain.6_more":              {"%s → %s → %s → %s → %s → %s → …", "%s → %s → %s → %s → %s → %s → …"},

	// Confirmations to the rep.
	"deskbot.sent":         {"Request #%[1]d for a %[3]s discount on %[2]s is recorded; I'm sending it to the deal desk, where it waits on %[4]s (%[5]s).", "La demande n°%[1]d d'une remise de %[3]s sur %[2]s est enregistrée ; je l'envoie au deal desk, où elle attend %[4]s (%[5]s)."},
	"deskbot.sent.auto":    {"Request #%[1]d: a %[3]s discount on %[2]s needs no approval. It is approved and recorded on the deal (net %[4]s).", "Demande n°%[1]d : une remise de %[3]s sur %[2]s ne demande pas d'approbation. Elle est approuvée et enregistrée sur l'affaire (net %[4]s)."},
	"deskbot.sent.revised": {"Request #%[1]d on %[2]s is revised (revision %[3]d); it waits on %[4]s (%[5]s).", "La demande n°%[1]d sur %[2]s est révisée (révision %[3]d) ; elle attend %[4]s (%[5]s)."},

	// Deciding.
	"deskbot.decided.approve":       {"You approved request #%d.", "Vous avez approuvé la demande n°%d."},
	"deskbot.decided.reject":        {"You rejected request #%d.", "Vous avez refusé la demande n°%d."},
	"deskbot.decided.changes":       {"You asked for changes to request #%d.", "Vous avez demandé des modifications à la demande n°%d."},
	"deskbot.comment.title_reject":  {"Reject #%d", "Refuser n°%d"},
	"deskbot.comment.title_changes": {"Changes to #%d", "Modifier n°%d"},
	"deskbot.comment.reason":        {"Why do you reject it?", "Pourquoi la refusez-vous ?"},
	"deskbot.comment.changes":       {"What should change?", "Que faut-il modifier ?"},
	"deskbot.comment.submit":        {"Send", "Envoyer"},
	"deskbot.comment_suffix":        {": %s", " : %s"},

	// The request message.
	"deskbot.msg.title":         {"%s · %s\n%s", "%s · %s\n%s"}, // deskbot.msg.title.request · deal\n account
	"deskbot.msg.title.request": {"Discount request #%d", "Demande de remise n°%d"},
	"deskbot.msg.fallback":      {"Discount request #%d on %s: %s. %s", "Demande de remise n°%d sur %s : %s. %s"},
	"deskbot.msg.list":          {"List amount", "Montant catalogue"},
	"deskbot.msg.discount":      {"Discount", "Remise"},
	"deskbot.msg.net":           {"Net amount", "Montant net"},
	"deskbot.msg.cost":          {"Cost", "Coût"},
	"deskbot.msg.requester":     {"Requested by", "Demandée par"},
	"deskbot.msg.chain":         {"Approvals", "Approbations"},
	"deskbot.msg.revision":      {"revision %d", "révision %d"},
	"deskbot.reply.not_taken":   {"Not taken as a decision: it reads as a question or a sentence. To decide, start your reply with the word, alone or followed by a comment (approve [comment], reject <reason>, changes <what>), or use the buttons.", "Pas pris comme une décision : cela se lit comme une question ou une phrase. Pour trancher, commencez votre réponse par le mot, seul ou suivi d'un commentaire (approuver [commentaire], refuser <motif>, modifier <quoi>), ou utilisez les boutons."},
	"deskbot.msg.howto":         {"Decide with the buttons, or reply in this thread: approve [comment], reject <reason>, changes <what>.", "Tranchez avec les boutons, ou répondez dans ce fil : approuver [commentaire], refuser <motif>, modifier <quoi>."},
	// The same two, where a reply in the thread reaches the bot only when it
	// mentions the bot (Teams, whose apps do not ask to read every channel
	// message): %[1]s is the bot's mention as the reader types it.
	"deskbot.reply.not_taken_mention": {"Not taken as a decision: it reads as a question or a sentence. To decide, start your reply with %[1]s and the word, alone or followed by a comment (%[1]s approve [comment], %[1]s reject <reason>, %[1]s changes <what>), or use the buttons.", "Pas pris comme une décision : cela se lit comme une question ou une phrase. Pour trancher, commencez votre réponse par %[1]s et le mot, seul ou suivi d'un commentaire (%[1]s approuver [commentaire], %[1]s refuser <motif>, %[1]s modifier <quoi>), ou utilisez les boutons."},
	"deskbot.msg.howto_mention":       {"Decide with the buttons, or reply to %[1]s in this thread: %[1]s approve [comment], %[1]s reject <reason>, %[1]s changes <what>.", "Tranchez avec les boutons, ou répondez à %[1]s dans ce fil : %[1]s approuver [commentaire], %[1]s refuser <motif>, %[1]s modifier <quoi>."},
	"deskbot.button.approve":          {"Approve", "Approuver"},
	"deskbot.button.reject":           {"Reject", "Refuser"},
	"deskbot.button.changes":          {"Request changes", "Demander des modifications"},

	"deskbot.status.pending":       {"%s (%s): %s · expires %s", "%s (%s) : %s · expire le %s"},
	"deskbot.status.approved":      {"%s by %s, %s", "%s par %s, le %s"},
	"deskbot.status.auto_approved": {"%s: no approval needed (%s)", "%s : aucune approbation nécessaire (%s)"},
	"deskbot.status.rejected":      {"%s by %s, %s", "%s par %s, le %s"},
	"deskbot.status.changes":       {"%s by %s, %s; waiting on %s to revise it", "%s par %s, le %s ; attend que %s la révise"},
	"deskbot.status.expired":       {"%s %s without a decision", "%s le %s sans décision"},
	"deskbot.status.withdrawn":     {"%s by %s, %s", "%s par %s, le %s"},
	// The first %s of each status line is its title, below, set apart by the transport.
	"deskbot.status.pending.title":       {"Waiting on step %d of %d", "En attente de l'étape %d sur %d"},
	"deskbot.status.approved.title":      {"Approved", "Approuvée"},
	"deskbot.status.auto_approved.title": {"Approved at once", "Approuvée aussitôt"},
	"deskbot.status.rejected.title":      {"Rejected", "Refusée"},
	"deskbot.status.changes.title":       {"Changes requested", "Modifications demandées"},
	"deskbot.status.expired.title":       {"Expired", "Expirée"},
	"deskbot.status.withdrawn.title":     {"Withdrawn", "Retirée"},
	"deskbot.step.approve":               {"approved by %s, %s", "approuvée par %s, le %s"},
	"deskbot.step.reject":                {"rejected by %s, %s", "refusée par %s, le %s"},
	"deskbot.step.changes":               {"changes asked by %s, %s", "modifications demandées par %s, le %s"},
	"deskbot.step.waiting":               {"waiting", "en attente"},
	"deskbot.step.expired":               {"expired", "expirée"},
	"deskbot.step.later":                 {"next", "ensuite"},
	"deskbot.step.none":                  {"None: approved at once.", "Aucune : approuvée aussitôt."},

	// The request's thread.
	"deskbot.thread.step_approved":     {"%s approved step %d of %d as %s%s. Now waiting on %s (%s), step %d of %d.", "%s a approuvé l'étape %d sur %d en tant que %s%s. En attente de %s (%s), étape %d sur %d."},
	"deskbot.thread.approved":          {"%s approved step %d of %d as %s%s. The %s discount is approved: every step is done.", "%s a approuvé l'étape %d sur %d en tant que %s%s. La remise de %s est approuvée : toutes les étapes sont faites."},
	"deskbot.thread.rejected":          {"%s rejected the request at step %d of %d (%s): %s. The request is closed.", "%s a refusé la demande à l'étape %d sur %d (%s) : %s. La demande est close."},
	"deskbot.thread.changes":           {"%s asks for changes at step %d of %d (%s): %s. %s can revise it with /deal discount; the chain will start again from step 1.", "%s demande des modifications à l'étape %d sur %d (%s) : %s. %s peut la réviser avec /deal discount ; la chaîne reprendra à l'étape 1."},
	"deskbot.thread.expired":           {"No decision within %d days: the request expired. %s can make a new one.", "Pas de décision en %d jours : la demande a expiré. %s peut en faire une nouvelle."},
	"deskbot.thread.approvers_changed": {"The configuration changed: step %d (%s) is now decided by %s (was %s).", "La configuration a changé : l'étape %d (%s) revient maintenant à %s (auparavant %s)."},
	"deskbot.thread.revised":           {"%s revised the request (revision %d, %s). Now waiting on %s (%s).", "%s a révisé la demande (révision %d, %s). En attente de %s (%s)."},

	// Direct messages.
	"deskbot.dm.approved":         {"Your %s discount on %s %s was approved by %s. Net amount: %s, now recorded on the deal.", "Votre remise de %s sur %s %s a été approuvée par %s. Montant net : %s, enregistré sur l'affaire."},
	"deskbot.dm.rejected":         {"Your %s discount on %s %s was rejected by %s: %s", "Votre remise de %s sur %s %s a été refusée par %s : %s"},
	"deskbot.dm.changes":          {"%[4]s asks for changes to your %[1]s discount on %[2]s %[3]s: %[5]s. Revise it with /deal discount %[6]s.", "%[4]s demande des modifications à votre remise de %[1]s sur %[2]s %[3]s : %[5]s. Révisez-la avec /deal discount %[6]s."},
	"deskbot.dm.expired":          {"Your %s discount on %s %s expired: no decision within %d days. Ask again with /deal discount %s.", "Votre remise de %s sur %s %s a expiré : pas de décision en %d jours. Redemandez-la avec /deal discount %s."},
	"deskbot.dm.expired_approver": {"Discount request #%d (%s on %s %s, asked by %s) expired before you decided it.", "La demande de remise n°%d (%s sur %s %s, demandée par %s) a expiré avant que vous la tranchiez."},

	// The card.
	"deskbot.card.net": {"net %s after a %s discount", "net %s après une remise de %s"},

	// /deal approvals.
	"deskbot.approvals.title": {"Waiting on your approval: %d", "En attente de votre approbation : %d"},
	"deskbot.approvals.none":  {"No discount request waits on you.", "Aucune demande de remise ne vous attend."},
	"deskbot.approvals.item":  {"asked by %s · step %s · waiting since %s", "demandée par %s · étape %s · en attente depuis le %s"},
	"deskbot.approvals.open":  {"open the thread", "ouvrir le fil"},

	// Mutual action plans.
	"deskbot.plan.title":       {"Plan of %s", "Plan de %s"},
	"deskbot.plan.submit":      {"Save plan", "Enregistrer"},
	"deskbot.plan.hint":        {"One milestone per line: due date | ours or customer | what | done (optional). Example: 2026-12-01 | customer | Security review | done", "Un jalon par ligne : échéance | nous ou client | quoi | fait (facultatif). Exemple : 2026-12-01 | client | Revue sécurité | fait"},
	"deskbot.plan.placeholder": {"2026-12-01 | customer | Security review", "2026-12-01 | client | Revue sécurité"},
	"deskbot.plan.line":        {"Milestone %d: write it as date | ours or customer | what, with an optional | done.", "Jalon %d : écrivez-le date | nous ou client | quoi, avec éventuellement | fait."},
	"deskbot.plan.date":        {"Milestone %d: '%s' is not a date; write 2026-12-01.", "Jalon %d : « %s » n'est pas une date ; écrivez 2026-12-01."},
	"deskbot.plan.done":        {"Milestone %d: end the line with done, or leave it off (not '%s').", "Jalon %d : terminez la ligne par fait, ou ne mettez rien (pas « %s »)."},
	"deskbot.plan.saved":       {"Plan of %s saved: %d milestones, %d done.", "Plan de %s enregistré : %d jalons, %d faits."},
	"deskbot.plan.none":        {"No mutual action plan yet.", "Pas encore de plan d'action commun."},
	"deskbot.plan.progress":    {"%d of %d done", "%d sur %d faits"},
	"deskbot.plan.more":        {"…and %d more", "…et %d de plus"},
}
