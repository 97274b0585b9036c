package i18n

// This file holds segments and the ideal customer profile (issue 21:
// domain/segment, bot/segment.go): /deal set, the deal card's attributes
// and fit, /pipeline segments and the quarterly ICP review. Keys start
// with "segment.", "icp." or "review.". An attribute's name reads as the
// configuration writes it (FieldName); values are the configuration's
// words, the same in every locale.

func init() {
	for k, v := range segmentMessages {
		if _, dup := catalog[k]; dup {
			panic("i18n: message " + k + " is defined twice")
		}
		catalog[k] = v
	}
}

var segmentMessages = map[string]msg{
	// An import's row whose attribute column holds a value segments: lacks
	// (crm's problem: "crm." as the other import problems).
	"crm.attribute.unknown": {
		"unknown %s %q: the values of %s are %s (segments: in the configuration)",
		"%s inconnu « %s » : les valeurs de %s sont %s (segments: dans la configuration)",
	},
	"segment.none": {
		"No segments are configured: an admin adds segments: to dealpilot.yaml (dealpilot config example shows how).",
		"Aucun segment n'est configuré : un admin ajoute segments: à dealpilot.yaml (dealpilot config example montre comment).",
	},
	"segment.unknown_attribute": {
		"There is no attribute %s. The attributes are: %s.",
		"Il n'y a pas d'attribut %s. Les attributs sont : %s.",
	},
	"segment.unknown_value": {
		"%s is not a value of %s. Its values are: %s.",
		"%s n'est pas une valeur de %s. Ses valeurs sont : %s.",
	},
	"segment.set_usage": {
		"Write /deal set D-12 <attribute> <value> (- as the value clears it). The attributes are: %s.",
		"Écrivez /deal set D-12 <attribut> <valeur> (- comme valeur l'efface). Les attributs sont : %s.",
	},
	"segment.not_set": {"not set", "non renseigné"},
	"segment.value_missing": {
		"Write the value of %s after it: %s (- clears it).",
		"Écrivez la valeur de %s après lui : %s (- l'efface).",
	},
	"segment.card.attr": {"%s: %s", "%s : %s"},
	"deal.too_many_attributes": {
		"A deal holds at most %d attributes.",
		"Une affaire a au plus %d attributs.",
	},
	"deal.bad_attribute": {
		"The attribute %s cannot be saved: its name or value is not allowed.",
		"L'attribut %s ne peut pas être enregistré : son nom ou sa valeur n'est pas permis.",
	},
	"segment.card.fit": {
		"ICP fit %s (%d of %d)",
		"Adéquation au PCI %s (%d sur %d)",
	},
	"segment.card.against": {"not in the ICP: %s", "hors PCI : %s"},
	"segment.card.missing": {"not set: %s", "non renseigné : %s"},

	// /pipeline segments
	"segment.title":        {"Segments by %s · %s", "Segments par %s · %s"},
	"segment.title_header": {"Segments", "Segments"},
	"segment.period":       {"Deals closed %s – %s; pipeline now.", "Affaires conclues du %s au %s ; pipeline à ce jour."},
	"segment.usage": {
		"%s is not an attribute, a person, a team or a period. Write /pipeline segments [attribute] [period]; the attributes are: %s; periods: %s.",
		"%s n'est ni un attribut, ni une personne, ni une équipe, ni une période. Écrivez /pipeline segments [attribut] [période] ; les attributs sont : %s ; périodes : %s.",
	},
	"segment.col.value":     {"Value", "Valeur"},
	"segment.col.closed":    {"Won / lost", "Gagnées / perdues"},
	"segment.col.open":      {"Open", "En cours"},
	"segment.col.retention": {"GRR / NRR", "GRR / NRR"},
	"segment.col.win_rate":  {"Win rate", "Taux de gain"},
	"segment.col.avg_won":   {"Avg won (net)", "Gain moyen (net)"},
	"segment.col.cycle":     {"Cycle (days)", "Cycle (jours)"},
	"segment.col.pipeline":  {"Pipeline", "Pipeline"},
	"segment.col.weighted":  {"Weighted", "Pondéré"},
	"segment.col.discount":  {"Discount", "Remise"},
	"segment.col.losses":    {"Loss rate by stage", "Taux de perte par étape"},
	"segment.rows_left": {
		"%d more values left out: a Slack table holds %d rows; dealpilot report segments --attribute %s lists them all.",
		"%d valeurs de plus non affichées : un tableau Slack tient %d lignes ; dealpilot report segments --attribute %s les liste toutes.",
	},
	"segment.rows_left_card": {
		"%d more values left out to keep the card within what Teams shows; dealpilot report segments --attribute %s lists them all.",
		"%d valeurs de plus non affichées pour que Teams affiche la carte ; dealpilot report segments --attribute %s les liste toutes.",
	},
	"segment.total":    {"All deals", "Toutes les affaires"},
	"segment.too_few":  {"too few deals", "trop peu d'affaires"},
	"segment.unlisted": {"%s (no longer configured)", "%s (plus configurée)"},
	"segment.fit": {
		"Fit deals win %s in %s days; others %s in %s days.",
		"Les affaires dans le PCI se gagnent à %s en %s jours ; les autres à %s en %s jours.",
	},
	"segment.fit.side_too_few": {"%s (too few deals)", "%s (trop peu d'affaires)"},
	"segment.fit.unknown": {
		"%d closed deals not scored: an ICP attribute not set.",
		"%d affaires conclues non évaluées : un attribut du PCI non renseigné.",
	},
	"segment.rule": {
		"Win rate = won ÷ (won + lost) of the deals closed in the period; average won and pipeline net of approved discounts; cycle = median days from creation to win; weighted = Σ net × stage probability; open = open deals in the pipeline (omitted ones left out); GRR / NRR = recurring revenue kept over the period without / with expansion by the value's accounts (the value remembered on the account, else its last won deal's), – when none had any at the start; fewer than %d closed deals: too few to say anything.",
		"Taux de gain = gagnées ÷ (gagnées + perdues) des affaires conclues sur la période ; gain moyen et pipeline nets des remises approuvées ; cycle = médiane des jours de la création au gain ; pondéré = Σ net × probabilité de l'étape ; en cours = affaires ouvertes du pipeline (hors omises) ; GRR / NRR = revenu récurrent conservé sur la période sans / avec expansion par les comptes de la valeur (la valeur retenue pour le compte, sinon celle de sa dernière affaire gagnée), – quand aucun n'en avait au début ; moins de %d affaires conclues : trop peu pour conclure.",
	},
	"help.pipeline.segments": {
		"KPIs by segment value (win rate, average won, cycle, pipeline, losses by stage), fit against the ICP",
		"Indicateurs par valeur de segment (taux de gain, gain moyen, cycle, pipeline, pertes par étape), adéquation au PCI",
	},
	"help.deal.set": {
		"set one of the deal's segment attributes (industry, size band… as configured)",
		"renseigner un attribut de segment de l'affaire (secteur, taille… selon la configuration)",
	},

	// The quarterly ICP review
	"review.title": {"Quarterly ICP review · %s · %s", "Revue trimestrielle du PCI · %s · %s"},
	"review.intro": {
		"Win rate and cycle by segment in %s against the four quarters before (%s – %s). Fit deals (the ICP now) won %s of %d closed in %s days.",
		"Taux de gain et cycle par segment en %s comparés aux quatre trimestres précédents (%s – %s). Les affaires dans le PCI actuel ont été gagnées à %s sur %d conclues, en %s jours.",
	},
	"review.none": {
		"No change to propose: no segment has enough evidence (at least %d closed deals in the quarter).",
		"Aucun changement à proposer : aucun segment n'a assez d'éléments (au moins %d affaires conclues dans le trimestre).",
	},
	"review.add": {
		"Add %s: %s to the ICP. It won %s of %d closed deals in %s (cycle %s days), above the fit deals' %s; the four quarters before: %s of %d.",
		"Ajouter %s : %s au PCI. Gagnées à %s sur %d affaires conclues en %s (cycle %s jours), au-dessus des %s des affaires dans le PCI ; les quatre trimestres précédents : %s sur %d.",
	},
	"review.remove": {
		"Remove %s: %s from the ICP: it stopped winning. It won %s of %d closed deals in %s (cycle %s days), against %s of %d (cycle %s days) in the four quarters before.",
		"Retirer %s : %s du PCI : elle ne gagne plus. Gagnées à %s sur %d affaires conclues en %s (cycle %s jours), contre %s sur %d (cycle %s jours) les quatre trimestres précédents.",
	},
	"review.quarters":  {"By quarter:", "Par trimestre :"},
	"review.quarter":   {"%s %s of %d", "%s %s sur %d"},
	"review.accept":    {"Accept", "Accepter"},
	"review.dismiss":   {"Dismiss", "Écarter"},
	"review.pending":   {"Waiting for a decision.", "En attente d'une décision."},
	"review.accepted":  {"Accepted by %s on %s.", "Acceptée par %s le %s."},
	"review.dismissed": {"Dismissed by %s on %s.", "Écartée par %s le %s."},
	"review.change_line": {
		"The configuration is the admin's: in the configuration file, line %d, change %s: [%s] to %s: [%s].",
		"La configuration appartient à l'admin : dans le fichier de configuration, ligne %d, remplacez %s: [%s] par %s: [%s].",
	},
	"review.change_key": {
		"The configuration is the admin's: in the configuration file, under icp:, write %s: [%s].",
		"La configuration appartient à l'admin : dans le fichier de configuration, sous icp:, écrivez %s: [%s].",
	},
	"review.change_drop": {
		"The configuration is the admin's: in the configuration file, line %d, remove %s: from icp: (no value of it would be left).",
		"La configuration appartient à l'admin : dans le fichier de configuration, ligne %d, retirez %s: de icp: (il ne lui resterait aucune valeur).",
	},
	"review.decided": {
		"Proposal %s: %s",
		"Proposition %s : %s",
	},
	"review.already": {
		"This proposal was already decided: %s",
		"Cette proposition est déjà décidée : %s",
	},
	"review.already_decided": {
		"This proposal was already %s by %s on %s.",
		"Cette proposition a déjà été %s par %s le %s.",
	},
	"review.decision.accepted":  {"accepted", "acceptée"},
	"review.decision.dismissed": {"dismissed", "écartée"},
	"review.unknown":            {"This review is no longer kept.", "Cette revue n'est plus conservée."},
	"review.forbidden":          {"Only the team's manager or an admin decides the ICP review.", "Seul le manager de l'équipe ou un admin décide de la revue du PCI."},
	"review.last": {
		"Last quarter's decisions (%s):",
		"Décisions du trimestre dernier (%s) :",
	},
	"review.last.applied":     {"%s — now in the configuration", "%s — désormais dans la configuration"},
	"review.last.not_applied": {"%s — not in the configuration yet", "%s — pas encore dans la configuration"},
	"review.last.dismissed":   {"%s — dismissed", "%s — écartée"},
	"review.last.pending":     {"%s — never decided", "%s — jamais décidée"},
	"review.short.add":        {"add %s: %s", "ajouter %s : %s"},
	"review.short.remove":     {"remove %s: %s", "retirer %s : %s"},
}
