package bot

// Segments (issue 21): the attributes a deal carries (the configuration's
// segments:), set by /deal set and the deal forms, shown on the deal card
// with the open deal's fit to the ICP (icp:); /pipeline segments, the KPIs
// by value of one attribute. The rules are domain/segment's; the quarterly
// ICP review is icp_review.go.

import (
	"context"
	"errors"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/dealpilot/dealpilot/domain"
	"github.com/dealpilot/dealpilot/domain/coaching"
	"github.com/dealpilot/dealpilot/domain/forecast"
	"github.com/dealpilot/dealpilot/domain/retention"
	"github.com/dealpilot/dealpilot/domain/segment"
)

// clearWord is what /deal set takes as a value to clear an attribute.
const clearWord = "-"

// CardSegments is what a deal card shows of its segments: each configured
// attribute's value (then those of attributes no longer configured, by
// name), and for an open deal, when an ICP is configured, its fit. Zero
// when there are no segments: the card shows nothing more.
type CardSegments struct {
	Attrs []AttrValue
	Fit   *segment.Score
}

// AttrValue is one attribute of a deal and its value ("" not set).
type AttrValue struct {
	Field domain.Field
	Value string
}

// Lines are the card's segment lines: the attributes, then the fit.
func (s CardSegments) Lines() []Msg {
	var out []Msg
	for _, a := range s.Attrs {
		v := any(a.Value)
		if a.Value == "" {
			v = M("segment.not_set")
		}
		out = append(out, M("segment.card.attr", a.Field, v))
	}
	if f := s.Fit; f != nil {
		out = append(out, M("segment.card.fit", domain.Percent(f.BP()), f.Matched, f.Total))
		if len(f.Against) > 0 {
			out = append(out, M("segment.card.against", attrList(f.Against)))
		}
		if len(f.Missing) > 0 {
			out = append(out, M("segment.card.missing", attrList(f.Missing)))
		}
	}
	return out
}

// attrList is attribute names as fields, for a message.
func attrList(names []string) domain.FieldList {
	out := make(domain.FieldList, len(names))
	for i, n := range names {
		out[i] = domain.AttrField(n)
	}
	return out
}

// cardSegments is d's CardSegments under the configuration.
func (b *Bot) cardSegments(d *domain.Deal) CardSegments {
	var out CardSegments
	for _, a := range b.cfg.Segments {
		out.Attrs = append(out.Attrs, AttrValue{Field: domain.AttrField(a.Name), Value: d.Attributes.Get(a.Name)})
	}
	var gone []string
	for _, n := range d.Attributes.Names() {
		if _, ok := b.cfg.Segments.Attr(n); !ok {
			gone = append(gone, n)
		}
	}
	slices.Sort(gone)
	for _, n := range gone {
		out.Attrs = append(out.Attrs, AttrValue{Field: domain.AttrField(n), Value: d.Attributes.Get(n)})
	}
	if len(b.cfg.ICP) > 0 && d.Status == domain.Open {
		s := b.cfg.ICP.Score(d.Attributes)
		out.Fit = &s
	}
	return out
}

// dealSet is /deal set D-12 <attribute> <value>: one segment attribute of
// the deal, the value as configured ("-" clears it). An unknown attribute
// or value is refused with what is allowed.
func (b *Bot) dealSet(ctx context.Context, c Caller, args string) (Reply, error) {
	schema := b.cfg.Segments
	if len(schema) == 0 {
		return nil, domain.Errorf(domain.EINVALID, "segment.none")
	}
	usage := domain.Errorf(domain.EINVALID, "segment.set_usage", strings.Join(schema.Names(), ", "))
	tokens := strings.Fields(args)
	if len(tokens) < 2 {
		return nil, usage
	}
	isAttr := func(rest string) bool {
		w, _ := SplitFirst(rest)
		_, ok := schema.Attr(w)
		return ok
	}
	// The attribute is checked before any deal is looked up, so that a
	// typo is named as such rather than as a deal no word matches.
	if _, isRef := domain.ParseRef(tokens[0]); isRef && !isAttr(tokens[1]) {
		return nil, domain.Errorf(domain.EINVALID, "segment.unknown_attribute", tokens[1], strings.Join(schema.Names(), ", "))
	} else if !isRef && !slices.ContainsFunc(tokens[1:], isAttr) {
		return nil, usage
	}
	d, rest, cands, err := b.findThen(ctx, c, args, scopeEditable, isAttr)
	if err != nil || cands != nil {
		return cands, err
	}
	word, value := SplitFirst(rest)
	if a, ok := schema.Attr(word); ok && value == "" {
		return nil, domain.FieldErrorf(domain.AttrField(a.Name), "segment.value_missing", domain.AttrField(a.Name), strings.Join(a.Values, ", "))
	}
	if value == clearWord {
		value = ""
	}
	name, val, err := schema.Resolve(word, value)
	if err != nil {
		return nil, err
	}
	reply, err := b.change(ctx, c, d, 0, func(x *domain.Deal) error { x.SetAttr(name, val); return nil })
	if err != nil {
		return nil, err
	}
	b.rememberAttrs(ctx, d.Account, map[string]string{name: val})
	return reply, nil
}

// rememberAttrs keeps the values of attrs that are set for an account (the
// store's accounts, AccountStore), so that its next deals start with them;
// a value cleared on one deal is not forgotten for the account: its other
// deals may hold it. It runs once the deal is saved, in a transaction of
// its own: a failure here loses nothing of the deal's, only the default.
func (b *Bot) rememberAttrs(ctx context.Context, account string, attrs map[string]string) {
	set := map[string]string{}
	for k, v := range attrs {
		if v != "" {
			set[k] = v
		}
	}
	if strings.TrimSpace(account) == "" || len(set) == 0 {
		return
	}
	_, _ = b.store.UpdateAccount(ctx, account, func(a *domain.Account) error {
		if a.Attributes == nil {
			a.Attributes = map[string]string{}
		}
		for k, v := range set {
			a.Attributes[k] = v
		}
		return nil
	})
}

// --- forms ---------------------------------------------------------------------

// attrRules are the configuration's segments as the forms' rules.
func (b *Bot) attrRules() []domain.AttrRule {
	out := make([]domain.AttrRule, len(b.cfg.Segments))
	for i, a := range b.cfg.Segments {
		out[i] = domain.AttrRule{Name: a.Name, Values: a.Values}
	}
	return out
}

// attrInputs are a form's segment selects, one per configured attribute,
// optional, "not set" first: each starts at the deal's value (attrs), else
// the value remembered for account, when still allowed.
func (b *Bot) attrInputs(ctx context.Context, account string, attrs domain.Attrs) []Input {
	if len(b.cfg.Segments) == 0 {
		return nil
	}
	remembered := b.accountAttrs(ctx, account)
	var out []Input
	for _, a := range b.cfg.Segments {
		opts := []Option{{Value: domain.ClearAttr, Label: M("segment.not_set")}}
		for _, v := range a.Values {
			opts = append(opts, Option{Value: v, Label: M("raw", v)})
		}
		initial := attrs.Get(a.Name)
		if initial == "" {
			initial = remembered[a.Name]
		}
		if v, ok := a.Value(initial); ok {
			initial = v
		} else {
			initial = ""
		}
		out = append(out, Input{Field: domain.AttrField(a.Name), Kind: SelectInput, Label: M("raw", domain.AttrField(a.Name)),
			Optional: true, Initial: initial, Options: opts})
	}
	return out
}

// accountAttrs are the values remembered for account; nil when none (or
// the account cannot be read: the form then starts blank).
func (b *Bot) accountAttrs(ctx context.Context, account string) map[string]string {
	if strings.TrimSpace(account) == "" {
		return nil
	}
	a, ok, err := b.store.Account(ctx, account)
	if err != nil || !ok {
		return nil
	}
	return a.Attributes
}

// accountDefaults fills the segment selects a new-deal form left blank with
// the values remembered for its account.
func (b *Bot) accountDefaults(ctx context.Context, v Values) Values {
	remembered := b.accountAttrs(ctx, v[domain.FieldAccount])
	if len(remembered) == 0 {
		return v
	}
	out := make(Values, len(v))
	for k, x := range v {
		out[k] = x
	}
	for _, a := range b.cfg.Segments {
		f := domain.AttrField(a.Name)
		if strings.TrimSpace(out[f]) == "" && remembered[a.Name] != "" {
			out[f] = remembered[a.Name]
		}
	}
	return out
}

// rememberDealAttrs keeps, for the account of the deal a reply shows, the
// deal's segment values.
func (b *Bot) rememberDealAttrs(ctx context.Context, r Reply) {
	if w, ok := r.(WithPosts); ok {
		r = w.Reply
	}
	if c, ok := r.(Card); ok && c.Deal != nil {
		attrs := map[string]string{}
		for _, a := range b.cfg.Segments {
			attrs[a.Name] = c.Deal.Attributes.Get(a.Name)
		}
		b.rememberAttrs(ctx, c.Deal.Account, attrs)
	}
}

// --- /pipeline segments ------------------------------------------------------

// SegmentsReport is /pipeline segments' answer: the KPIs by value of one
// attribute over a period, fit against the others.
type SegmentsReport struct {
	Scope    Msg
	Currency string
	Table    segment.Table
	MinDeals int
	HasICP   bool
	// Skipped counts the deals of the scope left out for their currency.
	Skipped int
}

func (SegmentsReport) isReply() {}

// segmentThresholds are the evidence rules of the figures and the review
// (the configuration's icp: min_deals and stop_pct).
func (b *Bot) segmentThresholds() segment.Thresholds { return b.cfg.Evidence }

// pipelineSegments is /pipeline segments [attribute] [@user | team] [period]:
// the scope and visibility of /pipeline (a rep their own, a manager the
// team, an admin everyone), the first attribute and the last 90 days by
// default.
func (b *Bot) pipelineSegments(ctx context.Context, c Caller, args string) (Reply, error) {
	schema := b.cfg.Segments
	if _, err := b.sight(c.User).Filter(); err != nil {
		return nil, err
	}
	if len(schema) == 0 {
		return nil, domain.Errorf(domain.EINVALID, "segment.none")
	}
	attr := schema[0].Name
	var rest []string
	for _, tok := range strings.Fields(args) {
		if a, ok := schema.Attr(tok); ok {
			attr = a.Name
			continue
		}
		rest = append(rest, tok)
	}
	sc, err := b.pipelineScope(c, strings.Join(rest, " "))
	if err != nil {
		var e *domain.Error
		if errors.As(err, &e) && e.Key == "pipeline.usage" && len(e.Args) > 0 {
			return nil, domain.Errorf(domain.EINVALID, "segment.usage", e.Args[0], strings.Join(schema.Names(), ", "), forecast.PeriodForms)
		}
		return nil, err
	}
	return b.segmentsReport(ctx, sc, attr, b.clock.Now())
}

// SegmentsReportFor is /pipeline segments for `dealpilot report segments`:
// a team's (everyone's when team is empty) KPIs by attr over period at now.
func (b *Bot) SegmentsReportFor(ctx context.Context, team, attr string, period coaching.Period, now time.Time) (SegmentsReport, error) {
	sc := pipelineScope{period: period, label: M("pipeline.scope.all")}
	if team != "" {
		t, ok := b.teamNamed(team)
		if !ok {
			return SegmentsReport{}, domain.Errorf(domain.ENOTFOUND, "raw", "no team "+team)
		}
		sc.members, sc.label = t.Sellers(), M("pipeline.scope.team", t.Name)
	}
	if attr == "" && len(b.cfg.Segments) > 0 {
		attr = b.cfg.Segments[0].Name
	}
	if a, ok := b.cfg.Segments.Attr(attr); ok {
		attr = a.Name
	} else {
		return SegmentsReport{}, domain.Errorf(domain.EINVALID, "segment.unknown_attribute", attr, strings.Join(b.cfg.Segments.Names(), ", "))
	}
	return b.segmentsReport(ctx, sc, attr, now)
}

// segmentsReport counts the scope's deals a part at a time (the store's
// parts, kept between calls: pipeline_parts.go), those in another currency
// left out, and merges the parts into the table; the accounts (their
// events and remembered values) are read again only when written since.
func (b *Bot) segmentsReport(ctx context.Context, sc pipelineScope, attr string, now time.Time) (SegmentsReport, error) {
	th := b.segmentThresholds()
	out := SegmentsReport{Scope: sc.label, Currency: b.cfg.Currency, MinDeals: th.MinDeals, HasICP: len(b.cfg.ICP) > 0}
	// A person's figures are their own deals'; a team's its sellers'.
	owners := sc.members
	if sc.user != "" {
		owners = []domain.UserID{sc.user}
	}
	s := b.CoachSettings()
	in := coaching.Input{Settings: s}
	ps, ok := b.store.(PartSource)
	if !ok {
		return b.segmentsWhole(ctx, sc, attr, now)
	}
	// The table's parts, and retention's (the won deals' contracts, kept
	// once for every count of the same deals), in one read: of the same
	// generations, each part decoded once.
	r := partsRecipe{kind: partsSegments, members: owners, word: sc.word, attr: attr}
	used, won := map[uint64]*countedPart{}, map[uint64]*countedPart{}
	if owners == nil || len(owners) > 0 {
		both, err := b.countPartsOf(ctx, ps, s, []partsRecipe{r, {kind: partsRetention, members: owners}}, sc.period, now, true)
		if err != nil {
			return SegmentsReport{}, err
		}
		used, won = both[0], both[1]
	}
	accounts, accountsGen, known, err := b.accountsAt(ctx)
	if err != nil {
		return SegmentsReport{}, err
	}
	// The figures counted from the same parts and accounts are kept.
	type figures struct {
		table   segment.Table
		skipped int
	}
	key, gens := b.partsKey(s, r, sc.period, now), append(gensOf(used), gensOf(won)...)
	if kept, ok := b.answers.get(key, gens, accountsGen); ok && known {
		f := kept.(figures)
		out.Table, out.Skipped = f.table, f.skipped
		return out, nil
	}
	total := b.newSegmentCount(in, attr, sc.period, now)
	for _, p := range slices.Sorted(maps.Keys(used)) {
		total.Merge(used[p].seg)
		out.Skipped += len(used[p].skipped)
	}
	for _, p := range slices.Sorted(maps.Keys(won)) {
		total.Contracts(won[p].won)
	}
	out.Table = total.Table(accounts, b.cfg.Currency)
	if known {
		b.answers.put(key, gens, accountsGen, figures{out.Table, out.Skipped})
	}
	return out, nil
}

// newSegmentCount starts a count of /pipeline segments' table of attr
// over period at now, under the configuration.
func (b *Bot) newSegmentCount(in coaching.Input, attr string, period coaching.Period, now time.Time) *segment.Count {
	return segment.NewCount(in, b.cfg.Segments, b.cfg.ICP, attr, period, now, b.segmentThresholds())
}

// segmentsWhole is segmentsReport from every deal of the scope, read whole
// with its history: for a store without parts (and the tests' measure of
// what the parts must give).
func (b *Bot) segmentsWhole(ctx context.Context, sc pipelineScope, attr string, now time.Time) (SegmentsReport, error) {
	in, skipped, err := b.coachInput(ctx, b.CoachSettings(), sc.members, nil)
	if err != nil {
		return SegmentsReport{}, err
	}
	th := b.segmentThresholds()
	out := SegmentsReport{Scope: sc.label, Currency: b.cfg.Currency, MinDeals: th.MinDeals, HasICP: len(b.cfg.ICP) > 0}
	if sc.user != "" {
		// A person's figures: their own deals (in holds their team's).
		in.Deals = slices.DeleteFunc(in.Deals, func(d coaching.DealInput) bool { return d.Deal.Owner != sc.user })
		for _, o := range skipped {
			if o == sc.user {
				out.Skipped++
			}
		}
	} else {
		out.Skipped = len(skipped)
	}
	out.Table = segment.KPIs(in, b.cfg.Segments, b.cfg.ICP, attr, sc.period, now, th)
	accounts, err := b.accountsByKey(ctx)
	if err != nil {
		return SegmentsReport{}, err
	}
	deals := make([]*domain.Deal, len(in.Deals))
	for i, di := range in.Deals {
		deals[i] = di.Deal
	}
	segment.Retain(&out.Table, b.cfg.Segments, retention.Input{Deals: deals, Accounts: accounts, Currency: b.cfg.Currency})
	return out, nil
}
