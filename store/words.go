package store

import "github.com/dealpilot/dealpilot/domain"

// searchWords returns the distinct search words of texts in first-seen
// order, folded exactly as domain.FoldWords folds them (lowercase, accents
// removed: "Société Générale" gives "societe", "generale"), so what the
// word index finds and what domain.RankDeals ranks always agree.
func searchWords(texts ...string) []string {
	var words []string
	seen := map[string]bool{}
	for _, text := range texts {
		for _, w := range domain.FoldWords(text) {
			if !seen[w] {
				seen[w] = true
				words = append(words, w)
			}
		}
	}
	return words
}
