package main

import (
	"fmt"
	"strings"

	"github.com/dealpilot/dealpilot/bot"
	"github.com/dealpilot/dealpilot/bot/sample"
	"github.com/dealpilot/dealpilot/bot/slack/slacktest"
)

// demoDeskAccount is the account of an open deal of Léa's in the sample
// pipeline, in Demo.
const demoDeskAccount = "Atelier Lumière"

// demoDesk plays the deal desk: Léa writes a mutual action plan, asks for
// 25 % (manager then vp), Claire approves with the button and Valérie by a
// reply in the request's thread.
func demoDesk(d *demoRun) error {
	d.scene(d.clock.Now(), "the deal desk: a 25% discount for Atelier Lumière")
	inv, err := d.srv.SlashCommand(string(sample.Rep1), sample.SalesChannel, "/deal", "plan "+d.deskDeal)
	if err != nil {
		return err
	}
	view, err := inv.WaitView(d.ctx)
	if err != nil {
		return fmt.Errorf("/deal plan opened no form: %w (%v)", err, inv.Responses())
	}
	ack, err := d.submit(sample.Rep1, view.ID, slacktest.Values{"plan": "2026-12-01 | customer | Security review | done\n2026-12-10 | ours | Order form sent\n2026-12-18 | customer | Order form signed"})
	if err != nil {
		return err
	}
	if len(ack.Errors) > 0 {
		return fmt.Errorf("the plan was refused: %v", ack.Errors)
	}
	// The plan's confirmation (the modal, then the card) before the next command.
	if _, err := inv.WaitResponses(d.ctx, 2); err != nil {
		return err
	}

	inv, err = d.srv.SlashCommand(string(sample.Rep1), sample.SalesChannel, "/deal", "discount "+d.deskDeal+" 25")
	if err != nil {
		return err
	}
	view, err = inv.WaitView(d.ctx)
	if err != nil {
		return fmt.Errorf("/deal discount opened no form: %w (%v)", err, inv.Responses())
	}
	ack, err = d.submit(sample.Rep1, view.ID, slacktest.Values{"justification": "Rival quoted 25% less; a 3-year term", "competitor": "Rival Inc"})
	if err != nil {
		return err
	}
	if ack.ResponseAction != "" || len(ack.Errors) > 0 {
		return fmt.Errorf("the request was not sent: %s %v", ack.ResponseAction, ack.Errors)
	}
	// The request, once its thread is recorded.
	root, err := d.srv.WaitMessage(d.ctx, sample.DeskChannel, func(m slacktest.Message) bool {
		return m.ThreadTS == "" && m.Edited && strings.Contains(m.Render(), "Waiting on step 1 of 2")
	})
	if err != nil {
		return err
	}
	click, err := d.srv.BlockAction(string(sample.Manager), slacktest.InMessage(sample.DeskChannel, root.TS), slacktest.Action{ActionID: bot.ActionDeskApprove})
	if err != nil {
		return err
	}
	if _, err := click.NextResponse(d.ctx); err != nil {
		return err
	}
	if _, err := d.srv.WaitMessage(d.ctx, sample.DeskChannel, func(m slacktest.Message) bool {
		return m.ThreadTS == root.TS && strings.Contains(m.Render(), "Now waiting on")
	}); err != nil {
		return err
	}
	if _, err := d.srv.Message(string(sample.VP), sample.DeskChannel, "approve ok for me", root.TS); err != nil {
		return err
	}
	_, err = d.srv.WaitMessage(d.ctx, d.srv.DMChannel(string(sample.Rep1)), func(m slacktest.Message) bool {
		return strings.Contains(m.Render(), "was approved by")
	})
	return err
}
