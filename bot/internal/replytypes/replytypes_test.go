package replytypes

import (
	"slices"
	"testing"
)

// TestNamesFindsBotsReplies: read from bot's source, the list holds the
// replies every transport renders, and nothing that is not one.
func TestNamesFindsBotsReplies(t *testing.T) {
	names, err := Names("../..")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"Card", "DealList", "Notice", "OpenForm"} {
		if !slices.Contains(names, want) {
			t.Errorf("%s missing from %v", want, names)
		}
	}
	for _, not := range []string{"Bot", "Caller", "Msg"} {
		if slices.Contains(names, not) {
			t.Errorf("%s listed as a reply", not)
		}
	}
	if !slices.IsSorted(names) {
		t.Errorf("not sorted: %v", names)
	}
}
