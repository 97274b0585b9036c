package main

import (
	"fmt"
	"regexp"
	"time"

	"github.com/dealpilot/dealpilot/bot"
	"github.com/dealpilot/dealpilot/bot/sample"
	"github.com/dealpilot/dealpilot/bot/slack/slacktest"
)

// demoCoaching plays coaching at the end of the demo: Thursday at 09:00 in
// Paris Léa gets her reminder, snoozes one deal and marks another's next
// step done (the next-step modal opens and she fills it in), Sam gets his at
// 09:00 London time, and on Monday after the digest Claire gets her summary.
func demoCoaching(d *demoRun) error {
	tick := func(at time.Time, title string) error {
		d.scene(at, title)
		for _, err := range d.app.Tick(d.ctx) {
			return err
		}
		return nil
	}
	// Thursday 26 November, 09:00 in Paris (08:00 UTC).
	if err := tick(time.Date(2026, 11, 26, 8, 0, 0, 0, time.UTC), "the morning reminders in Paris"); err != nil {
		return err
	}
	dm, err := d.srv.WaitMessage(d.ctx, d.srv.DMChannel(string(sample.Rep1)), func(slacktest.Message) bool { return true })
	if err != nil {
		return fmt.Errorf("Léa got no reminder: %w", err)
	}
	deals := demoNudgedDeals(dm)
	if len(deals) < 2 {
		return fmt.Errorf("Léa's reminder lists %d deals, the demo needs 2", len(deals))
	}
	click := func(action, deal string) (*slacktest.Invocation, error) {
		return d.srv.BlockAction(string(sample.Rep1), slacktest.InMessage(dm.Channel, dm.TS),
			slacktest.Action{ActionID: action, BlockID: "nudge_" + deal})
	}
	snooze, err := click(bot.ActionNudgeSnooze1, deals[0])
	if err != nil {
		return err
	}
	if _, err := snooze.NextResponse(d.ctx); err != nil {
		return fmt.Errorf("snooze got no answer: %w", err)
	}
	done, err := click(bot.ActionNudgeDone, deals[1])
	if err != nil {
		return err
	}
	view, err := done.WaitView(d.ctx)
	if err != nil {
		return fmt.Errorf("done opened no modal: %w", err)
	}
	ack, err := d.submit(sample.Rep1, view.ID, slacktest.Values{"next_step": "Send the signed order form", "next_step_due": "2026-12-02"})
	if err != nil {
		return err
	}
	if len(ack.Errors) > 0 {
		return fmt.Errorf("the next step was refused: %v", ack.Errors)
	}
	if _, err := done.WaitResponses(d.ctx, 2); err != nil { // the modal, then the card
		return err
	}
	// 09:00 in London.
	if err := tick(time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC), "09:00 in London: Sam's reminder"); err != nil {
		return err
	}
	if _, err := d.srv.WaitMessage(d.ctx, d.srv.DMChannel(string(sample.Rep3)), func(slacktest.Message) bool { return true }); err != nil {
		return fmt.Errorf("Sam got no reminder: %w", err)
	}
	// Monday 30 November, 08:00 in Paris: the digest, then the summary.
	if err := tick(time.Date(2026, 11, 30, 7, 0, 0, 0, time.UTC), "the weekly digest and Claire's coaching summary"); err != nil {
		return err
	}
	if _, err := d.srv.WaitMessage(d.ctx, d.srv.DMChannel(string(sample.Manager)), func(slacktest.Message) bool { return true }); err != nil {
		return fmt.Errorf("Claire got no summary: %w", err)
	}
	// The digest's chart and CSV, before the next scene.
	err = d.srv.WaitFor(d.ctx, func(st *slacktest.State) bool {
		n := 0
		for _, f := range st.Files {
			if f.Completed {
				n++
			}
		}
		return n >= 2
	})
	if err != nil {
		return fmt.Errorf("the digest's files were not posted: %w", err)
	}
	return nil
}

// demoNudgeBlock finds the reminder's per-deal action blocks.
var demoNudgeBlock = regexp.MustCompile(`"block_id":"nudge_(\d+)"`)

// demoNudgedDeals returns the deal ids of a reminder, in order.
func demoNudgedDeals(m slacktest.Message) []string {
	var ids []string
	for _, g := range demoNudgeBlock.FindAllStringSubmatch(string(m.Blocks), -1) {
		ids = append(ids, g[1])
	}
	return ids
}
