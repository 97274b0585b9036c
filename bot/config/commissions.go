package config

import (
	"fmt"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/dealpilot/dealpilot/domain"
	"github.com/dealpilot/dealpilot/domain/commission"
	"github.com/dealpilot/dealpilot/domain/forecast"
)

// Commission is a compensation plan (commissions:) for a rep (User) or
// every seller of a team (Team), exactly one of the two, over a period.
type Commission struct {
	User domain.UserID
	Team string // the team's name as teams spells it
	// Period is month, quarter or year (the plan's period, over which
	// attainment counts, every fiscal one of that kind) or one period's
	// canonical name ("2026-Q4"), which wins over the kind for its months.
	Period string
	Plan   commission.Plan
}

// CommissionFor returns the plan that pays user for the month holding day
// and the plan period it counts attainment over: the user's own before their
// team's, a named period before a kind. ok is false when none applies.
func (c *Config) CommissionFor(user domain.UserID, day domain.Date) (plan *Commission, period forecast.Period, ok bool) {
	cal := forecast.Calendar{FiscalYearStart: c.FiscalYearStart, Location: c.Location}
	var team string
	if t, member := c.TeamOf(user); member {
		team = t.Name
	} else if ts := c.TeamsManagedBy(user); len(ts) > 0 && ts[0].ManagerSells {
		team = ts[0].Name
	}
	for _, whose := range []func(*Commission) bool{
		func(p *Commission) bool { return p.User == user },
		func(p *Commission) bool { return p.Team != "" && p.Team == team },
	} {
		var generic *Commission
		for i := range c.Commissions {
			p := &c.Commissions[i]
			if !whose(p) {
				continue
			}
			switch p.Period {
			case PeriodMonth, PeriodQuarter, PeriodYear:
				generic = p
			default:
				if named, err := cal.ParsePeriod(p.Period); err == nil && named.Contains(day) {
					return p, named, true
				}
			}
		}
		if generic != nil {
			k := map[string]forecast.Kind{PeriodMonth: forecast.Month, PeriodQuarter: forecast.Quarter, PeriodYear: forecast.Year}[generic.Period]
			return generic, cal.Period(k, day), true
		}
	}
	return nil, forecast.Period{}, false
}

var commissionKeys = []string{"user", "team", "period", "name", "rate", "tiers", "mode", "true_up", "decelerator",
	"accelerators", "cap", "type_rates", "spiffs", "draw", "clawback"}

func (d *decoder) commissions(n *yaml.Node, path string, cfg *Config) []Commission {
	var out []Commission
	cal := forecast.Calendar{FiscalYearStart: cfg.FiscalYearStart, Location: cfg.Location}
	type key struct {
		user domain.UserID
		team string
	}
	generic := map[key]string{}          // whose → the kind of their generic plan
	named := map[key][]forecast.Period{} // whose → their named periods
	for i, item := range d.list(n, path) {
		p := index(path, i)
		f, ok := d.entry(item, p, commissionKeys...)
		if !ok || !d.required(f, item, p, "period") {
			continue
		}
		c := Commission{}
		c.User, c.Team = d.whose(cfg, item, f, p, "plan", "every seller of a team")
		var span forecast.Period
		if period, ok := d.str(f["period"], join(p, "period")); ok {
			switch period {
			case PeriodMonth, PeriodQuarter, PeriodYear:
				c.Period = period
			default:
				if np, err := cal.ParsePeriod(period); err == nil {
					c.Period, span = np.Name, np
				} else {
					d.errorf(f["period"], join(p, "period"), "%q is not a period; use month, quarter or year (the plan's period, over which attainment counts), or name one such as 2026-Q4, 2026-11 or FY2026", period)
				}
			}
		}
		who := key{c.User, c.Team}
		whose := string(c.User)
		if c.Team != "" {
			whose = "team " + c.Team
		}
		if whose != "" && c.Period != "" {
			if span.IsZero() {
				if k, dup := generic[who]; dup {
					d.errorf(f["period"], join(p, "period"), "%s already has a plan for every %s; one plan applies unless a named period says otherwise", whose, k)
				}
				generic[who] = c.Period
			} else {
				for _, o := range named[who] {
					if o.Start.Before(span.End) && span.Start.Before(o.End) {
						d.errorf(f["period"], join(p, "period"), "%s already has a plan for %s, which overlaps %s", whose, o.Name, span.Name)
					}
				}
				named[who] = append(named[who], span)
			}
		}
		d.plan(f, item, p, cfg, &c.Plan)
		out = append(out, c)
	}
	return out
}

// plan reads a plan's rules into pl, then holds it to commission's own
// rules (Validate), reported at the entry's line.
func (d *decoder) plan(f map[string]*yaml.Node, item *yaml.Node, p string, cfg *Config, pl *commission.Plan) {
	errs := len(d.errs)
	money := func(n *yaml.Node, path string, lo int64) (int64, bool) { return d.money(n, path, lo, cfg) }
	if n := f["name"]; n != nil {
		pl.Name, _ = d.str(n, join(p, "name"))
	}
	switch {
	case f["rate"] != nil && f["tiers"] != nil:
		d.errorf(f["rate"], join(p, "rate"), "a plan has one rate: or tiers:, not both")
	case f["rate"] != nil:
		pl.Rate, _ = d.percent(f["rate"], join(p, "rate"), 0, 1000)
	case f["tiers"] != nil:
		tp := join(p, "tiers")
		items := d.list(f["tiers"], tp)
		if f["tiers"].Kind == yaml.SequenceNode && len(items) == 0 {
			d.errorf(f["tiers"], tp, "list at least one tier")
		}
		prev := 0
		for j, tn := range items {
			ip := index(tp, j)
			tf, ok := d.entry(tn, ip, "up_to", "rate")
			if !ok || !d.required(tf, tn, ip, "rate") {
				continue
			}
			var t commission.Tier
			t.Rate, _ = d.percent(tf["rate"], join(ip, "rate"), 0, 1000)
			last := j == len(items)-1
			switch {
			case last && tf["up_to"] != nil:
				d.errorf(tf["up_to"], join(ip, "up_to"), "the last tier has no up_to: it pays everything above the tier before")
			case !last && tf["up_to"] == nil:
				d.errorf(tn, join(ip, "up_to"), "missing; every tier but the last says how far it goes (%% of quota)")
			case !last:
				if v, ok := d.percent(tf["up_to"], join(ip, "up_to"), 0, 10000); ok {
					if v <= prev {
						d.errorf(tf["up_to"], join(ip, "up_to"), "tiers overlap: %s is not above the tier before's %s", tf["up_to"].Value, bpText(prev))
					}
					t.UpTo, prev = v, v
				}
			}
			pl.Tiers = append(pl.Tiers, t)
		}
	default:
		d.errorf(item, p, "say what the plan pays with rate: (one rate, %%) or tiers: (rates by attainment)")
	}
	if n := f["mode"]; n != nil {
		if s, ok := d.str(n, join(p, "mode")); ok {
			switch m := commission.Mode(s); m {
			case commission.Marginal, commission.Retroactive:
				pl.Mode = m
			default:
				d.errorf(n, join(p, "mode"), "%q is not a mode; use marginal (each tier pays its own band) or retroactive (the tier reached pays on everything)", s)
			}
		}
	}
	if n := f["true_up"]; n != nil {
		pl.TrueUp, _ = d.boolean(n, join(p, "true_up"))
	}
	if n := f["decelerator"]; n != nil {
		dp := join(p, "decelerator")
		df, ok := d.entry(n, dp, "below", "factor")
		if ok && d.required(df, n, dp, "below", "factor") {
			fa := &commission.Factor{}
			fa.At, _ = d.percent(df["below"], join(dp, "below"), 1, 10000)
			if v, ok := d.factor(df["factor"], join(dp, "factor")); ok {
				if v >= commission.Unit {
					d.errorf(df["factor"], join(dp, "factor"), "a decelerator's factor is below 1 (0.5 halves the rate)")
				}
				fa.Factor = v
			}
			pl.Decelerator = fa
		}
	}
	if n := f["accelerators"]; n != nil {
		ap := join(p, "accelerators")
		prev := 0
		for j, an := range d.list(n, ap) {
			ip := index(ap, j)
			af, ok := d.entry(an, ip, "above", "factor")
			if !ok || !d.required(af, an, ip, "above", "factor") {
				continue
			}
			var a commission.Factor
			if v, ok := d.percent(af["above"], join(ip, "above"), 1, 10000); ok {
				if v <= prev {
					d.errorf(af["above"], join(ip, "above"), "accelerators overlap: %s is not above the one before's %s", af["above"].Value, bpText(prev))
				}
				a.At, prev = v, v
			}
			if v, ok := d.factor(af["factor"], join(ip, "factor")); ok {
				if v <= commission.Unit {
					d.errorf(af["factor"], join(ip, "factor"), "an accelerator's factor is above 1 (1.5 pays half as much again)")
				}
				a.Factor = v
			}
			pl.Accelerators = append(pl.Accelerators, a)
		}
	}
	if n := f["cap"]; n != nil {
		cp := join(p, "cap")
		cf := d.fields(n, cp, "payout", "attainment")
		switch {
		case cf["payout"] != nil && cf["attainment"] != nil:
			d.errorf(cf["attainment"], join(cp, "attainment"), "a cap is on payout or on attainment, not both")
		case cf["payout"] != nil:
			pl.CapPayout, _ = money(cf["payout"], join(cp, "payout"), 1)
		case cf["attainment"] != nil:
			pl.CapAttainment, _ = d.percent(cf["attainment"], join(cp, "attainment"), 1, 10000)
		case n.Kind == yaml.MappingNode || isNull(n):
			d.errorf(n, cp, "say payout: (an amount) or attainment: (%% of quota)")
		}
	}
	if n := f["type_rates"]; n != nil {
		tp := join(p, "type_rates")
		keys := make([]string, len(commission.DealTypes))
		for j, t := range commission.DealTypes {
			keys[j] = string(t)
		}
		tf := d.fields(n, tp, keys...)
		for _, t := range commission.DealTypes {
			if v := tf[string(t)]; v != nil {
				if r, ok := d.percent(v, join(tp, string(t)), 0, 1000); ok {
					if pl.TypeRates == nil {
						pl.TypeRates = map[commission.DealType]int{}
					}
					pl.TypeRates[t] = r
				}
			}
		}
	}
	if n := f["spiffs"]; n != nil {
		sp := join(p, "spiffs")
		names := map[string]bool{}
		for j, sn := range d.list(n, sp) {
			ip := index(sp, j)
			sf, ok := d.entry(sn, ip, "name", "amount", "type", "min_amount")
			if !ok || !d.required(sf, sn, ip, "name", "amount") {
				continue
			}
			var s commission.Spiff
			if v, ok := d.str(sf["name"], join(ip, "name")); ok {
				s.Name = strings.TrimSpace(v)
				switch k := strings.ToLower(s.Name); {
				case k == "":
					d.errorf(sf["name"], join(ip, "name"), "a SPIFF needs a name")
				case names[k]:
					d.errorf(sf["name"], join(ip, "name"), "SPIFF %q is listed twice", v)
				}
				names[strings.ToLower(s.Name)] = true
			}
			s.Amount, _ = money(sf["amount"], join(ip, "amount"), 1)
			if tn := sf["type"]; tn != nil {
				s.Type, _ = d.dealType(tn, join(ip, "type"))
			}
			if mn := sf["min_amount"]; mn != nil {
				s.MinAmount, _ = money(mn, join(ip, "min_amount"), 0)
			}
			pl.Spiffs = append(pl.Spiffs, s)
		}
	}
	if n := f["draw"]; n != nil {
		dp := join(p, "draw")
		df, ok := d.entry(n, dp, "amount", "recoverable")
		if ok && d.required(df, n, dp, "amount", "recoverable") {
			pl.Draw.Amount, _ = money(df["amount"], join(dp, "amount"), 1)
			pl.Draw.Recoverable, _ = d.boolean(df["recoverable"], join(dp, "recoverable"))
		}
	}
	if n := f["clawback"]; n != nil {
		cp := join(p, "clawback")
		cf := d.fields(n, cp, "days", "recovery")
		if v := cf["days"]; v != nil {
			pl.Clawback.Days, _ = d.integer(v, join(cp, "days"), 1, 3660)
		}
		if v := cf["recovery"]; v != nil {
			if s, ok := d.str(v, join(cp, "recovery")); ok {
				switch r := commission.Recovery(s); r {
				case commission.Full, commission.ProRata:
					pl.Clawback.Recovery = r
				default:
					d.errorf(v, join(cp, "recovery"), "%q is not a recovery; use full (all the deal paid) or pro_rata (the share of the contract not served)", s)
				}
			}
		}
	}
	if len(d.errs) == errs {
		if err := pl.Validate(); err != nil {
			d.errorf(item, p, "%v", err)
		}
	}
}

func (d *decoder) dealType(n *yaml.Node, path string) (commission.DealType, bool) {
	s, ok := d.str(n, path)
	if !ok {
		return "", false
	}
	for _, t := range commission.DealTypes {
		if string(t) == s {
			return t, true
		}
	}
	d.errorf(n, path, "%q is not a deal type; use new, expansion or renewal", s)
	return "", false
}

// money reads a whole amount of the company currency, at least lo, as
// minor units.
func (d *decoder) money(n *yaml.Node, path string, lo int64, cfg *Config) (int64, bool) {
	scale := int64(1)
	for range domain.CurrencyOf(cfg.Currency).Exponent {
		scale *= 10
	}
	v, ok := d.integer(n, path, int(lo), int(domain.MaxAmountMinor/scale))
	return int64(v) * scale, ok
}

// percent reads a percentage with at most two decimals (2.5, 7, 0.75) as
// basis points, from lo to hi per cent.
func (d *decoder) percent(n *yaml.Node, path string, lo, hi int) (int, bool) {
	v, ok := d.decimal(n, path, 2, "a percentage such as 5 or 2.5")
	if !ok {
		return 0, false
	}
	if v < int64(lo)*100 || v > int64(hi)*100 {
		d.errorf(n, path, "%s is not from %d to %d (%%)", n.Value, lo, hi)
		return 0, false
	}
	return int(v), true
}

// factor reads a multiplier with at most four decimals (1.5, 0.5) as basis
// points of the rate, above 0 and at most 10.
func (d *decoder) factor(n *yaml.Node, path string) (int, bool) {
	v, ok := d.decimal(n, path, 4, "a factor such as 1.5 or 0.5")
	if !ok {
		return 0, false
	}
	if v <= 0 || v > 10*commission.Unit {
		d.errorf(n, path, "%s is not above 0 and at most 10", n.Value)
		return 0, false
	}
	return int(v), true
}

// decimal reads a non-negative number with at most places decimals as an
// integer scaled by 10^places (basis points for percentages, places 2, and
// factors, places 4): read from the text, never through a float.
func (d *decoder) decimal(n *yaml.Node, path string, places int, want string) (int64, bool) {
	bad := func() (int64, bool) {
		d.errorf(n, path, "want %s, not %s", want, describe(n))
		return 0, false
	}
	switch {
	case isNull(n):
		d.errorf(n, path, "missing value")
		return 0, false
	case n.Kind != yaml.ScalarNode || n.ShortTag() != "!!int" && n.ShortTag() != "!!float":
		return bad()
	}
	whole, frac, _ := strings.Cut(n.Value, ".")
	if len(frac) > places {
		d.errorf(n, path, "%s has more than %d decimals", n.Value, places)
		return 0, false
	}
	if whole == "" || len(whole) > 9 || strings.Trim(whole, "0123456789") != "" || strings.Trim(frac, "0123456789") != "" {
		return bad()
	}
	w, _ := strconv.ParseInt(whole, 10, 64)
	f, _ := strconv.ParseInt((frac + "0000")[:places], 10, 64)
	unit := int64(1)
	for range places {
		unit *= 10
	}
	return w*unit + f, true
}

// bpText writes basis points as the percentage config reads.
func bpText(bp int) string {
	s := strconv.Itoa(bp / 100)
	if r := bp % 100; r != 0 {
		s += strings.TrimRight(fmt.Sprintf(".%02d", r), "0")
	}
	return s
}
