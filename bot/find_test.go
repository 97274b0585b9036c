package bot_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/dealpilot/dealpilot/bot"
	"github.com/dealpilot/dealpilot/domain"
)

// TestLongTextIsBounded: thousands of words after a quick form must get a
// plain refusal, not a lookup of every split of the text (which once hung
// the fuzzer on a long input).
func TestLongTextIsBounded(t *testing.T) {
	b := newFuzzBot(t)
	deal := b.Commands()["/deal"]
	long := strings.Repeat("garage fontaine ", 2000)
	for _, text := range []string{"next " + long + "by fri", "stage " + long + "proposal", "amount " + long + "5k",
		"close " + long + "tomorrow", "lost " + long, "show " + long, "owner " + long + "@hugo"} {
		h, _, args := deal.Route(text)
		_, err := h(context.Background(), bot.Caller{User: "U0REP1", Mentions: map[string]domain.UserID{"@hugo": "U0REP2"}}, args)
		if code := domain.ErrorCode(err); code == domain.EINTERNAL {
			t.Errorf("%.20s…: internal error %v", text, err)
		}
	}
}

// TestSearchQueryIsBounded: the picker and a lookup by words refuse a query
// of more than 8 words or 80 characters before reading anything, with a
// message that says the limits; up to the limits they search.
func TestSearchQueryIsBounded(t *testing.T) {
	b := newFuzzBot(t)
	show := b.Commands()["/deal"]
	tests := []struct {
		name  string
		query string
		ok    bool
	}{
		{"EightWords", "boulangerie a b c d e f g", true},
		{"NineWords", "boulangerie a b c d e f g h", false},
		{"EightyChars", strings.Repeat("b", 80), true},
		{"EightyOneChars", strings.Repeat("b", 81), false},
		{"EightyAccentedRunes", strings.Repeat("é", 80), true},
		{"LongWordsFewOfThem", strings.Repeat("x", 50) + " " + strings.Repeat("y", 50), false},
		{"ThreeHundredChars", strings.Repeat("a ", 150), false},
	}
	rep := bot.Caller{User: "U0REP1"}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := b.SuggestDeals(context.Background(), rep, tt.query)
			var e *domain.Error
			if tt.ok {
				if err != nil {
					t.Errorf("SuggestDeals(%q) = %v, want a search", tt.query, err)
				}
			} else if !errors.As(err, &e) || e.Code != domain.EINVALID || e.Key != "pick.query_too_long" ||
				fmt.Sprint(e.Args) != "[8 80]" {
				t.Errorf("SuggestDeals(%q) = %v, want pick.query_too_long [8 80]", tt.query, err)
			}
			h, _, args := show.Route("show " + tt.query)
			_, err = h(context.Background(), rep, args)
			if tt.ok {
				if errors.As(err, &e) && e.Key == "deal.query_too_long" {
					t.Errorf("/deal show %q refused as too long", tt.query)
				}
			} else if !errors.As(err, &e) || e.Code != domain.EINVALID || e.Key != "deal.query_too_long" {
				t.Errorf("/deal show %q = %v, want deal.query_too_long", tt.query, err)
			}
		})
	}
}
