package teams

import (
	"fmt"
	"strings"
	"testing"

	"github.com/dealpilot/dealpilot/bot"
	"github.com/dealpilot/dealpilot/bot/report"
	"github.com/dealpilot/dealpilot/domain/forecast"
)

// TestBigDigestSplitsIntoCardsTeamsTakes: a team of 90 reps makes a digest
// card over a card's 28 KB (maxCard, as Teams counts them, UTF-16): it is
// posted as several cards the connector takes, each within maxCard, every
// rep's row in one of them, in order, the team's total last; a retry posts
// only the parts missing.
func TestBigDigestSplitsIntoCardsTeamsTakes(t *testing.T) {
	e := newE2E(t)
	e.deliver(e.srv.Message(e.lea, e.srv.PersonalConversation(e.lea.ID), "deal show D-1")) // the service URL
	base := fixtureRows()
	var rows []report.Row
	for i := range 90 {
		row := base[0]
		row.Line.User = ""
		row.Label = fmt.Sprintf("Rep %02d", i)
		rows = append(rows, row)
	}
	rows = append(rows, base[1])
	q4 := forecast.Period{Name: "2026-Q4", Kind: forecast.Quarter}
	d := bot.ForecastDigest{Team: "France", Period: q4, Week: "2026-W50", Currency: "EUR", Rows: rows}
	if cardFits(e.app.r.digest(d).card) {
		t.Fatal("the fixture fits in one card: make it bigger")
	}
	var saved []string
	ref, err := e.app.PostParts(e.ctx, fcst01, "", d, nil, func(i int, ref string) error {
		if i != len(saved) {
			t.Errorf("part %d saved after %d", i, len(saved))
		}
		saved = append(saved, ref)
		return nil
	})
	if err != nil {
		t.Fatalf("%v\n%s", err, e.srv.TranscriptText())
	}
	if len(saved) < 2 || ref != saved[0] {
		t.Fatalf("parts %v, ref %q", saved, ref)
	}
	for _, c := range e.srv.Calls() {
		if c.Status == 413 {
			t.Errorf("the connector refused a part: %+v", c)
		}
	}
	var text strings.Builder
	for _, p := range e.srv.Posted(fcst01) {
		text.WriteString(cardText(p.Attachments[0].Content))
		if n := messageSize(p.Attachments[0].Content); n > maxCard {
			t.Errorf("a part weighs %d bytes, over %d", n, maxCard)
		}
	}
	got := text.String()
	last := -1
	for i := range 90 {
		at := strings.Index(got, fmt.Sprintf("Rep %02d\n", i))
		if at < 0 || at < last {
			t.Fatalf("Rep %02d missing or out of order", i)
		}
		last = at
	}
	if strings.LastIndex(got, "France\n") < last {
		t.Error("the team's total is not after the reps")
	}

	// A retry with the first part out posts the others only.
	before := len(e.srv.Posted(fcst01))
	if _, err := e.app.PostParts(e.ctx, fcst01, "", d, saved[:1], nil); err != nil {
		t.Fatal(err)
	}
	if n := len(e.srv.Posted(fcst01)) - before; n != len(saved)-1 {
		t.Errorf("the retry posted %d parts, want %d", n, len(saved)-1)
	}
}
