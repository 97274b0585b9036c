package domain

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Deal ranking, for the type-ahead deal picker (Slack's block_suggestion) and
// for resolving the words a rep types after a command ("/deal next acme …").
//
// Rules, applied by RankDeals and (*DealIndex).Rank:
//
//   - The query is split into words with FoldWords: runs of letters and
//     digits, lowercased and accent-folded ("Hôtel" → "hotel", "Étude" →
//     "etude", "Œuvre" → "oeuvre"). Deal names and accounts are split the same
//     way.
//   - A query with no words (empty, blanks, punctuation) returns every deal:
//     open deals before won and lost ones; open deals by next step due
//     soonest (unset last), then close date soonest (unset last); closed
//     deals by close date, most recent first (unset last); then by id.
//   - A query that reads as a ref ("D-12", "d12", "#12", "12", see ParseRef)
//     puts that deal first when it is among the deals, whether or not its
//     words match; the word matches follow it.
//   - Otherwise a deal matches when every query word is a prefix of some word
//     of the deal's name or account (all words are required; two query words
//     may match the same deal word).
//   - Matches are ordered by, in turn:
//     1. more query words matching a deal word exactly (exact beats prefix);
//     2. more query words matching in the name (name beats account);
//     3. matches nearer the start: a smaller sum of the positions of the
//     matched words within the name or account (each query word counts
//     its best match: exact name, exact account, prefix of a name word,
//     prefix of an account word, and the earliest such word);
//     4. open deals before won and lost ones;
//     5. the nearer close date: soonest first for open deals, most recent
//     first for closed ones (unset last);
//     6. the smaller id, then the earlier position in the input, so the
//     order never depends on the order of the input.
//   - At most limit deals are returned, best first; limit ≤ 0 means all.
//     No match gives an empty (nil) slice.

// FoldWords returns the words of s in order, repeats included: runs of
// letters and digits, lowercased and accent-folded. Combining marks (the
// accents of decomposed text) are dropped without splitting a word; any other
// character separates words. "L'Oréal Société" gives "l", "oreal", "societe";
// "Straße" gives "strasse". Letters without a known fold are kept lowercased.
func FoldWords(s string) []string {
	var words []string
	var b [64]byte
	for i := 0; i < len(s); {
		var w []byte
		w, i = nextFoldedWord(s, i, b[:0])
		if len(w) > 0 {
			words = append(words, string(w))
		}
	}
	return words
}

// nextFoldedWord folds the first word of s at or after byte i into buf[:0]
// and returns it with the offset just after it. The word is empty when s has
// no word left.
func nextFoldedWord(s string, i int, buf []byte) ([]byte, int) {
	buf = buf[:0]
	for i < len(s) {
		c := s[i]
		if c < utf8.RuneSelf {
			i++
			switch {
			case 'a' <= c && c <= 'z', '0' <= c && c <= '9':
				buf = append(buf, c)
			case 'A' <= c && c <= 'Z':
				buf = append(buf, c+('a'-'A'))
			default:
				if len(buf) > 0 {
					return buf, i
				}
			}
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
		switch {
		case unicode.Is(unicode.Mn, r):
			// A combining accent folds to nothing and keeps the word whole.
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			r = unicode.ToLower(r)
			if f, ok := foldTable[r]; ok {
				buf = append(buf, f...)
			} else {
				buf = utf8.AppendRune(buf, r)
			}
		default:
			if len(buf) > 0 {
				return buf, i
			}
		}
	}
	return buf, i
}

// foldTable maps lowercase accented letters and ligatures to plain letters.
var foldTable = func() map[rune]string {
	groups := []struct{ to, from string }{
		{"a", "àáâãäåāăąǎǻạảấầẩẫậắằẳẵặ"},
		{"c", "çćĉċč"},
		{"d", "ďđð"},
		{"e", "èéêëēĕėęěẹẻẽếềểễệ"},
		{"g", "ĝğġģ"},
		{"h", "ĥħ"},
		{"i", "ìíîïĩīĭįıǐịỉ"},
		{"j", "ĵ"},
		{"k", "ķ"},
		{"l", "ĺļľŀł"},
		{"n", "ñńņňŉ"},
		{"o", "òóôõöøōŏőǒǿơọỏốồổỗộớờởỡợ"},
		{"r", "ŕŗř"},
		{"s", "śŝşšș"},
		{"t", "ţťŧț"},
		{"u", "ùúûüũūŭůűųǔưụủứừửữự"},
		{"w", "ŵ"},
		{"y", "ýÿŷỳỵỷỹ"},
		{"z", "źżž"},
		{"α", "ά"}, {"ε", "έ"}, {"η", "ή"}, {"ι", "ίϊΐ"}, {"ο", "ό"}, {"υ", "ύϋΰ"}, {"ω", "ώ"},
		{"ae", "æ"}, {"oe", "œ"}, {"ss", "ß"}, {"th", "þ"}, {"ij", "ĳ"}, {"fi", "ﬁ"}, {"fl", "ﬂ"},
	}
	m := make(map[rune]string, 256)
	for _, g := range groups {
		for _, r := range g.from {
			m[r] = g.to
		}
	}
	return m
}()

// DealIndex answers ranked deal queries over a fixed set of deals. Build it
// once with NewDealIndex (every name and account is folded then, not per
// query); it is read-only afterwards and safe for concurrent use. It holds
// the *Deal pointers it was given and does not see later changes to them.
type DealIndex struct {
	deals []*Deal  // indexed deals, input order, nils dropped
	ids   []DealID // ids[i] = deals[i].ID
	byID  bool     // ids strictly ascending: find by binary search

	// Deal i's name words are words[offs[2i]:offs[2i+1]] and its account
	// words words[offs[2i+1]:offs[2i+2]], as word numbers: a word's number is
	// its rank in vocab, so the words sharing a prefix are a range of numbers.
	offs  []uint32
	words []uint32
	vocab []string // distinct folded words, sorted

	// post[postAt[w]:postAt[w+1]] lists, ascending and once each, the deals
	// having word w in their name or account.
	post   []int32
	postAt []uint32

	tie   []uint32 // open/closed and close date, smaller ranks first
	blank []uint64 // order of the empty query, smaller first
}

// NewDealIndex indexes deals (nil entries are skipped).
func NewDealIndex(deals []*Deal) *DealIndex {
	n := 0
	for _, d := range deals {
		if d != nil {
			n++
		}
	}
	ix := &DealIndex{
		deals: make([]*Deal, 0, n),
		ids:   make([]DealID, 0, n),
		byID:  true,
		offs:  make([]uint32, 0, 2*n+1),
		words: make([]uint32, 0, 6*n),
		tie:   make([]uint32, 0, n),
		blank: make([]uint64, 0, n),
	}
	number := make(map[string]uint32) // folded word → number in first-seen order
	var vocab []string
	var b [128]byte
	add := func(s string) {
		for i := 0; i < len(s); {
			var w []byte
			w, i = nextFoldedWord(s, i, b[:0])
			if len(w) == 0 {
				continue
			}
			k, ok := number[string(w)]
			if !ok {
				k = uint32(len(vocab))
				vocab = append(vocab, string(w))
				number[vocab[k]] = k
			}
			ix.words = append(ix.words, k)
		}
	}
	for _, d := range deals {
		if d == nil {
			continue
		}
		if len(ix.ids) > 0 && d.ID <= ix.ids[len(ix.ids)-1] {
			ix.byID = false
		}
		ix.deals = append(ix.deals, d)
		ix.ids = append(ix.ids, d.ID)
		ix.offs = append(ix.offs, uint32(len(ix.words)))
		add(d.Name)
		ix.offs = append(ix.offs, uint32(len(ix.words)))
		add(d.Account)
		ix.tie = append(ix.tie, rankTieKey(d))
		ix.blank = append(ix.blank, rankBlankKey(d))
	}
	ix.offs = append(ix.offs, uint32(len(ix.words)))

	// Renumber the words in sorted order.
	order := make([]uint32, len(vocab))
	for k := range order {
		order[k] = uint32(k)
	}
	slices.SortFunc(order, func(a, b uint32) int {
		switch {
		case vocab[a] < vocab[b]:
			return -1
		case vocab[a] > vocab[b]:
			return 1
		}
		return 0
	})
	renumber := make([]uint32, len(vocab))
	ix.vocab = make([]string, len(vocab))
	for rank, k := range order {
		renumber[k] = uint32(rank)
		ix.vocab[rank] = vocab[k]
	}
	for j, k := range ix.words {
		ix.words[j] = renumber[k]
	}

	// Postings, by counting sort; seen[w] = i+1 once deal i was counted for w.
	seen := make([]int32, len(vocab))
	ix.postAt = make([]uint32, len(vocab)+1)
	for i := range ix.deals {
		for _, w := range ix.words[ix.offs[2*i]:ix.offs[2*i+2]] {
			if seen[w] != int32(i+1) {
				seen[w] = int32(i + 1)
				ix.postAt[w+1]++
			}
		}
	}
	for w := range vocab {
		ix.postAt[w+1] += ix.postAt[w]
	}
	ix.post = make([]int32, ix.postAt[len(vocab)])
	next := renumber // reused: the fill position of each word
	copy(next, ix.postAt[:len(vocab)])
	clear(seen)
	for i := range ix.deals {
		for _, w := range ix.words[ix.offs[2*i]:ix.offs[2*i+2]] {
			if seen[w] != int32(i+1) {
				seen[w] = int32(i + 1)
				ix.post[next[w]] = int32(i)
				next[w]++
			}
		}
	}
	return ix
}

// Len returns the number of deals indexed.
func (ix *DealIndex) Len() int { return len(ix.deals) }

// RankDeals returns the deals matching query, best first, at most limit of
// them (limit ≤ 0: all). See the rules at the top of this file. It indexes
// deals on every call; keep a DealIndex to answer several queries.
func RankDeals(query string, deals []*Deal, limit int) []*Deal {
	return NewDealIndex(deals).Rank(query, limit)
}

// MatchRef resolves what a rep typed to name one deal: a ref ("D-12", "12")
// of one of deals, or words matching exactly one deal (as RankDeals matches).
// When the words match several deals but exactly one of them has a name made
// of exactly those words ("acme" among "Acme" and "Acme Labs"), that deal is
// the one meant. Otherwise it reports false; RankDeals lists the candidates.
func MatchRef(query string, deals []*Deal) (*Deal, bool) {
	return NewDealIndex(deals).MatchRef(query)
}

// MatchRef is MatchRef over the indexed deals.
func (ix *DealIndex) MatchRef(query string) (*Deal, bool) {
	if id, ok := parseRefQuick(query); ok {
		if i := ix.find(id); i >= 0 {
			return ix.deals[i], true
		}
	}
	var qb [8]rankWord
	qs, ok := ix.queryWords(query, qb[:0])
	if !ok || len(qs) == 0 {
		return nil, false
	}
	matches, wholes := 0, 0
	var match, whole int32
	ix.scan(qs, -1, func(i int32, _ uint64) {
		matches++
		match = i
		name := ix.words[ix.offs[2*i]:ix.offs[2*i+1]]
		if len(name) != len(qs) {
			return
		}
		for j, q := range qs {
			if !q.exact || name[j] != q.lo {
				return
			}
		}
		wholes++
		whole = i
	})
	switch {
	case matches == 1:
		return ix.deals[match], true
	case wholes == 1:
		return ix.deals[whole], true
	}
	return nil, false
}

// Rank returns the indexed deals matching query, best first, at most limit
// of them (limit ≤ 0: all). See the rules at the top of this file.
func (ix *DealIndex) Rank(query string, limit int) []*Deal {
	if limit <= 0 || limit > len(ix.deals) {
		limit = len(ix.deals)
	}
	if limit == 0 {
		return nil
	}
	ref := int32(-1)
	if id, ok := parseRefQuick(query); ok {
		ref = ix.find(id)
	}
	var qb [8]rankWord
	qs, ok := ix.queryWords(query, qb[:0])

	var out []*Deal
	if ref >= 0 {
		out = make([]*Deal, 1, limit)
		out[0] = ix.deals[ref]
		limit--
	}
	if limit == 0 || !ok {
		return out
	}

	bound := len(ix.deals)
	if len(qs) > 0 {
		bound = ix.postings(qs[ix.driver(qs)])
	}
	t := rankTop{limit: limit, c: make([]rankCand, 0, min(limit, bound))}
	if len(qs) == 0 {
		for i, k := range ix.blank {
			if int32(i) != ref {
				t.add(rankCand{k, ix.ids[i], int32(i)})
			}
		}
	} else {
		ix.scan(qs, ref, func(i int32, k uint64) { t.add(rankCand{k, ix.ids[i], i}) })
	}
	slices.SortFunc(t.c, rankCand.compare)
	if out == nil {
		out = make([]*Deal, 0, len(t.c))
	}
	for _, c := range t.c {
		out = append(out, ix.deals[c.i])
	}
	return out
}

// parseRefQuick is ParseRef, skipping at once (and without ParseRef's
// error allocations) queries that cannot be refs: a ref ends with a digit.
func parseRefQuick(query string) (DealID, bool) {
	q := strings.TrimRightFunc(query, unicode.IsSpace)
	if q == "" || q[len(q)-1] < '0' || q[len(q)-1] > '9' {
		return 0, false
	}
	return ParseRef(q)
}

// find returns the position of the deal with id, or -1.
func (ix *DealIndex) find(id DealID) int32 {
	if ix.byID {
		if i, ok := slices.BinarySearch(ix.ids, id); ok {
			return int32(i)
		}
		return -1
	}
	for i, x := range ix.ids {
		if x == id {
			return int32(i)
		}
	}
	return -1
}

// rankWord is one word of a query: the range [lo, hi) of word numbers it
// is a prefix of, and whether word lo is the query word itself.
type rankWord struct {
	lo, hi uint32
	exact  bool
}

// queryWords appends to qs the words of query. It reports false when some
// word is a prefix of no indexed word, so that nothing can match.
func (ix *DealIndex) queryWords(query string, qs []rankWord) ([]rankWord, bool) {
	var b [128]byte
	ok := true
	for i := 0; i < len(query); {
		var w []byte
		w, i = nextFoldedWord(query, i, b[:0])
		if len(w) == 0 {
			continue
		}
		// lo: the first word ≥ w; hi: the first word after lo without prefix w.
		lo, hi := 0, len(ix.vocab)
		for lo < hi {
			m := int(uint(lo+hi) >> 1)
			if ix.vocab[m] < string(w) {
				lo = m + 1
			} else {
				hi = m
			}
		}
		a, z := lo, len(ix.vocab)
		for a < z {
			m := int(uint(a+z) >> 1)
			if v := ix.vocab[m]; len(v) >= len(w) && v[:len(w)] == string(w) {
				a = m + 1
			} else {
				z = m
			}
		}
		if a == lo {
			ok = false
		}
		qs = append(qs, rankWord{
			lo:    uint32(lo),
			hi:    uint32(a),
			exact: lo < len(ix.vocab) && ix.vocab[lo] == string(w),
		})
	}
	return qs, ok
}

// postings counts the postings of the words q is a prefix of.
func (ix *DealIndex) postings(q rankWord) int {
	return int(ix.postAt[q.hi] - ix.postAt[q.lo])
}

// driver picks the query word with the fewest postings.
func (ix *DealIndex) driver(qs []rankWord) int {
	best := 0
	for j := range qs {
		if ix.postings(qs[j]) < ix.postings(qs[best]) {
			best = j
		}
	}
	return best
}

// scan calls visit once for each deal matching every word of qs (not
// empty), except deal skip, with the deal's rank key (smaller is better).
func (ix *DealIndex) scan(qs []rankWord, skip int32, visit func(i int32, key uint64)) {
	d := qs[ix.driver(qs)]
	if d.hi-d.lo > 1 && ix.postings(d) > len(ix.deals)/4 {
		// A short prefix of many words ("s"): reading every deal in order
		// beats jumping between postings and deduplicating them.
		for i := range int32(len(ix.deals)) {
			if i == skip {
				continue
			}
			if k, ok := ix.score(i, qs); ok {
				visit(i, k)
			}
		}
		return
	}
	for w := d.lo; w < d.hi; w++ {
		for _, i := range ix.post[ix.postAt[w]:ix.postAt[w+1]] {
			if i == skip {
				continue
			}
			// A deal with several words in the driver's range is listed
			// under each: visit it from the smallest only.
			if w > d.lo && ix.hasWordIn(i, d.lo, w) {
				continue
			}
			if k, ok := ix.score(i, qs); ok {
				visit(i, k)
			}
		}
	}
}

// hasWordIn reports whether deal i has a word numbered in [lo, hi).
func (ix *DealIndex) hasWordIn(i int32, lo, hi uint32) bool {
	for _, w := range ix.words[ix.offs[2*i]:ix.offs[2*i+2]] {
		if w-lo < hi-lo {
			return true
		}
	}
	return false
}

// score returns deal i's rank key for qs, and false when some word of qs
// matches none of the deal's words. From the high bits down: query words
// without an exact match, query words not matched in the name, the sum of
// the positions of the matched words, then the tie key.
func (ix *DealIndex) score(i int32, qs []rankWord) (uint64, bool) {
	name := ix.words[ix.offs[2*i]:ix.offs[2*i+1]]
	account := ix.words[ix.offs[2*i+1]:ix.offs[2*i+2]]
	var missExact, missName, pos uint64
	for _, q := range qs {
		// Match classes: 3 exact in name, 2 exact in account, 1 prefix in
		// name, 0 prefix in account; the earliest word of the best class.
		best, at := -1, 0
		for p, w := range name {
			if w-q.lo < q.hi-q.lo {
				c := 1
				if q.exact && w == q.lo {
					c = 3
				}
				if c > best {
					best, at = c, p
					if c == 3 {
						break
					}
				}
			}
		}
		if best < 3 {
			for p, w := range account {
				if w-q.lo < q.hi-q.lo {
					c := 0
					if q.exact && w == q.lo {
						c = 2
					}
					if c > best {
						best, at = c, p
						if c == 2 {
							break
						}
					}
				}
			}
		}
		if best < 0 {
			return 0, false
		}
		if best < 2 {
			missExact++
		}
		if best%2 == 0 {
			missName++
		}
		pos += uint64(at)
	}
	return min(missExact, 0xff)<<56 | min(missName, 0xff)<<48 | min(pos, 0xffff)<<32 | uint64(ix.tie[i]), true
}

// rankDateKey orders dates as integers; the zero date gives 0.
func rankDateKey(d Date) uint32 {
	if d.IsZero() {
		return 0
	}
	y := min(max(d.Year, 0), 1<<21-1)
	return uint32(y)<<9 | uint32(d.Month)<<5 | uint32(d.Day)
}

const rankNoDate = 1<<31 - 1 // above every rankDateKey

func rankClosed(d *Deal) bool { return d.Status == Won || d.Status == Lost }

// rankTieKey orders deals after their words: open first by close date soonest,
// then closed by close date most recent; unset dates last.
func rankTieKey(d *Deal) uint32 {
	k := rankDateKey(d.CloseDate)
	if rankClosed(d) {
		return 1<<31 | (rankNoDate - k)
	}
	if k == 0 {
		k = rankNoDate
	}
	return k
}

// rankBlankKey orders deals for the empty query: open first by next step due
// soonest then close date soonest, then closed by close date most recent;
// unset dates last.
func rankBlankKey(d *Deal) uint64 {
	if rankClosed(d) {
		return 1<<63 | uint64(rankNoDate-rankDateKey(d.CloseDate))
	}
	due, cl := rankDateKey(d.NextStepDue), rankDateKey(d.CloseDate)
	if due == 0 {
		due = rankNoDate
	}
	if cl == 0 {
		cl = rankNoDate
	}
	return uint64(due)<<31 | uint64(cl)
}

// rankCand is a candidate deal for the result: its key, its id, its position.
type rankCand struct {
	key uint64
	id  DealID
	i   int32
}

func (a rankCand) compare(b rankCand) int {
	switch {
	case a.key != b.key:
		return rankCmp(a.key, b.key)
	case a.id != b.id:
		return rankCmp(uint64(a.id), uint64(b.id))
	}
	return int(a.i) - int(b.i)
}

func rankCmp(a, b uint64) int {
	if a < b {
		return -1
	}
	return 1
}

// rankTop keeps the limit best candidates: unordered until full, then a heap
// with the worst kept candidate at the root.
type rankTop struct {
	limit int
	c     []rankCand
}

func (t *rankTop) add(x rankCand) {
	if len(t.c) < t.limit {
		t.c = append(t.c, x)
		if len(t.c) == t.limit {
			for j := len(t.c)/2 - 1; j >= 0; j-- {
				t.down(j)
			}
		}
		return
	}
	if x.compare(t.c[0]) >= 0 {
		return
	}
	t.c[0] = x
	t.down(0)
}

// down restores the heap below j: every parent worse than its children.
func (t *rankTop) down(j int) {
	c := t.c
	for {
		w := 2*j + 1
		if w >= len(c) {
			return
		}
		if r := w + 1; r < len(c) && c[r].compare(c[w]) > 0 {
			w = r
		}
		if c[w].compare(c[j]) <= 0 {
			return
		}
		c[j], c[w] = c[w], c[j]
		j = w
	}
}
