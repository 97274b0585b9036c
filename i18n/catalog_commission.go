package i18n

import (
	"strconv"
	"strings"

	"github.com/dealpilot/dealpilot/domain"
	"github.com/dealpilot/dealpilot/domain/commission"
)

// This file holds splits (/deal split) and commissions (/commission, the
// statements' lines and the reports): keys start with "split." and
// "commission.". CommissionRule writes the rule that produced a statement
// line, in one place for every transport and report.

func init() {
	for k, v := range commissionMessages {
		if _, dup := catalog[k]; dup {
			panic("i18n: message " + k + " is defined twice")
		}
		catalog[k] = v
	}
}

var commissionMessages = map[string]msg{
	"field.splits":    {"Splits", "Partage"},
	"help.deal.split": {"credit several people with a deal (managers): revenue shares sum to 100%, overlay ones come on top", "créditer plusieurs personnes d'une affaire (managers) : les parts de revenu font 100 %, les parts overlay s'ajoutent"},
	"split.usage": {"Say who is credited and how much: /deal split D-12 @alice 60 @bruno 40 [overlay @sam 10], or /deal split D-12 clear for the owner alone.",
		"Dites qui est crédité et de combien : /deal split D-12 @alice 60 @bruno 40 [overlay @sam 10], ou /deal split D-12 clear pour le responsable seul."},
	// %[1]s the person, %[2]s what was typed.
	"split.share":       {"'%[2]s' is not a share for %[1]s: write a percentage such as 60 or 33.33.", "« %[2]s » n'est pas une part pour %[1]s : écrivez un pourcentage comme 60 ou 33,33."},
	"split.twice":       {"%s is named twice; give each person one share.", "%s est nommé deux fois ; donnez une seule part à chacun."},
	"split.share_range": {"%s's share must be above 0 and at most 100%%.", "La part de %s doit être supérieure à 0 et d'au plus 100 %%."},
	"split.no_revenue":  {"Overlay splits come on top of a revenue split: credit the owner %s too.", "Les parts overlay s'ajoutent à un partage de revenu : créditez aussi le responsable %s."},
	// %[1]s the sum of the revenue splits.
	"split.sum":      {"Revenue splits must sum to 100%%, not %s (overlay splits come on top: write overlay before them).", "Les parts de revenu doivent faire 100 %%, pas %s (les parts overlay s'ajoutent : écrivez overlay avant elles)."},
	"split.owner":    {"The revenue split must credit the deal's owner %s; to credit others fully, change the owner first (/deal owner).", "Le partage de revenu doit créditer le responsable %s ; pour créditer entièrement d'autres personnes, changez d'abord le responsable (/deal owner)."},
	"split.too_many": {"At most %d people can be credited with one deal.", "Au plus %d personnes peuvent être créditées d'une affaire."},
	// %[1]s the deal, %[2]s the owner's managers.
	// %[1]s the deal, %[2]s the field, %[3]s the owner's managers.
	"deal.won_pay": {"%[1]s is won: “%[2]s” decides what it pays, so only the owner's manager (%[3]s) or an admin can change it.", "%[1]s est gagnée : « %[2]s » décide de ce qu'elle rapporte, seul le manager du responsable (%[3]s) ou un admin peut le changer."},
	// %[1]s the caller's own managers.
	"split.self":       {"These splits credit you: a change of your own pay is for your manager (%[1]s) or an admin.", "Ce partage vous crédite : un changement de votre propre rémunération revient à votre manager (%[1]s) ou à un admin."},
	"split.self_admin": {"These splits credit you: a change of your own pay is for an admin.", "Ce partage vous crédite : un changement de votre propre rémunération revient à un admin."},
	"split.forbidden":  {"Only the owner's manager (%[2]s) or an admin can split %[1]s: splits decide who is paid for it.", "Seul le manager du responsable (%[2]s) ou un admin peut partager %[1]s : le partage décide qui est payé."},
	"split.overlay":    {"overlay", "overlay"},
}

// JoinSplits writes a deal's splits, each person as person(u) writes them:
// "@alice 60%, @bruno 40%, overlay @sam 10%".
func JoinSplits(loc Locale, ss domain.SplitList, person func(domain.UserID) string) string {
	parts := make([]string, 0, len(ss))
	for _, s := range ss {
		p := person(s.User) + " " + FormatBP(loc, s.Share)
		if s.Overlay {
			p = T(loc, "split.overlay") + " " + p
		}
		parts = append(parts, p)
	}
	return strings.Join(parts, ", ")
}

// FormatFactor writes a multiplier in basis points as loc writes a decimal:
// "×1.5", "×0.5", "×2" ("×1,5" in French).
func FormatFactor(loc Locale, bp int) string {
	s := strconv.Itoa(bp / commission.Unit)
	if r := bp % commission.Unit; r != 0 {
		_, dec := separators(loc)
		s += dec + strings.TrimRight(strconv.Itoa(commission.Unit + r)[1:], "0")
	}
	return "×" + s
}

func init() {
	for k, v := range commissionLineMessages {
		if _, dup := catalog[k]; dup {
			panic("i18n: message " + k + " is defined twice")
		}
		catalog[k] = v
	}
}

var commissionLineMessages = map[string]msg{
	// Rules: %[1]s the credit the line's rate applies to, as credit() writes it.
	"commission.rule.rate":      {"%[1]s of %[2]s", "%[1]s de %[2]s"},
	"commission.rule.tier":      {"tier %[1]d: %[2]s of %[3]s", "palier %[1]d : %[2]s de %[3]s"},
	"commission.rule.factor":    {"%[1]s %[2]s", "%[1]s %[2]s"},
	"commission.rule.accel":     {"accelerator", "accélérateur"},
	"commission.rule.decel":     {"decelerator", "décélérateur"},
	"commission.rule.split":     {"%[1]s × %[2]s split", "%[1]s × part de %[2]s"},
	"commission.rule.overlay":   {"%[1]s × %[2]s overlay", "%[1]s × overlay de %[2]s"},
	"commission.rule.part":      {"%[1]s (part of %[2]s)", "%[1]s (partie de %[2]s)"},
	"commission.rule.catch_up":  {"tier %[1]d reached: %[2]s of %[3]s credited before, less %[4]s paid", "palier %[1]d atteint : %[2]s de %[3]s crédités avant, moins %[4]s payés"},
	"commission.rule.catch_up1": {"rate reached: %[2]s of %[3]s credited before, less %[4]s paid", "taux atteint : %[2]s de %[3]s crédités avant, moins %[4]s payés"},
	"commission.rule.type":      {"%[1]s rate: %[2]s of %[3]s", "taux %[1]s : %[2]s de %[3]s"},
	"commission.rule.spiff":     {"SPIFF %[1]s: %[2]s", "SPIFF %[1]s : %[2]s"},
	"commission.rule.true_up":   {"true-up: tier %[1]d's %[2]s of %[3]s credited in %[4]s, less %[5]s paid", "régularisation : %[2]s (palier %[1]d) de %[3]s crédités sur %[4]s, moins %[5]s payés"},
	"commission.rule.cap":       {"payout cap of %[1]s reached: %[2]s not paid", "plafond de %[1]s atteint : %[2]s non payés"},
	"commission.rule.over_cap":  {"above the %[1]s attainment cap: %[2]s credited, not paid", "au-delà du plafond d'atteinte de %[1]s : %[2]s crédités, non payés"},
	"commission.rule.claw_full": {"clawback: the customer left %[1]s, %[2]d days after the win (window %[3]d days): all %[4]s paid", "reprise : le client est parti le %[1]s, %[2]d jours après la signature (fenêtre de %[3]d jours) : les %[4]s payés"},
	"commission.rule.claw_term": {"clawback: the customer left %[1]s after %[2]d of %[3]d months: %[4]s × %[5]d/%[3]d not served", "reprise : le client est parti le %[1]s après %[2]d mois sur %[3]d : %[4]s × %[5]d/%[3]d non servis"},
	// %[1]s the ARR lost, %[2]s the ARR before.
	"commission.rule.claw_share": {"%[1]s of %[2]s ARR lost", "%[1]s d'ARR perdus sur %[2]s"},
	// As claw_full, claw_term, claw_days, then %[6]s (%[5]s for full) claw_share.
	"commission.rule.claw_down_full": {"clawback: the customer downgraded %[1]s, %[2]d days after the win (window %[3]d days): %[4]s paid × %[5]s", "reprise : le client a réduit son contrat le %[1]s, %[2]d jours après la signature (fenêtre de %[3]d jours) : %[4]s payés × %[5]s"},
	"commission.rule.claw_down_term": {"clawback: the customer downgraded %[1]s after %[2]d of %[3]d months: %[4]s × %[6]s × %[5]d/%[3]d not served", "reprise : le client a réduit son contrat le %[1]s après %[2]d mois sur %[3]d : %[4]s × %[6]s × %[5]d/%[3]d non servis"},
	"commission.rule.claw_down_days": {"clawback: the customer downgraded %[1]s, %[2]d days after the win: %[3]s × %[6]s × %[4]d/%[5]d days of the window left", "reprise : le client a réduit son contrat le %[1]s, %[2]d jours après la signature : %[3]s × %[6]s × %[4]d/%[5]d jours de fenêtre restants"},
	// %[1]s the deal's amount in its own currency.
	"commission.rule.other_currency": {"left out: won in %[1]s, another currency (no exchange rates): not in these figures", "écartée : gagnée en %[1]s, une autre devise (pas de taux de change) : hors de ces montants"},
	"commission.rule.claw_days":      {"clawback: the customer left %[1]s, %[2]d days after the win: %[3]s × %[4]d/%[5]d days of the window left", "reprise : le client est parti le %[1]s, %[2]d jours après la signature : %[3]s × %[4]d/%[5]d jours de fenêtre restants"},
	"commission.rule.adjust":         {"adjustment to %[1]s (closed): now %[2]s, paid %[3]s", "ajustement de %[1]s (clos) : désormais %[2]s, payé %[3]s"},
	"commission.rule.no_plan":        {"no commission plan covers this month: %[1]s credited, not paid", "aucun plan de commission ne couvre ce mois : %[1]s crédités, non payés"},
	"commission.type.new":            {"new business", "nouvelle affaire"},
	"commission.type.expansion":      {"expansion", "extension"},
	"commission.type.renewal":        {"renewal", "renouvellement"},
}

// CommissionRule writes the rule that produced a statement line, as the
// line's reader and payroll read it: "tier 2: 5% of €48,000 × 60% split".
// Amounts are minor units of currency.
func CommissionRule(loc Locale, l commission.Line, currency string) string {
	money := func(v int64) string { return FormatAmount(loc, v, currency) }
	pct := func(bp int) string { return FormatBP(loc, bp) }
	// credit is what the rate applies to, said from the deal: its amount
	// times the split, or the part of that a band holds.
	credit := func() string {
		whole := money(l.DealAmount)
		if l.Split != commission.Unit {
			key := "commission.rule.split"
			if l.Overlay {
				key = "commission.rule.overlay"
			}
			whole = T(loc, key, whole, pct(l.Split))
		}
		if l.Deal == 0 || l.Base == scaleSplit(l.DealAmount, l.Split) {
			if l.Deal == 0 {
				return money(l.Base)
			}
			return whole
		}
		return T(loc, "commission.rule.part", money(l.Base), whole)
	}
	rate := func() string {
		s := pct(l.Rate)
		if l.Factor != 0 && l.Factor != commission.Unit {
			word := "commission.rule.accel"
			if l.Factor < commission.Unit {
				word = "commission.rule.decel"
			}
			s += " " + T(loc, "commission.rule.factor", T(loc, word), FormatFactor(loc, l.Factor))
		}
		return s
	}
	switch l.Kind {
	case commission.KindTier:
		if l.Tier == 0 {
			return T(loc, "commission.rule.rate", rate(), credit())
		}
		return T(loc, "commission.rule.tier", l.Tier, rate(), credit())
	case commission.KindCatchUp:
		key := "commission.rule.catch_up"
		if l.Tier == 0 {
			key = "commission.rule.catch_up1"
		}
		return T(loc, key, l.Tier, rate(), money(l.Base), money(l.Paid))
	case commission.KindTypeRate:
		return T(loc, "commission.rule.type", T(loc, "commission.type."+string(l.Type.OrNew())), pct(l.Rate), credit())
	case commission.KindSpiff:
		v := money(l.Base)
		if l.Split != commission.Unit {
			key := "commission.rule.split"
			if l.Overlay {
				key = "commission.rule.overlay"
			}
			v = T(loc, key, v, pct(l.Split))
		}
		return T(loc, "commission.rule.spiff", l.Spiff, v)
	case commission.KindTrueUp:
		return T(loc, "commission.rule.true_up", l.Tier, rate(), money(l.Base), l.Of, money(l.Paid))
	case commission.KindCapped:
		return T(loc, "commission.rule.cap", money(l.Base), money(l.Paid))
	case commission.KindOverCap:
		return T(loc, "commission.rule.over_cap", pct(l.Rate), money(l.Base))
	case commission.KindClawback:
		day := FormatDay(loc, l.On)
		if l.Lost > 0 {
			share := T(loc, "commission.rule.claw_share", money(l.Lost), money(l.ARR))
			switch {
			case l.Recovery != commission.ProRata:
				return T(loc, "commission.rule.claw_down_full", day, l.Days, l.Window, money(l.Paid), share)
			case l.TermMonths > 0:
				return T(loc, "commission.rule.claw_down_term", day, l.Served, l.TermMonths, money(l.Paid), max(l.TermMonths-l.Served, 0), share)
			default:
				return T(loc, "commission.rule.claw_down_days", day, l.Days, money(l.Paid), l.Window-l.Days, l.Window, share)
			}
		}
		switch {
		case l.Recovery != commission.ProRata:
			return T(loc, "commission.rule.claw_full", day, l.Days, l.Window, money(l.Paid))
		case l.TermMonths > 0:
			return T(loc, "commission.rule.claw_term", day, l.Served, l.TermMonths, money(l.Paid), max(l.TermMonths-l.Served, 0))
		default:
			return T(loc, "commission.rule.claw_days", day, l.Days, money(l.Paid), l.Window-l.Days, l.Window)
		}
	case commission.KindAdjustment:
		return T(loc, "commission.rule.adjust", l.Of, money(l.Paid), money(l.Was))
	case commission.KindNoPlan:
		return T(loc, "commission.rule.no_plan", money(l.Base))
	}
	return string(l.Kind)
}

// scaleSplit is round(amount × split / 10 000) as commission credits it,
// to tell a whole deal's credit from a band's part of it.
func scaleSplit(amount int64, split int) int64 {
	return commission.Sale{Amount: amount, Split: split}.Credit()
}

func init() {
	for k, v := range commissionStatementMessages {
		if _, dup := catalog[k]; dup {
			panic("i18n: message " + k + " is defined twice")
		}
		catalog[k] = v
	}
}

var commissionStatementMessages = map[string]msg{
	"help.commission":       {"Your commission statement for a month (a manager: the team's; an admin: everyone's; @user: theirs)", "Votre relevé de commissions d'un mois (un manager : celui de l'équipe ; un admin : tous ; @utilisateur : le sien)"},
	"help.commission.close": {"Close a month (admins): its statements are frozen, later changes are paid the month after", "Clore un mois (admins) : ses relevés sont figés, les changements ultérieurs sont payés le mois suivant"},
	// %[1]s what was typed.
	// %[1]d how many, %[2]s the company's currency, %[3]s the deals and their amounts.
	"commission.other_currency": {"Left out: %[1]d deal(s) won this month in another currency than %[2]s, which statements cannot convert (no exchange rates): %[3]s.", "Écartées : %[1]d affaire(s) gagnée(s) ce mois dans une autre devise que %[2]s, que les relevés ne convertissent pas (pas de taux de change) : %[3]s."},
	// %[1]s the deal, %[2]s its name, %[3]s its currency, %[4]s the company's.
	"commission.won_other_currency": {"%[1]s %[2]s won in %[3]s: commission statements are in %[4]s and have no exchange rates, so it is not paid on yours; it is named there as left out.", "%[1]s %[2]s gagnée en %[3]s : les relevés de commissions sont en %[4]s, sans taux de change, elle n'est donc pas payée sur le vôtre ; elle y figure comme écartée."},
	"commission.month":              {"'%s' is not a month: statements are monthly. Write 2026-11, this-month or last-month.", "« %s » n'est pas un mois : les relevés sont mensuels. Écrivez 2026-11, this-month ou last-month."},
	"commission.forbidden":          {"Only %s, their manager or an admin can read their commission statement.", "Seuls %s, son manager ou un admin peuvent lire son relevé de commissions."},
	"commission.close_admins":       {"Only an admin can close a month's commissions.", "Seul un admin peut clore les commissions d'un mois."},
	"commission.close_usage":        {"Say which month to close: /commission close 2026-11", "Dites quel mois clore : /commission close 2026-11"},
	"commission.close_early":        {"%s is not over yet: a month is closed once it has ended.", "%s n'est pas encore terminé : un mois se clôt une fois fini."},
	"commission.already_closed":     {"%s is closed already: its statements stay as they were, and changes are paid in the next open month.", "%s est déjà clos : ses relevés restent tels quels, et les changements sont payés le mois ouvert suivant."},
	// %[1]s the month, %[2]d people, %[3]s what it pays.
	// %[1]s the open months, %[2]s the month just closed.
	"commission.closed_gap":           {"Still open before it, with statement lines: %[1]s. Their pay can still change while %[2]s is frozen with its draw balance: close months in order.", "Encore ouverts avant lui, avec des lignes de relevé : %[1]s. Leur paie peut encore changer alors que %[2]s est figé avec son solde d'avance : clôturez les mois dans l'ordre."},
	"commission.closed":               {"%[1]s is closed: %[2]d statements frozen, %[3]s to pay. Later changes will be paid as adjustments in the next open month.", "%[1]s est clos : %[2]d relevés figés, %[3]s à payer. Les changements ultérieurs seront payés en ajustements le mois ouvert suivant."},
	"commission.title":                {"Commission statement of %[1]s, %[2]s", "Relevé de commissions de %[1]s, %[2]s"},
	"commission.title_closed":         {"Commission statement of %[1]s, %[2]s (closed)", "Relevé de commissions de %[1]s, %[2]s (clos)"},
	"commission.summary_title":        {"Commissions, %s", "Commissions, %s"},
	"commission.summary_title_closed": {"Commissions, %s (closed)", "Commissions, %s (clos)"},
	"commission.h.statement":          {"Commission statement", "Relevé de commissions"},
	"commission.h.monday":             {"Commissions", "Commissions"},
	// %[1]s the deal's ref, %[2]s its name, %[3]s what it earned.
	"commission.won_dm": {"%[1]s %[2]s won: it earns you %[3]s.", "%[1]s %[2]s gagnée : elle vous rapporte %[3]s."},
	// %[1]s the month, %[2]s its cost so far.
	"commission.summary_cost": {"Commission cost of %[1]s so far: %[2]s", "Coût des commissions de %[1]s à ce jour : %[2]s"},
	// %[1]s the rep, %[2]s credit to go, %[3]s attainment, %[4]s the factor.
	"commission.near_accel":   {"%[1]s is %[2]s from %[3]s: accelerator %[4]s", "%[1]s est à %[2]s de %[3]s : accélérateur %[4]s"},
	"commission.near_cap_att": {"%[1]s is %[2]s from the %[3]s attainment cap", "%[1]s est à %[2]s du plafond d'atteinte de %[3]s"},
	"commission.at_cap":       {"%s has reached the attainment cap: further deals earn nothing this period", "%s a atteint le plafond d'atteinte : les affaires suivantes ne rapportent rien sur la période"},
	"commission.near_cap":     {"%[1]s has %[2]s left before the payout cap", "Il reste à %[1]s %[2]s avant le plafond de paiement"},
	"commission.h.plan":       {"Plan", "Plan"},
	"commission.h.lines":      {"Lines", "Lignes"},
	"commission.h.total":      {"Total", "Total"},
	"commission.h.next":       {"Next deal", "Prochaine affaire"},
	"commission.h.people":     {"People", "Personnes"},
	// %[1]s plan name, %[2]s plan period, %[3]s credited, %[4]s quota, %[5]s attainment.
	"commission.plan_quota": {"%[1]s, %[2]s: %[3]s credited of a %[4]s quota (%[5]s)", "%[1]s, %[2]s : %[3]s crédités sur un objectif de %[4]s (%[5]s)"},
	// %[1]s the plan period.
	"commission.no_quota": {"No quota for %[1]s: without attainment, tiers, accelerators, the decelerator and an attainment cap cannot apply; every credit is paid at the first tier's rate. Ask your manager to set a quota.", "Pas d'objectif pour %[1]s : sans atteinte, paliers, accélérateurs, décélérateur et plafond d'atteinte ne s'appliquent pas ; tout crédit est payé au taux du premier palier. Demandez un objectif à votre manager."},
	"commission.plan":     {"%[1]s, %[2]s: %[3]s credited", "%[1]s, %[2]s : %[3]s crédités"},
	"commission.no_plan":  {"No commission plan covers this month (commissions: in the configuration).", "Aucun plan de commission ne couvre ce mois (commissions: dans la configuration)."},
	// %[1]s the deal, %[2]s the rule, %[3]s the amount.
	"commission.line":        {"%[1]s · %[2]s = %[3]s", "%[1]s · %[2]s = %[3]s"},
	"commission.line_period": {"%[1]s = %[2]s", "%[1]s = %[2]s"},
	"commission.no_lines":    {"No credited deal this month.", "Aucune affaire créditée ce mois-ci."},
	"commission.earned":      {"Earned: %s", "Acquis : %s"},
	// %[1]s the draw, %[2]s what it advanced.
	"commission.draw":             {"Draw of %[1]s (non-recoverable): %[2]s advanced", "Avance garantie de %[1]s (non récupérable) : %[2]s avancés"},
	"commission.draw_recoverable": {"Draw of %[1]s (recoverable): %[2]s advanced", "Avance de %[1]s (récupérable) : %[2]s avancés"},
	"commission.recovered":        {"Owed from before: %[1]s; recovered this month: %[2]s", "Dû d'avant : %[1]s ; récupéré ce mois-ci : %[2]s"},
	"commission.pay":              {"To pay: %s", "À payer : %s"},
	"commission.owed":             {"Carried to next month, owed: %s", "Reporté au mois suivant, dû : %s"},
	// %[1]s person, %[2]s credited, %[3]s attainment, %[4]s earned, %[5]s to pay.
	"commission.summary_line_no_quota": {"%[1]s: %[2]s credited (no quota for %[3]s: tier 1 rate only), earned %[4]s, to pay %[5]s", "%[1]s : %[2]s crédités (pas d'objectif pour %[3]s : taux du palier 1 seulement), acquis %[4]s, à payer %[5]s"},
	"commission.summary_line":          {"%[1]s: %[2]s credited (%[3]s), earned %[4]s, to pay %[5]s", "%[1]s : %[2]s crédités (%[3]s), acquis %[4]s, à payer %[5]s"},
	"commission.summary_none":          {"%s: no commission plan this month", "%s : aucun plan de commission ce mois-ci"},
	"commission.summary_empty":         {"Nobody to pay: no team has sellers.", "Personne à payer : aucune équipe n'a de vendeurs."},
	"commission.cost":                  {"Commission cost of the month: %s", "Coût des commissions du mois : %s"},
	"commission.summary_hint":          {"A person's lines: /commission @user %s", "Les lignes d'une personne : /commission @utilisateur %s"},
	// Next deal. %[1]s the rate now.
	"commission.next.rate":        {"The next deal pays %[1]s of its credit.", "La prochaine affaire paie %[1]s de son crédit."},
	"commission.next.tier":        {"The next deal pays %[1]s of its credit (tier %[2]d).", "La prochaine affaire paie %[1]s de son crédit (palier %[2]d)."},
	"commission.next.to_tier":     {"%[1]s more reaches %[2]s: tier %[3]d at %[4]s.", "%[1]s de plus atteint %[2]s : palier %[3]d à %[4]s."},
	"commission.next.to_accel":    {"%[1]s more reaches %[2]s: accelerator %[3]s.", "%[1]s de plus atteint %[2]s : accélérateur %[3]s."},
	"commission.next.to_decel":    {"%[1]s more reaches %[2]s: the decelerator ends, %[3]s.", "%[1]s de plus atteint %[2]s : fin du décélérateur, %[3]s."},
	"commission.next.to_cap":      {"%[1]s more reaches the %[2]s attainment cap: nothing above it is paid.", "%[1]s de plus atteint le plafond d'atteinte de %[2]s : rien n'est payé au-delà."},
	"commission.next.cap_reached": {"The %s attainment cap is reached: further deals earn nothing this period.", "Le plafond d'atteinte de %s est atteint : les affaires suivantes ne rapportent rien sur la période."},
	"commission.next.cap_left":    {"%s left before the payout cap.", "%s restants avant le plafond de paiement."},
	"commission.next.types":       {"%[1]s: %[2]s.", "%[1]s : %[2]s."},
}

// CommissionNext says what the next deal pays at the current tier and how
// far the next change is: "The next deal pays 5% of its credit (tier 2).
// €10,000 more reaches 100%: accelerator ×1.5."
func CommissionNext(loc Locale, n commission.Next, currency string) string {
	money := func(v int64) string { return FormatAmount(loc, v, currency) }
	rate := func(r, f int) string {
		s := FormatBP(loc, r)
		if f != 0 && f != commission.Unit {
			s += " " + FormatFactor(loc, f)
		}
		return s
	}
	var parts []string
	if n.What == commission.ChangeCap && n.ToNext == 0 {
		parts = append(parts, T(loc, "commission.next.cap_reached", FormatBP(loc, n.At)))
	} else {
		if n.Tier > 0 {
			parts = append(parts, T(loc, "commission.next.tier", rate(n.Rate, n.Factor), n.Tier))
		} else {
			parts = append(parts, T(loc, "commission.next.rate", rate(n.Rate, n.Factor)))
		}
		switch n.What {
		case commission.ChangeTier:
			parts = append(parts, T(loc, "commission.next.to_tier", money(n.ToNext), FormatBP(loc, n.At), n.NextTier, rate(n.NextRate, n.NextFactor)))
		case commission.ChangeAccelerator:
			parts = append(parts, T(loc, "commission.next.to_accel", money(n.ToNext), FormatBP(loc, n.At), FormatFactor(loc, n.NextFactor)))
		case commission.ChangeDecelerator:
			parts = append(parts, T(loc, "commission.next.to_decel", money(n.ToNext), FormatBP(loc, n.At), rate(n.NextRate, n.NextFactor)))
		case commission.ChangeCap:
			parts = append(parts, T(loc, "commission.next.to_cap", money(n.ToNext), FormatBP(loc, n.At)))
		}
	}
	for _, t := range commission.DealTypes {
		if r, ok := n.TypeRates[t]; ok {
			parts = append(parts, T(loc, "commission.next.types", T(loc, "commission.type."+string(t)), FormatBP(loc, r)))
		}
	}
	if n.CapLeft >= 0 {
		parts = append(parts, T(loc, "commission.next.cap_left", money(n.CapLeft)))
	}
	return strings.Join(parts, " ")
}
