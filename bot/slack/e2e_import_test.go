package slack_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/dealpilot/dealpilot/bot"
	"github.com/dealpilot/dealpilot/bot/sample"
	"github.com/dealpilot/dealpilot/bot/slack/slacktest"
	"github.com/dealpilot/dealpilot/domain"
)

// importCSV is a HubSpot export of three deals owned by configured users.
const importCSV = "Record ID,Deal Name,Deal Stage,Close Date,Deal owner,Amount,Associated Company,Next step\n" +
	"501,Acme renewal,Contract Sent,2026-12-15,U0REP1,12000,Acme,Send the order form\n" +
	"502,Globex rollout,Appointment Scheduled,2027-01-20,U0REP1,4500,Globex,Book the demo\n" +
	"503,Initech pilot,Qualified To Buy,2027-02-10,U0REP1,8000,Initech,Call the CFO\n"

// importBadCSV has one valid row and three invalid ones (line 3: amount;
// line 4: owner; line 5: line 2's id again).
const importBadCSV = "Record ID,Deal Name,Deal Stage,Close Date,Deal owner,Amount,Associated Company,Next step\n" +
	"601,Umbrella deal,Contract Sent,2026-12-15,U0REP1,12000,Umbrella,Send the order form\n" +
	"602,Hooli deal,Contract Sent,2026-12-15,U0REP1,12x00,Hooli,Send the order form\n" +
	"603,Stark deal,Contract Sent,2026-12-15,j.doe@example.com,5000,Stark,Send the order form\n" +
	"601,Umbrella again,Contract Sent,2026-12-15,U0REP1,12000,Umbrella,Send the order form\n"

// upload makes user send a file in their DM with the bot and returns the
// invocation and the bot's answer there.
func (h *harness) upload(user domain.UserID, name, content string) (*slacktest.Invocation, slacktest.Message) {
	h.t.Helper()
	dm := h.srv.DMChannel(string(user))
	before := len(h.botMessages(dm))
	inv, err := h.srv.UploadFile(string(user), dm, name, []byte(content))
	if err != nil {
		h.t.Fatal(err)
	}
	return inv, h.waitBotMessage(dm, before)
}

// botMessages are the bot's messages in channel, as they are now.
func (h *harness) botMessages(channel string) []slacktest.Message {
	var out []slacktest.Message
	for _, m := range h.srv.Messages(channel) {
		if m.User == slacktest.BotUserID && !m.Deleted {
			out = append(out, m)
		}
	}
	return out
}

// waitBotMessage waits for the bot's message number n (from 0) in channel.
func (h *harness) waitBotMessage(channel string, n int) slacktest.Message {
	h.t.Helper()
	var got slacktest.Message
	err := h.srv.WaitFor(ctxT(h.t), func(st *slacktest.State) bool {
		i := 0
		for _, m := range st.Messages[channel] {
			if m.User == slacktest.BotUserID {
				if i == n {
					got = m
					return true
				}
				i++
			}
		}
		return false
	})
	if err != nil {
		h.t.Fatalf("no message %d from the bot in %s: %v\n%s", n, channel, err, h.srv.TranscriptText())
	}
	return got
}

// waitText waits until the bot's message ts in channel says want.
func (h *harness) waitText(channel, ts, want string) slacktest.Message {
	h.t.Helper()
	var got slacktest.Message
	err := h.srv.WaitFor(ctxT(h.t), func(st *slacktest.State) bool {
		for _, m := range st.Messages[channel] {
			if m.TS == ts && strings.Contains(m.Text, want) {
				got = m
				return true
			}
		}
		return false
	})
	if err != nil {
		m, _ := h.srv.MessageAt(channel, ts)
		h.t.Fatalf("message %s never said %q; it says %q: %v", ts, want, m.Text, err)
	}
	return got
}

// clickIn presses a button of the bot's message ts in channel.
func (h *harness) clickIn(user domain.UserID, channel, ts, actionID string) string {
	h.t.Helper()
	inv, err := h.srv.BlockAction(string(user), slacktest.InMessage(channel, ts), slacktest.Action{ActionID: actionID})
	if err != nil {
		h.t.Fatal(err)
	}
	r, err := inv.NextResponse(ctxT(h.t))
	if err != nil {
		h.t.Fatalf("%s got no answer to %s: %v", user, actionID, err)
	}
	return r.Render()
}

func (h *harness) importedDeals() map[string]*domain.Deal {
	h.t.Helper()
	ds, err := h.store().Deals(context.Background(), domain.DealFilter{})
	if err != nil {
		h.t.Fatal(err)
	}
	out := map[string]*domain.Deal{}
	for _, d := range ds {
		if d.ExternalID != "" {
			out[d.ExternalID] = d
		}
	}
	return out
}

// TestImportFileInDM: a manager sends a CSV in the bot's DM; the bot
// downloads it with its token, answers with the dry run and Import /
// Cancel; Import writes the deals (history by "import"), a progress
// message counting the rows as it goes, then the result; a second click,
// or the event redelivered after a restart, does nothing twice.
func TestImportFileInDM(t *testing.T) {
	h := newHarness(t)
	h.importOpts = bot.ImportOptions{ProgressEvery: 1}
	h.restart()
	dm := h.srv.DMChannel(string(sample.Manager))

	inv, sum := h.upload(sample.Manager, "hubspot-deals.csv", importCSV)
	for _, want := range []string{"Import of hubspot-deals.csv (hubspot-en): 3 rows", "3 to create · 0 to update · 0 unchanged · 0 conflicts"} {
		if !strings.Contains(string(sum.Blocks), want) {
			t.Errorf("the summary does not say %q:\n%s", want, sum.Blocks)
		}
	}
	if !strings.Contains(string(sum.Blocks), bot.ActionImportApply) || !strings.Contains(string(sum.Blocks), bot.ActionImportCancel) {
		t.Fatalf("the summary has no Import and Cancel:\n%s", sum.Blocks)
	}
	if st := h.srv.State(); len(st.Downloads) != 1 || !st.Downloads[0].Authorized {
		t.Fatalf("downloads %+v: want one, with the bot token", st.Downloads)
	}
	if n := len(h.importedDeals()); n != 0 {
		t.Fatalf("%d deals written by the dry run", n)
	}

	updatesBefore := len(h.srv.Calls("chat.update"))
	said := h.clickIn(sample.Manager, dm, sum.TS, bot.ActionImportApply)
	if !strings.Contains(said, "Importing hubspot-deals.csv") {
		t.Errorf("Import answered %q", said)
	}
	progress := h.waitBotMessage(dm, 1)
	h.waitText(dm, progress.TS, "Imported hubspot-deals.csv: 3 created, 0 updated, 0 invalid rows skipped")
	// Rows 1 and 2 of 3 were shown as progress, then the result.
	if n := len(h.srv.Calls("chat.update")) - updatesBefore; n != 3 {
		t.Errorf("%d updates of the progress message, want 3 (two counts and the result)", n)
	}
	deals := h.importedDeals()
	acme := deals["hubspot:501"]
	if len(deals) != 3 || acme == nil || acme.Name != "Acme renewal" || acme.Owner != sample.Rep1 || acme.CreatedBy != "import" {
		t.Fatalf("deals after Import: %+v", deals)
	}

	// A second click does nothing twice.
	if said := h.clickIn(sample.Manager, dm, sum.TS, bot.ActionImportApply); !strings.Contains(said, "already done or cancelled") {
		t.Errorf("a second Import answered %q", said)
	}
	// The event redelivered after a restart is not answered again.
	h.restart()
	n := len(h.botMessages(dm))
	again, err := h.srv.Redeliver(inv)
	if err != nil {
		t.Fatal(err)
	}
	h.waitHandled(again)
	if got := len(h.botMessages(dm)); got != n {
		t.Errorf("the redelivered file_shared was answered again: %d bot messages, was %d", got, n)
	}
	if len(h.importedDeals()) != 3 {
		t.Error("the redelivery wrote deals")
	}

	// The same file again changes nothing, and says so without buttons.
	_, again2 := h.upload(sample.Manager, "hubspot-deals.csv", importCSV)
	if b := string(again2.Blocks); !strings.Contains(b, "0 to create · 0 to update · 3 unchanged") || !strings.Contains(b, "Nothing to write") || strings.Contains(b, `"button"`) {
		t.Errorf("the same file again was answered:\n%s", b)
	}
}

// TestImportCancelWritesNothing: Cancel discards the file; a later Import
// click is refused.
func TestImportCancelWritesNothing(t *testing.T) {
	h := newHarness(t)
	dm := h.srv.DMChannel(string(sample.Admin))
	_, sum := h.upload(sample.Admin, "deals.csv", importCSV)
	if said := h.clickIn(sample.Admin, dm, sum.TS, bot.ActionImportCancel); !strings.Contains(said, "Import of deals.csv cancelled: nothing was written") {
		t.Errorf("Cancel answered %q", said)
	}
	if said := h.clickIn(sample.Admin, dm, sum.TS, bot.ActionImportApply); !strings.Contains(said, "already done or cancelled") {
		t.Errorf("Import after Cancel answered %q", said)
	}
	if n := len(h.importedDeals()); n != 0 {
		t.Errorf("%d deals written after Cancel", n)
	}
}

// TestImportRefusedToRep: a rep's file gets a clear refusal and is not
// even downloaded.
func TestImportRefusedToRep(t *testing.T) {
	h := newHarness(t)
	_, m := h.upload(sample.Rep1, "deals.csv", importCSV)
	if !strings.Contains(m.Text, "Only an admin or a team's manager can import deals") {
		t.Errorf("a rep's file was answered %q", m.Text)
	}
	if st := h.srv.State(); len(st.Downloads) != 0 {
		t.Errorf("a rep's file was downloaded: %+v", st.Downloads)
	}
	if strings.Contains(string(m.Blocks), bot.ActionImportApply) {
		t.Error("a rep was offered Import")
	}
}

// TestImportInvalidLines: a file with invalid lines lists them with their
// line numbers; Import is not offered, and refused when clicked anyway;
// Import the valid rows writes the valid one only.
func TestImportInvalidLines(t *testing.T) {
	h := newHarness(t)
	dm := h.srv.DMChannel(string(sample.Manager))
	_, sum := h.upload(sample.Manager, "bad.csv", importBadCSV)
	blocks := string(sum.Blocks)
	for _, want := range []string{"1 to create", "3 invalid", "line 3: invalid", "line 4: invalid", "j.doe@example.com", "line 5: invalid", "the same id as line 2", bot.ActionImportApplyValid} {
		if !strings.Contains(blocks, want) {
			t.Errorf("the summary does not say %q:\n%s", want, blocks)
		}
	}
	if strings.Contains(blocks, `"`+bot.ActionImportApply+`"`) {
		t.Errorf("Import offered with invalid rows:\n%s", blocks)
	}
	// The button is absent; a forged Import (the bot asked directly) is refused.
	r, err := h.bot.Action(context.Background(), bot.Caller{User: sample.Manager, Channel: dm}, bot.ActionImportApply, fileOf(t, h, sum))
	if err != nil || !strings.Contains(fmt.Sprint(r), "import.invalid_rows") {
		t.Errorf("Import with invalid rows answered %+v, %v", r, err)
	}
	if n := len(h.importedDeals()); n != 0 {
		t.Fatalf("%d deals written by a refused Import", n)
	}
	h.clickIn(sample.Manager, dm, sum.TS, bot.ActionImportApplyValid)
	progress := h.waitBotMessage(dm, 1)
	h.waitText(dm, progress.TS, "1 created, 0 updated, 3 invalid rows skipped")
	if d := h.importedDeals(); len(d) != 1 || d["hubspot:601"] == nil {
		t.Errorf("deals after Import the valid rows: %+v", d)
	}
}

// fileOf is the file id a summary's buttons carry: the only file uploaded.
func fileOf(t *testing.T, h *harness, _ slacktest.Message) string {
	t.Helper()
	st := h.srv.State()
	if len(st.FileOrder) != 1 {
		t.Fatalf("files %v", st.FileOrder)
	}
	return st.FileOrder[0]
}

// TestImportOthersClick: only who sent the file decides its import, and a
// restart expires it, clearly.
func TestImportOthersClickAndRestart(t *testing.T) {
	h := newHarness(t)
	dm := h.srv.DMChannel(string(sample.Manager))
	_, sum := h.upload(sample.Manager, "deals.csv", importCSV)
	id := fileOf(t, h, sum)
	r, err := h.bot.Action(context.Background(), bot.Caller{User: sample.Admin}, bot.ActionImportApply, id)
	if err != nil || !strings.Contains(fmt.Sprint(r), "import.not_yours") {
		t.Errorf("another user's Import answered %+v, %v", r, err)
	}
	h.restart()
	if said := h.clickIn(sample.Manager, dm, sum.TS, bot.ActionImportApply); !strings.Contains(said, "This import has expired") {
		t.Errorf("Import after a restart answered %q", said)
	}
	if n := len(h.importedDeals()); n != 0 {
		t.Errorf("%d deals written", n)
	}
}

// TestImportSizeCap: a file larger than the cap is refused before it is
// downloaded, with the sizes.
func TestImportSizeCap(t *testing.T) {
	h := newHarness(t)
	h.importOpts = bot.ImportOptions{MaxBytes: 100}
	h.restart()
	_, m := h.upload(sample.Manager, "big.csv", importCSV)
	if !strings.Contains(m.Text, "big.csv is too large to import here (1 MB; at most 1 MB)") {
		t.Errorf("a large file was answered %q", m.Text)
	}
	if st := h.srv.State(); len(st.Downloads) != 0 {
		t.Errorf("a file over the cap was downloaded: %+v", st.Downloads)
	}
}

// TestImportIgnoresChannelFiles: a file shared in a channel is not the
// bot's to import: nothing is looked up, nothing answered.
func TestImportIgnoresChannelFiles(t *testing.T) {
	h := newHarness(t)
	inv, err := h.srv.UploadFile(string(sample.Manager), sample.SalesChannel, "deals.csv", []byte(importCSV))
	if err != nil && !errors.Is(err, slacktest.ErrNotSubscribed) {
		t.Fatal(err)
	}
	h.waitHandled(inv)
	if calls := h.srv.Calls("files.info"); len(calls) != 0 {
		t.Errorf("a channel's file was looked up: %+v", calls)
	}
	if n := len(h.botMessages(sample.SalesChannel)); n != 0 {
		t.Errorf("the bot answered a file in a channel")
	}
}

// TestImportOwnersByEmail: owners a HubSpot export gives by email, which
// the configuration does not map, are looked up in Slack
// (users.lookupByEmail), each email once for the dry run and the import:
// Léa owns her deal; Zoé is in Slack but in no team and an unknown email
// is in no one's profile, each line saying so. Without users:read.email
// the lines say the lookup was refused and how to grant it.
func TestImportOwnersByEmail(t *testing.T) {
	h := newHarness(t)
	h.srv.AddUser(slacktest.User{ID: string(sample.Rep1), Name: "lea", RealName: "Léa Dubois", TZ: "Europe/Paris", Email: "lea@acme.example"})
	h.srv.AddUser(slacktest.User{ID: "U0ZOE", Name: "zoe", Email: "zoe@acme.example"})
	const csv = "Record ID,Deal Name,Deal Stage,Close Date,Deal owner,Amount,Associated Company,Next step\n" +
		"701,Acme renewal,Contract Sent,2026-12-15,Lea@acme.example,12000,Acme,Send the order form\n" +
		"702,Globex rollout,Contract Sent,2026-12-15,lea@acme.example,4500,Globex,Send the order form\n" +
		"703,Initech pilot,Contract Sent,2026-12-15,zoe@acme.example,8000,Initech,Call the CFO\n" +
		"704,Hooli pilot,Contract Sent,2026-12-15,j.doe@acme.example,8000,Hooli,Call the CFO\n"
	dm := h.srv.DMChannel(string(sample.Manager))
	_, sum := h.upload(sample.Manager, "owners.csv", csv)
	blocks := string(sum.Blocks)
	for _, want := range []string{"2 to create", "2 invalid",
		"owner zoe@acme.example is in Slack as @zoe but not in any team",
		`unknown owner \"j.doe@acme.example\": no one in Slack has this email`} {
		if !strings.Contains(blocks, want) {
			t.Errorf("the summary does not say %q:\n%s", want, blocks)
		}
	}
	if n := len(h.srv.Calls("users.lookupByEmail")); n != 3 {
		t.Errorf("%d lookups for 3 emails (one in two cases), want 3", n)
	}
	h.clickIn(sample.Manager, dm, sum.TS, bot.ActionImportApplyValid)
	progress := h.waitBotMessage(dm, 1)
	h.waitText(dm, progress.TS, "2 created, 0 updated, 2 invalid rows skipped")
	deals := h.importedDeals()
	if d := deals["hubspot:701"]; len(deals) != 2 || d == nil || d.Owner != sample.Rep1 || deals["hubspot:702"].Owner != sample.Rep1 {
		t.Errorf("deals after the import: %+v", deals)
	}
	if n := len(h.srv.Calls("users.lookupByEmail")); n != 3 {
		t.Errorf("%d lookups after the import, want the dry run's 3: kept for the import", n)
	}

	// The app installed without users:read.email.
	h.srv.SetScopes(slices.DeleteFunc(h.srv.Scopes(), func(s string) bool { return s == "users:read.email" })...)
	_, sum = h.upload(sample.Manager, "owners-2.csv", strings.ReplaceAll(csv, ",70", ",80"))
	if b := string(sum.Blocks); !strings.Contains(b, `unknown owner \"Lea@acme.example\": not looked up in Slack (the bot token lacks users:read.email; reinstall the app with manifests/slack-app.yaml)`) ||
		!strings.Contains(b, "4 invalid") {
		t.Errorf("the summary without users:read.email:\n%s", b)
	}
	if calls := h.srv.Calls("users.lookupByEmail"); len(calls) != 4 || calls[3].Error != "missing_scope" {
		t.Errorf("lookups without the scope: %+v; want one more, refused, then none", calls)
	}
}
