package teams

import (
	"testing"

	"github.com/dealpilot/dealpilot/bot"
	"github.com/dealpilot/dealpilot/bot/teams/teamstest"
)

// twoRegions is the e2e bot in a tenant spread over two regions: the
// forecast channel's team is served from "emea", the desk's from the
// default region; Marc has written in both channels, the desk last.
func twoRegions(t *testing.T) *e2e {
	t.Helper()
	e := newE2E(t)
	e.srv.AddChannel(teamstest.Channel{ID: fcst01, Name: "Forecast", TeamID: "19:sales", Region: "emea"})
	e.deliver(e.mentioned(e.marc, fcst01, "deal help"))
	e.deliver(e.mentioned(e.marc, desk01, "deal help"))
	return e
}

// TestUploadAtTheChannelsServiceURL: a chart and a table go to their
// channel at that channel's own service URL, not at the last one Teams
// used (the desk's region): the connector knows a conversation at its
// own only. It holds after a restart, from what the store kept.
func TestUploadAtTheChannelsServiceURL(t *testing.T) {
	e := twoRegions(t)
	png := []byte("\x89PNG\r\n\x1a\nchart")
	for round, restart := range []bool{false, true} {
		if restart {
			e.reopen()
		}
		if err := e.app.Upload(e.ctx, fcst01, "chart.png", "Forecast vs quota", png); err != nil {
			t.Fatalf("round %d: the chart to the emea channel: %v", round, err)
		}
		if err := e.app.Upload(e.ctx, fcst01, "deals.csv", "Deals", []byte("deal,amount\nD-1,48000\n")); err != nil {
			t.Fatalf("round %d: the table to the emea channel: %v", round, err)
		}
		if _, err := e.app.Post(e.ctx, fcst01, "", bot.Notice{Msgs: []bot.Msg{bot.M("error.internal")}}); err != nil {
			t.Fatalf("round %d: a post to the emea channel: %v", round, err)
		}
	}
	if n := len(e.srv.Posted(fcst01)); n < 6 {
		t.Errorf("%d messages in the emea channel, want the 6 sent:\n%s", n, e.srv.TranscriptText())
	}
}
