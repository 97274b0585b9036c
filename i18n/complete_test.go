package i18n

import (
	"sort"
	"testing"
)

// TestEveryMessageHasEnglishAndFrench: a message without its French text
// would show English in a French workspace (T falls back to it), and one
// without English would show its key.
func TestEveryMessageHasEnglishAndFrench(t *testing.T) {
	keys := Keys()
	sort.Strings(keys)
	for _, k := range keys {
		if !Translated(k) {
			t.Errorf("%s: English %q, French %q", k, catalog[k].en, catalog[k].fr)
		}
	}
}
