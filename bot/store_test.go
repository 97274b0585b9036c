package bot_test

import (
	"testing"

	"github.com/dealpilot/dealpilot/bot"
	"github.com/dealpilot/dealpilot/store"
)

// TestStoreDBOffersEveryInterface: store.DB implements the Store the bot
// needs and every optional interface of store.go, so the bot never does
// without them in production.
func TestStoreDBOffersEveryInterface(t *testing.T) {
	var db any = (*store.DB)(nil)
	for name, ok := range map[string]bool{
		"Store":          is[bot.Store](db),
		"DiscountSource": is[bot.DiscountSource](db),
		"SetupStore":     is[bot.SetupStore](db),
		"Backuper":       is[bot.Backuper](db),
	} {
		if !ok {
			t.Errorf("*store.DB does not implement bot.%s", name)
		}
	}
}

func is[T any](v any) bool { _, ok := v.(T); return ok }
