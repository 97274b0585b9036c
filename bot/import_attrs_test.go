package bot_test

import (
	"reflect"
	"testing"
	"time"

	"github.com/dealpilot/dealpilot/bot"
	"github.com/dealpilot/dealpilot/bot/config"
	"github.com/dealpilot/dealpilot/crm"
	"github.com/dealpilot/dealpilot/domain/segment"
)

// TestImportRulesAttributes: import: attributes: reaches the import's rules
// with each attribute's allowed values from segments:; an attribute it does
// not map has no header (only dealpilot's own export has its column).
func TestImportRulesAttributes(t *testing.T) {
	cfg := config.Default()
	cfg.Segments = segment.Schema{{Name: "industry", Values: []string{"Retail", "Software"}}, {Name: "size", Values: []string{"1-50"}}}
	cfg.Import.Attributes = []config.ImportAttribute{{Name: "industry", Header: "Sector"}}
	got := bot.ImportRules(cfg, time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)).Attrs
	want := []crm.AttrMap{{Name: "industry", Header: "Sector", Values: []string{"Retail", "Software"}}, {Name: "size", Values: []string{"1-50"}}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Attrs = %+v, want %+v", got, want)
	}
}
