package domain_test

import (
	"cmp"
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/dealpilot/dealpilot/domain"
)

func rankDate(s string) domain.Date {
	if s == "" {
		return domain.Date{}
	}
	d, err := domain.ParseISODate(s)
	if err != nil {
		panic(err)
	}
	return d
}

// rankDeal makes a deal for ranking tests; status is "open", "won" or "lost".
func rankDeal(id uint64, name, account, status, closeDate, due string) *domain.Deal {
	d := &domain.Deal{
		ID: domain.DealID(id), Name: name, Account: account, Owner: "U1",
		Amount: 100, Currency: "EUR", Category: domain.Pipeline,
		Status: domain.Status(status), CloseDate: rankDate(closeDate),
	}
	if due != "" {
		d.NextStep, d.NextStepDue = "Call", rankDate(due)
	}
	if d.Status == domain.Lost {
		d.LossReason = "price"
	}
	return d
}

func rankFixture() []*domain.Deal {
	return []*domain.Deal{
		rankDeal(1, "Acme renewal", "Acme Corp", "open", "2026-09-30", "2026-07-01"),
		rankDeal(2, "Acmeco pilot", "Acmeco", "open", "2026-08-15", "2026-07-10"),
		rankDeal(3, "Hôtel Bellevue rooms", "Hôtel Bellevue SA", "open", "2026-10-01", ""),
		rankDeal(4, "Bellini expansion", "Bellini Group", "won", "2026-03-01", ""),
		rankDeal(5, "Hotel Lutetia", "Lutetia", "lost", "2025-12-01", ""),
		rankDeal(6, "Étude de marché", "Société Générale", "open", "2026-07-20", "2026-07-05"),
		rankDeal(7, "Orange rollout", "SFR", "open", "2026-11-01", "2026-08-01"),
		rankDeal(8, "Fiber rollout", "Orange", "open", "2026-11-01", "2026-08-01"),
		rankDeal(9, "Cloud migration", "Œuvre", "open", "2026-12-01", "2026-09-01"),
		rankDeal(10, "Private cloud", "Nuage", "open", "2026-12-01", "2026-09-01"),
		rankDeal(11, "Acme expansion", "Acme Corp", "lost", "2026-02-01", ""),
		rankDeal(12, "Acme", "Acme Corp", "open", "2026-12-31", "2026-07-01"),
		rankDeal(13, "Lutetiana gala", "Lutetia", "open", "2026-09-01", "2026-07-01"),
		rankDeal(14, "Lutetian cruise", "Cruise Co", "open", "2026-08-01", "2026-07-01"),
		rankDeal(15, "Plan 2027", "Zenith", "open", "2026-12-01", "2026-07-01"),
	}
}

// rankBlankFixture is for the order of the empty query.
func rankBlankFixture() []*domain.Deal {
	return []*domain.Deal{
		rankDeal(1, "A", "X", "open", "2026-09-01", "2026-07-10"),
		rankDeal(2, "B", "X", "open", "2026-12-01", "2026-07-01"),
		rankDeal(3, "C", "X", "open", "2026-08-01", "2026-07-01"),
		rankDeal(4, "D", "X", "open", "2026-06-01", ""),
		rankDeal(5, "E", "X", "won", "2026-03-01", ""),
		rankDeal(6, "F", "X", "lost", "2026-05-01", ""),
		rankDeal(7, "G", "X", "open", "2026-08-01", "2026-07-01"),
		rankDeal(8, "H", "X", "lost", "", ""),
		rankDeal(9, "I", "X", "open", "", ""),
	}
}

func rankIDs(ds []*domain.Deal) []uint64 {
	ids := make([]uint64, len(ds))
	for i, d := range ds {
		ids[i] = uint64(d.ID)
	}
	return ids
}

func TestRankDeals(t *testing.T) {
	tests := []struct {
		name  string
		deals []*domain.Deal // nil: rankFixture
		query string
		limit int
		want  []uint64
	}{
		{name: "exact word before prefix", query: "acme", want: []uint64{1, 12, 11, 2}},
		{name: "prefix, open by close date then closed", query: "acm", want: []uint64{2, 1, 12, 11}},
		{name: "word nearer the start first", query: "bell", want: []uint64{4, 3}},
		{name: "cloud at start before cloud second", query: "cloud", want: []uint64{9, 10}},
		{name: "accents folded in names", query: "hotel bellevue", want: []uint64{3}},
		{name: "accents in the query", query: "HÔTEL", want: []uint64{3, 5}},
		{name: "decomposed accents", query: "Ho\u0302tel", want: []uint64{3, 5}},
		{name: "etude matches Étude", query: "etude", want: []uint64{6}},
		{name: "account words with accents", query: "societe gen", want: []uint64{6}},
		{name: "ligature", query: "oeuvre", want: []uint64{9}},
		{name: "ligature in query", query: "Œuvre", want: []uint64{9}},
		{name: "multi-word AND", query: "hotel lut", want: []uint64{5}},
		{name: "multi-word AND across name and account", query: "acme exp", want: []uint64{11}},
		{name: "name and account words", query: "acme corp", want: []uint64{1, 12, 11}},
		{name: "name before account", query: "orange", want: []uint64{7, 8}},
		{name: "exact name, exact account, prefix name", query: "lutetia", want: []uint64{5, 13, 14}},
		{name: "equal scores by id", query: "rollout", want: []uint64{7, 8}},
		{name: "punctuation ignored", query: "  acme,  renewal! ", want: []uint64{1}},
		{name: "ref D-n first even without a word match", query: "D-10", want: []uint64{10}},
		{name: "bare number ref first then word matches", query: "2", want: []uint64{2, 15}},
		{name: "ref with limit 1", query: "2", limit: 1, want: []uint64{2}},
		{name: "unknown ref, no words", query: "D-99", want: nil},
		{name: "limit", query: "acme", limit: 2, want: []uint64{1, 12}},
		{name: "limit above matches", query: "acme", limit: 50, want: []uint64{1, 12, 11, 2}},
		{name: "no match", query: "zzz", want: nil},
		{name: "one word of two missing", query: "acme zzz", want: nil},
		{name: "empty query order", deals: rankBlankFixture(), query: "", want: []uint64{3, 7, 2, 1, 4, 9, 6, 5, 8}},
		{name: "blank query is empty", deals: rankBlankFixture(), query: " - ", limit: 3, want: []uint64{3, 7, 2}},
		{name: "no deals", deals: []*domain.Deal{}, query: "acme", want: nil},
		{name: "nil deals skipped", deals: []*domain.Deal{nil, rankDeal(4, "Acme", "X", "open", "2026-01-01", "")}, query: "", want: []uint64{4}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			deals := tc.deals
			if deals == nil {
				deals = rankFixture()
			}
			got := rankIDs(domain.RankDeals(tc.query, deals, tc.limit))
			if !slices.Equal(got, tc.want) && (len(got) != 0 || len(tc.want) != 0) {
				t.Errorf("RankDeals(%q, %d) = %v, want %v", tc.query, tc.limit, got, tc.want)
			}
			ix := domain.NewDealIndex(deals)
			if again := rankIDs(ix.Rank(tc.query, tc.limit)); !slices.Equal(again, got) {
				t.Errorf("Rank(%q) = %v, RankDeals gave %v", tc.query, again, got)
			}
		})
	}
}

func TestRankDealsShuffledInput(t *testing.T) {
	deals := append(rankFixture(), rankBlankFixture()...) // duplicate ids too
	for i, d := range genDeals(300) {
		if i%3 == 0 {
			deals = append(deals, d)
		}
	}
	queries := []string{"", "acme", "a", "hotel", "e", "D-5", "5", "s v", "rollout"}
	want := map[string][]*domain.Deal{}
	for _, q := range queries {
		want[q] = domain.RankDeals(q, deals, 0)
	}
	r := rand.New(rand.NewPCG(1, 2))
	for round := range 20 {
		shuffled := slices.Clone(deals)
		r.Shuffle(len(shuffled), func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })
		ix := domain.NewDealIndex(shuffled)
		for _, q := range queries {
			got := ix.Rank(q, 0)
			// Duplicate ids may swap places; their ids must not.
			if !slices.Equal(rankIDs(got), rankIDs(want[q])) {
				t.Fatalf("round %d: Rank(%q) = %v, want %v", round, q, rankIDs(got), rankIDs(want[q]))
			}
			if top := ix.Rank(q, 7); !slices.Equal(rankIDs(top), rankIDs(want[q][:min(7, len(want[q]))])) {
				t.Fatalf("round %d: Rank(%q, 7) = %v, want %v", round, q, rankIDs(top), rankIDs(want[q][:min(7, len(want[q]))]))
			}
		}
	}
}

// naiveRank follows the documented rules directly, folding every deal.
func naiveRank(query string, deals []*domain.Deal) []*domain.Deal {
	qs := domain.FoldWords(query)
	type scored struct {
		d                         *domain.Deal
		missExact, missName, pos  int
		closed                    bool
		dateRank                  string
		dueRank, closeRank, order int
	}
	dateKey := func(d domain.Date, desc bool) string {
		if d.IsZero() {
			return "~"
		}
		if desc {
			return fmt.Sprintf("%08d", 99999999-(d.Year*10000+int(d.Month)*100+d.Day))
		}
		return d.String()
	}
	var ms []scored
	for i, d := range deals {
		if d == nil {
			continue
		}
		closed := d.Status == domain.Won || d.Status == domain.Lost
		s := scored{d: d, closed: closed, order: i}
		if len(qs) == 0 {
			s.dateRank = dateKey(d.CloseDate, closed)
			if !closed {
				s.dateRank = dateKey(d.NextStepDue, false) + dateKey(d.CloseDate, false)
			}
			ms = append(ms, s)
			continue
		}
		s.dateRank = dateKey(d.CloseDate, closed)
		name, account := domain.FoldWords(d.Name), domain.FoldWords(d.Account)
		ok := true
		for _, q := range qs {
			best, at := -1, 0
			for class, field := range [][]string{account, name} {
				for p, w := range field {
					c := class
					if w == q {
						c += 2
					} else if !strings.HasPrefix(w, q) {
						continue
					}
					if c > best || c == best && p < at {
						best, at = c, p
					}
				}
			}
			if best < 0 {
				ok = false
				break
			}
			if best < 2 {
				s.missExact++
			}
			if best%2 == 0 {
				s.missName++
			}
			s.pos += at
		}
		if ok {
			ms = append(ms, s)
		}
	}
	slices.SortStableFunc(ms, func(a, b scored) int {
		return cmp.Or(
			cmp.Compare(a.missExact, b.missExact),
			cmp.Compare(a.missName, b.missName),
			cmp.Compare(a.pos, b.pos),
			cmp.Compare(btoi(a.closed), btoi(b.closed)),
			cmp.Compare(a.dateRank, b.dateRank),
			cmp.Compare(a.d.ID, b.d.ID),
		)
	})
	var out []*domain.Deal
	if id, ok := domain.ParseRef(query); ok {
		for _, d := range deals {
			if d != nil && d.ID == id {
				out = append(out, d)
				break
			}
		}
	}
	for _, s := range ms {
		if len(out) == 0 || s.d != out[0] {
			out = append(out, s.d)
		}
	}
	return out
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}

func TestRankMatchesNaiveRules(t *testing.T) {
	deals := genDeals(4000)
	deals = append(deals, rankFixture()...)
	for i := range deals {
		deals[i].ID = domain.DealID(i + 1)
	}
	ix := domain.NewDealIndex(deals)
	queries := []string{
		"", "a", "s", "ca", "cafe", "café", "é", "ete", "etoile", "hotel", "hôtel par",
		"acme", "acme corp", "renewal", "ren", "sa", "sas", "lyon ren", "v v", "pi pi",
		"oe", "œuvre", "garcon", "D-17", "17", "4001", "d", "2027", "zz", "s p r",
	}
	for _, q := range queries {
		want := naiveRank(q, deals)
		for _, limit := range []int{0, 1, 5, 100} {
			got := ix.Rank(q, limit)
			w := want
			if limit > 0 && len(w) > limit {
				w = w[:limit]
			}
			if !slices.Equal(rankIDs(got), rankIDs(w)) {
				t.Errorf("Rank(%q, %d) = %v\nwant %v", q, limit, head(rankIDs(got)), head(rankIDs(w)))
			}
		}
	}
}

func head(ids []uint64) []uint64 { return ids[:min(len(ids), 12)] }

func TestRankFoldWords(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"", nil},
		{"  -- ", nil},
		{"Hôtel Bellevue", []string{"hotel", "bellevue"}},
		{"ÉTUDE de marché", []string{"etude", "de", "marche"}},
		{"L'Oréal", []string{"l", "oreal"}},
		{"Société Générale SA", []string{"societe", "generale", "sa"}},
		{"Œuvre Cœur", []string{"oeuvre", "coeur"}},
		{"Straße", []string{"strasse"}},
		{"Garçon Façade", []string{"garcon", "facade"}},
		{"Ho\u0302tel", []string{"hotel"}},
		{"Plan 2027, v2", []string{"plan", "2027", "v2"}},
		{"acme acme", []string{"acme", "acme"}},
		{"Ærø Łódź", []string{"aero", "lodz"}},
		{"Москва", []string{"москва"}},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			if got := domain.FoldWords(tc.in); !slices.Equal(got, tc.want) {
				t.Errorf("FoldWords(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}

func TestRankMatchRef(t *testing.T) {
	extra := append(rankFixture(), rankDeal(16, "Acme Labs", "Acme Corp", "open", "2026-10-01", "2026-07-01"))
	tests := []struct {
		name   string
		query  string
		want   uint64
		wantOK bool
	}{
		{"ref", "D-7", 7, true},
		{"lowercase ref without dash", "d7", 7, true},
		{"bare number", "7", 7, true},
		{"unknown ref", "D-99", 0, false},
		{"one word match", "bellini", 4, true},
		{"accents", "etude", 6, true},
		{"two words narrow to one", "acme renew", 1, true},
		{"ambiguous words", "rollout", 0, false},
		{"whole name among prefix matches", "acme", 12, true},
		{"no match", "zzz", 0, false},
		{"empty", "", 0, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			d, ok := domain.MatchRef(tc.query, extra)
			if ok != tc.wantOK || ok && uint64(d.ID) != tc.want {
				t.Errorf("MatchRef(%q) = %v, %v; want D-%d, %v", tc.query, d, ok, tc.want, tc.wantOK)
			}
		})
	}
}

func TestRankIndexConcurrent(t *testing.T) {
	deals := genDeals(2000)
	ix := domain.NewDealIndex(deals)
	if ix.Len() != len(deals) {
		t.Fatalf("Len = %d, want %d", ix.Len(), len(deals))
	}
	want := rankIDs(ix.Rank("s", 100))
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for range 20 {
				if got := rankIDs(ix.Rank("s", 100)); !slices.Equal(got, want) {
					t.Errorf("concurrent Rank differs")
					return
				}
				ix.Rank("", 10)
				ix.MatchRef("D-12")
			}
		})
	}
	wg.Wait()
}

func TestRankGeneratorIsDeterministic(t *testing.T) {
	a, b := genDeals(50), genDeals(50)
	for i := range a {
		if !reflect.DeepEqual(*a[i], *b[i]) {
			t.Fatalf("deal %d differs: %v vs %v", i, a[i], b[i])
		}
	}
	if a[0].CloseDate.Before(domain.NewDate(2026, time.January, 1)) {
		t.Fatalf("close date %v before the base", a[0].CloseDate)
	}
}
