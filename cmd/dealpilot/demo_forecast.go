package main

import (
	"fmt"
	"strings"
	"time"

	"github.com/dealpilot/dealpilot/bot/sample"
	"github.com/dealpilot/dealpilot/bot/slack/slacktest"
	"github.com/dealpilot/dealpilot/domain"
)

// demoForecast plays the forecast at the end of the demo, on Monday 30
// November at 08:00 in Paris: Claire sets Léa's quota, Léa submits her call,
// Claire submits the team's (seeing Léa's beside the bottom-up numbers), the
// scheduled digest runs, and Claire posts the digest with the calls in it.
func demoForecast(d *demoRun) error {
	d.scene(time.Date(2026, 11, 30, 7, 5, 0, 0, time.UTC), "a quota, the calls, and the digest with them")
	if _, err := d.say(sample.Manager, "/forecast", "quota <@U0REP1> 150k"); err != nil {
		return err
	}
	call := func(user domain.UserID, commit, best, comment string) error {
		inv, err := d.srv.SlashCommand(string(user), sample.SalesChannel, "/forecast", "submit")
		if err != nil {
			return err
		}
		view, err := inv.WaitView(d.ctx)
		if err != nil {
			return fmt.Errorf("/forecast submit opened no modal: %w", err)
		}
		ack, err := d.submit(user, view.ID, slacktest.Values{"commit": commit, "best_case": best, "comment": comment})
		if err != nil {
			return err
		}
		if len(ack.Errors) > 0 {
			return fmt.Errorf("the call was refused: %v", ack.Errors)
		}
		_, err = inv.WaitResponses(d.ctx, 2)
		return err
	}
	if err := call(sample.Rep1, "90k", "140k", "Fromagerie Lemoine is signed; Conseil Arnaud is in negotiation"); err != nil {
		return err
	}
	if err := call(sample.Manager, "250k", "320k", "Léa's commit plus Hugo's two renewals"); err != nil {
		return err
	}
	for _, err := range d.app.Tick(d.ctx) { // the scheduled digest, unless it already ran
		return err
	}
	digests := func(msgs []slacktest.Message) int {
		n := 0
		for _, m := range msgs {
			if m.Source == "chat.postMessage" && strings.Contains(m.Text, "France forecast") {
				n++
			}
		}
		return n
	}
	completed := func(st *slacktest.State) int {
		n := 0
		for _, f := range st.Files {
			if f.Completed {
				n++
			}
		}
		return n
	}
	before, files := digests(d.srv.Messages(sample.ForecastChannel)), completed(d.srv.State())
	if _, err := d.say(sample.Manager, "/forecast", "digest"); err != nil {
		return err
	}
	err := d.srv.WaitFor(d.ctx, func(st *slacktest.State) bool {
		return digests(st.Messages[sample.ForecastChannel]) > before && completed(st) >= files+2 // the chart and the CSV
	})
	if err != nil {
		return fmt.Errorf("the digest was not posted: %w", err)
	}
	return nil
}

// demoPipeline: Claire reads her team's quarter, where the sample's year
// shows (the wins, the losses by stage, the slips; story.md).
func demoPipeline(d *demoRun) error {
	d.scene(time.Date(2026, 11, 30, 7, 10, 0, 0, time.UTC), "Claire reads the team's pipeline and the year's losses")
	if _, err := d.say(sample.Manager, "/pipeline", "team quarter"); err != nil {
		return err
	}
	_, err := d.say(sample.Manager, "/pipeline", "losses team year")
	return err
}
