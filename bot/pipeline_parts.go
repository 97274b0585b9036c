package bot

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"sync"
	"time"

	"github.com/dealpilot/dealpilot/domain"
	"github.com/dealpilot/dealpilot/domain/coaching"
	"github.com/dealpilot/dealpilot/domain/forecast"
	"github.com/dealpilot/dealpilot/domain/retention"
	"github.com/dealpilot/dealpilot/domain/segment"
)

// /pipeline's figures over a team's deals, or the company's, are sums of
// what each deal adds (KPIs, slippage), but for the stall limits and the
// talks, which need every open deal and every stay, kept as they are. So
// the deals are counted a part at a time (the store's parts: 1,024
// consecutive deal ids), each part's count is kept, and a call counts
// again only the parts written since (a new generation) before merging
// them all. An admin's /pipeline at 100,000 deals reads the few parts a
// busy team changed between two calls, not 100,000 deals
// (BENCHMARKS.md). Kept counts are exact: a part's generation changes in
// every transaction that changes what it gives, and the counts depend on
// nothing else than the settings, the scope, the period and the day,
// which make the key they are kept under.
//
// /pipeline segments and /pipeline retention keep their parts the same
// way, under keys of their own: of each part, segments keeps a
// segment.Count (its table of one attribute: KPIs by value, fit, and what
// retention reads), and retention the part's won deals' contracts
// (retention.ContractOf), whatever the period. Both read the accounts
// again only when written since (AccountSource).

// PartSource is a store that gives /pipeline's deals a part at a time,
// each part with its generation; store.DB implements it (PipelineParts).
type PartSource interface {
	PipelineParts(ctx context.Context, owners []domain.UserID, known func(part, gen uint64) bool,
		fn func(part, gen uint64, deals []coaching.DealInput) error) error
}

// maxPartScopes is how many scopes (a team, the company, with a period
// and a day) keep their parts' counts, maxTypedScopes how many of them
// over a period someone typed, and maxPartBytes about how many bytes they
// may hold in all; past any, the least recently asked goes first (the
// one just counted stays), those over a typed period before the others:
// typing sixteen periods does not push the company's out. A /pipeline
// scope's counts hold about 50 bytes an open deal and 10 a stay: the
// company's at 1,000,000 deals about 70 MiB, so an admin's and every
// team's fit. A segments scope holds less (no open deal, no stay; about
// 70 KB a part at 100,000 deals), a retention scope its won deals'
// contracts (512 bytes each; segments reads them from there).
const (
	maxPartScopes  = 16
	maxTypedScopes = 4
	maxPartBytes   = 256 << 20
)

// partCounts are the kept counts, by scope key.
type partCounts struct {
	mu     sync.Mutex
	tick   uint64
	scopes map[string]*partScope
	seeded domain.Date // the day the warm-up job last counted the company's and teams' scopes for
}

type partScope struct {
	used   uint64 // the tick it was last asked at
	parts  map[uint64]*countedPart
	day    domain.Date // the day its counts are of
	recipe partsRecipe
	size   int // about how many bytes its parts hold
}

// partsRecipe is how a scope's counts were asked for, to count them again
// for a new day (the warm-up job): what they count, whose deals (nil:
// everyone's), the period's word ("" for /pipeline's default, the last 90
// days; always "" for retention, whose won deals are of no period), and
// whether reps are counted.
type partsRecipe struct {
	kind     partsKind
	members  []domain.UserID
	word     string
	teamOnly bool
	attr     string    // partsSegments: the attribute
	asked    time.Time // when a person last asked for it (zero: never)
}

// partsKind is what a scope's parts count: /pipeline's figures, /pipeline
// segments' table of one attribute, or the won deals /pipeline retention
// measures.
type partsKind uint8

const (
	partsPipeline partsKind = iota
	partsSegments
	partsRetention
)

// countedPart is one part's counts at one generation: frozen, shared by
// the calls that merge it, never changed.
type countedPart struct {
	size    int // about how many bytes it holds
	gen     uint64
	tc      *trendCount     // partsPipeline
	seg     *segment.Count  // partsSegments
	won     []domain.Deal   // partsRetention: the won deals' contracts (retention.ContractOf)
	skipped []domain.UserID // owners of its deals left out for their currency, one per deal
}

// kept is a copy of what key keeps: each part's counts. asked makes the
// scope the most recently asked.
func (pc *partCounts) kept(key string, asked bool) map[uint64]*countedPart {
	pc.mu.Lock()
	defer pc.mu.Unlock()
	sc := pc.scopes[key]
	if sc == nil {
		return nil
	}
	if asked {
		pc.tick++
		sc.used = pc.tick
	}
	return maps.Clone(sc.parts)
}

// keep makes parts what key keeps (the parts a call merged: a part that
// no longer holds a deal of the scope is dropped), counted on day as
// recipe says, and forgets the least recently asked scope when too many
// are kept.
func (pc *partCounts) keep(key string, parts map[uint64]*countedPart, day domain.Date, recipe partsRecipe, asked bool, now time.Time) {
	pc.mu.Lock()
	defer pc.mu.Unlock()
	if pc.scopes == nil {
		pc.scopes = map[string]*partScope{}
	}
	sc := &partScope{parts: parts, day: day, recipe: recipe}
	switch old := pc.scopes[key]; {
	case asked:
		pc.tick++
		sc.used, sc.recipe.asked = pc.tick, now
	case old != nil:
		sc.used, sc.recipe.asked = old.used, old.recipe.asked // the warm-up job's count: not asked
	}
	// else a new day's scope the warm-up job counted: asked when its
	// recipe says (the day before's), the first to be forgotten
	for _, p := range parts {
		sc.size += p.size
	}
	pc.scopes[key] = sc
	for {
		total, typed := 0, 0
		oldest, oldestTyped := "", ""
		for k, sc := range pc.scopes {
			total += sc.size
			if k == key {
				continue
			}
			if oldest == "" || sc.used < pc.scopes[oldest].used {
				oldest = k
			}
			if sc.recipe.word != "" {
				typed++
				if oldestTyped == "" || sc.used < pc.scopes[oldestTyped].used {
					oldestTyped = k
				}
			}
		}
		if sc.recipe.word != "" {
			typed++
		}
		switch {
		case oldestTyped != "" && (typed > maxTypedScopes || len(pc.scopes) > maxPartScopes || total > maxPartBytes):
			delete(pc.scopes, oldestTyped)
		case oldest != "" && (len(pc.scopes) > maxPartScopes || total > maxPartBytes):
			delete(pc.scopes, oldest)
		default:
			return
		}
	}
}

// partsKey is what a part's counts depend on besides its deals: what
// they count (for segments, the attribute, the configured segments, ICP
// and thresholds), the settings and calendar (stages, zone, stall and
// hollow-win settings, fiscal year), the currency counted, whose deals,
// the period, the day (every owner's today is the company's: /pipeline
// gives no zones) and whether reps are counted. The won deals retention
// keeps depend on whose deals alone, whatever the period.
func (b *Bot) partsKey(s coaching.Settings, r partsRecipe, period coaching.Period, now time.Time) string {
	who := "*"
	if r.members != nil {
		sorted := slices.Clone(r.members)
		slices.Sort(sorted)
		who = fmt.Sprint(slices.Compact(sorted))
	}
	what := "pipeline"
	switch r.kind {
	case partsSegments:
		what = fmt.Sprintf("segments %q %+v %+v %+v", r.attr, b.cfg.Segments, b.cfg.ICP, b.segmentThresholds())
	case partsRetention:
		return fmt.Sprintf("retention\x00%s", who)
	}
	cal := b.Calendar()
	return fmt.Sprintf("%s\x00%+v\x00%v %v\x00%s\x00%s\x00%v\x00%v\x00%v", what, s, cal.FiscalYearStart, cal.Location, b.cfg.Currency, who, period, cal.Today(now), r.teamOnly)
}

// size is about how many bytes tc holds.
func (tc *trendCount) size() int {
	n := tc.kpis.Size()
	for _, c := range tc.counts {
		n += c.Size()
	}
	return n
}

// merge adds a part's counts to tc.
func (tc *trendCount) merge(part *trendCount) {
	tc.kpis.Merge(part.kpis)
	for k, c := range tc.counts {
		c.Merge(part.counts[k])
	}
}

// trendOfParts is trend over the deals of members (everyone's when nil;
// never empty) as ps gives them, a part at a time: the parts kept at
// their generation are merged as kept, the others counted and kept. It
// also returns the owners of the deals left out for their currency, one
// per deal.
func (b *Bot) trendOfParts(ctx context.Context, ps PartSource, s coaching.Settings, members []domain.UserID, period coaching.Period,
	word string, user domain.UserID, now time.Time, reps bool) (trendOut, coaching.Metrics, forecast.Slip, []domain.UserID, error) {
	teamOnly := !reps && user == ""
	used, err := b.countParts(ctx, ps, s, partsRecipe{members: members, word: word, teamOnly: teamOnly}, period, now, true)
	if err != nil {
		return trendOut{}, coaching.Metrics{}, forecast.Slip{}, nil, err
	}
	total, out := b.newTrendCount(coaching.Input{Settings: s}, period, now, teamOnly)
	var skipped []domain.UserID
	for _, p := range slices.Sorted(maps.Keys(used)) {
		total.merge(used[p].tc)
		skipped = append(skipped, used[p].skipped...)
	}
	tr, m, sl := b.trendResult(total, out, s, user)
	return tr, m, sl, skipped, nil
}

// countParts counts the parts of a scope (r) that changed since they were
// kept, all of them at first, keeps them under the scope's key, and
// returns every part of the scope's by part. asked says a person asked
// (the scope becomes the most recent); the warm-up job counts without.
func (b *Bot) countParts(ctx context.Context, ps PartSource, s coaching.Settings, r partsRecipe, period coaching.Period, now time.Time, asked bool) (map[uint64]*countedPart, error) {
	used, err := b.countPartsOf(ctx, ps, s, []partsRecipe{r}, period, now, asked)
	if err != nil {
		return nil, err
	}
	return used[0], nil
}

// countPartsOf is countParts of scopes of the same deals (rs, of the same
// members) in one read: a part is decoded once for every scope that has
// not kept it at its generation, and all are of the same generations.
func (b *Bot) countPartsOf(ctx context.Context, ps PartSource, s coaching.Settings, rs []partsRecipe, period coaching.Period, now time.Time, asked bool) ([]map[uint64]*countedPart, error) {
	in := coaching.Input{Settings: s}
	keys := make([]string, len(rs))
	kept := make([]map[uint64]*countedPart, len(rs))
	used := make([]map[uint64]*countedPart, len(rs))
	for i, r := range rs {
		keys[i] = b.partsKey(s, r, period, now)
		kept[i] = b.partCounts.kept(keys[i], asked)
		used[i] = map[uint64]*countedPart{}
	}
	pc := partCounter{b: b, in: in, period: period, now: now, days: b.Calendar().Days()}
	err := ps.PipelineParts(ctx, rs[0].members, func(p, gen uint64) bool {
		all := true
		for i := range rs {
			if cp := kept[i][p]; cp != nil && cp.gen == gen {
				used[i][p] = cp
			} else {
				all = false
			}
		}
		return all
	}, func(p, gen uint64, all []coaching.DealInput) error {
		for i, r := range rs {
			if cp := used[i][p]; cp == nil || cp.gen != gen { // not kept at gen
				used[i][p] = pc.count(r, gen, all)
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	for i, r := range rs {
		b.partCounts.keep(keys[i], used[i], b.Calendar().Today(now), r, asked, now)
	}
	return used, nil
}

// partCounter counts parts for one call, with what its parts share.
type partCounter struct {
	b      *Bot
	in     coaching.Input
	period coaching.Period
	now    time.Time
	days   *domain.Days // one for every part of the call
	buf    []domain.Date
	deals  []coaching.DealInput
}

// inCurrency is all but the deals in another currency than the
// company's, whose owners it adds to skipped (one per deal).
func (pc *partCounter) inCurrency(all []coaching.DealInput, skipped *[]domain.UserID) []coaching.DealInput {
	pc.deals = pc.deals[:0]
	for _, d := range all {
		if c := pc.b.cfg.Currency; c != "" && d.Deal.Currency != c {
			*skipped = append(*skipped, d.Deal.Owner)
			continue
		}
		pc.deals = append(pc.deals, d)
	}
	return pc.deals
}

// count counts one part (all, at generation gen) as r says.
func (pc *partCounter) count(r partsRecipe, gen uint64, all []coaching.DealInput) *countedPart {
	b := pc.b
	cp := &countedPart{gen: gen}
	switch r.kind {
	case partsRetention:
		won := 0
		for _, d := range all {
			if d.Deal.Status == domain.Won {
				won++
			}
		}
		cp.won = make([]domain.Deal, 0, won)
		for _, d := range all {
			if d.Deal.Status == domain.Won {
				cp.won = append(cp.won, retention.ContractOf(d.Deal))
			}
		}
		cp.size = 256 + cap(cp.won)*retention.ContractBytes
	case partsSegments:
		cp.seg = b.newSegmentCount(pc.in, r.attr, pc.period, pc.now)
		cp.seg.UseDays(pc.days)
		cp.seg.WithoutContracts() // retention's parts keep them
		cp.seg.Add(pc.inCurrency(all, &cp.skipped))
		cp.seg.Freeze()
		cp.size = (cp.seg.Size() + len(cp.skipped)*16) * 4 / 3
	default:
		tc, _ := b.newTrendCount(pc.in, pc.period, pc.now, r.teamOnly)
		tc.kpis.UseDays(pc.days)
		for _, c := range tc.counts {
			c.UseDays(pc.days)
		}
		cp.tc = tc
		pc.buf = tc.add(pc.inCurrency(all, &cp.skipped), pc.days, pc.buf)
		tc.kpis.Freeze()
		// The estimate runs short of the heap by up to a third
		// (slices' headers, maps): counted a third more.
		cp.size = (tc.size() + len(cp.skipped)*16) * 4 / 3
	}
	return cp
}

// JobPipelineWarm keeps /pipeline's kept counts warm: at each tick it
// counts the parts written since (the scopes asked for in the last
// warmFor), and at a run's and a day's first tick the company's and each
// team's default scope (and the company's segments and retention), and
// each scope asked for in the last rewarmFor, for the new day. A person's call then counts only what was written in
// the last minute, and the first call of a day or of a run nothing (but
// for scopes the job does not know: a rep's own, a period typed).
const JobPipelineWarm = "pipeline_warm"

// warmFor is how long after a person last asked for a scope the warm-up
// job keeps counting its parts as they are written, and rewarmFor how
// long it counts it again for each new day.
const (
	warmFor   = time.Hour
	rewarmFor = 7 * 24 * time.Hour
)

// pipelineWarmJob is the warm-up of /pipeline's kept counts.
func (b *Bot) pipelineWarmJob() Job {
	return Job{Name: JobPipelineWarm, Run: b.warmPipeline}
}

// warmPipeline counts, for today, each scope kept of an earlier day (its
// default window, or the named one as of today) and forgets the earlier
// day's counts, whose key can no longer be asked for; and counts the
// parts written since of each scope of today asked for in the last
// warmFor. A scope whose window no longer reads is not counted.
func (b *Bot) warmPipeline(ctx context.Context, _ Messenger, now time.Time) error {
	ps, ok := b.store.(PartSource)
	if !ok {
		return nil
	}
	today := b.Calendar().Today(now)
	var recipes []partsRecipe
	b.partCounts.mu.Lock()
	if b.partCounts.seeded != today {
		// The first tick of a run and of each day: the scopes asked
		// most, the company's (when there are admins) and each team's,
		// over the default window.
		b.partCounts.seeded = today
		if len(b.cfg.Admins) > 0 {
			// The company's /pipeline, and its segments (the first
			// attribute) and retention: what an admin's call would
			// otherwise count cold (BENCHMARKS.md); a team's are a
			// tenth of it.
			recipes = append(recipes, partsRecipe{teamOnly: true}, partsRecipe{kind: partsRetention})
			if len(b.cfg.Segments) > 0 {
				recipes = append(recipes, partsRecipe{kind: partsSegments, attr: b.cfg.Segments[0].Name})
			}
		}
		for _, t := range b.cfg.Teams {
			if sellers := t.Sellers(); len(sellers) > 0 {
				recipes = append(recipes, partsRecipe{members: sellers, teamOnly: true})
			}
		}
	}
	for key, sc := range b.partCounts.scopes {
		switch {
		case sc.day.Before(today) && sc.recipe.kind == partsRetention:
			// Won deals are of no day: kept as they are when asked
			// for in the last week (and counted as written, below).
			if now.Sub(sc.recipe.asked) >= rewarmFor {
				delete(b.partCounts.scopes, key)
				continue
			}
			sc.day = today
			if now.Sub(sc.recipe.asked) < warmFor {
				recipes = append(recipes, sc.recipe)
			}
		case sc.day.Before(today):
			// Of no use from now on: the day is in the key. Counted
			// for today when asked for in the last week.
			if now.Sub(sc.recipe.asked) < rewarmFor {
				recipes = append(recipes, sc.recipe)
			}
			delete(b.partCounts.scopes, key)
		case now.Sub(sc.recipe.asked) < warmFor:
			recipes = append(recipes, sc.recipe)
		}
	}
	b.partCounts.mu.Unlock()
	s := b.CoachSettings()
	var errs []error
	for _, r := range recipes {
		period := coaching.Period{From: today.AddDays(1 - summaryDays), To: today}
		if r.word != "" {
			p, err := b.pipelineWindow(r.word, today)
			if err != nil {
				continue // a window of the past year, say, that no longer reads
			}
			period = p
		}
		// One scope failing leaves it to its next call, not the others.
		if _, err := b.countParts(ctx, ps, s, r, period, now, false); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// keptAnswers are the last figures of /pipeline segments and retention by
// key (the scope's parts key and the period), with what they were counted
// from: each part's generation and the accounts'. A call that finds the
// same parts at the same generations and the accounts unchanged gives
// them again, instead of merging the parts and measuring every won deal
// (BENCHMARKS.md). They are small but for the hollow wins they list (a
// company's segments at 100,000 deals: about 120 KB): at most
// maxKeptAnswers are kept, any other one forgotten past it.
type keptAnswers struct {
	mu sync.Mutex
	m  map[string]keptAnswer
}

type keptAnswer struct {
	gens     []uint64 // part, generation, … in part order
	accounts uint64
	figures  any
}

const maxKeptAnswers = 32

// gensOf is what the figures of used are counted from: each part and its
// generation, in part order.
func gensOf(used map[uint64]*countedPart) []uint64 {
	out := make([]uint64, 0, 2*len(used))
	for _, p := range slices.Sorted(maps.Keys(used)) {
		out = append(out, p, used[p].gen)
	}
	return out
}

// get is the figures kept under key when counted from gens and accounts.
func (ka *keptAnswers) get(key string, gens []uint64, accounts uint64) (any, bool) {
	ka.mu.Lock()
	defer ka.mu.Unlock()
	a, ok := ka.m[key]
	if !ok || a.accounts != accounts || !slices.Equal(a.gens, gens) {
		return nil, false
	}
	return a.figures, true
}

// put keeps figures under key, counted from gens and accounts. The
// figures are shared by the calls that get them: never changed.
func (ka *keptAnswers) put(key string, gens []uint64, accounts uint64, figures any) {
	ka.mu.Lock()
	defer ka.mu.Unlock()
	if ka.m == nil {
		ka.m = map[string]keptAnswer{}
	}
	if _, ok := ka.m[key]; !ok {
		for k := range ka.m {
			if len(ka.m) < maxKeptAnswers {
				break
			}
			delete(ka.m, k) // any one: a call counts it again
		}
	}
	ka.m[key] = keptAnswer{gens: gens, accounts: accounts, figures: figures}
}
