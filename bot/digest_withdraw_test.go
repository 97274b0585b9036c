package bot_test

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"github.com/dealpilot/dealpilot/bot"
	"github.com/dealpilot/dealpilot/bot/sample"
	"github.com/dealpilot/dealpilot/domain"
	"github.com/dealpilot/dealpilot/domain/desk"
)

// TestDigestOnRequestWithoutATransport: /forecast digest is the team's
// manager's (or, with one team, an admin's): a rep is refused naming the
// manager, an unknown team is not found. The manager's answer says it is
// being posted and the post is work after the answer: the digest and its
// two files. Asked again once out, it is posted afresh; with the files
// refused, the manager is told they will follow, and asking again then
// uploads them without a second digest. A channel refusing the digest is
// told to the manager and is no error of the work.
func TestDigestOnRequestWithoutATransport(t *testing.T) {
	b, _, _ := mondayBot(t)
	ctx := context.Background()
	digest := b.Commands()["/forecast"].Subs["digest"]
	g := newGate()
	ask := func(u domain.UserID, args string) {
		t.Helper()
		reply, err := digest(ctx, bot.Caller{User: u, Channel: sample.SalesChannel}, args)
		if err != nil {
			t.Fatalf("%s: /forecast digest %s: %v", u, args, err)
		}
		w, ok := reply.(bot.WithPosts)
		if ms := threadMsgs(unwrapPosts(reply)); !ok || len(w.Posts) != 1 || len(ms) != 1 || ms[0].Key != "forecast.digest_posting" {
			t.Fatalf("%s: /forecast digest %s answered %+v, want the posting notice and its post", u, args, reply)
		}
		if err := w.Posts[0].Run(ctx, g); err != nil {
			t.Fatalf("%s: the digest's post: %v", u, err)
		}
	}

	if _, err := digest(ctx, bot.Caller{User: sample.Rep1}, ""); !hasKey(err, "forecast.digest_forbidden") {
		t.Errorf("a rep's /forecast digest: %v, want forecast.digest_forbidden", err)
	}
	if _, err := digest(ctx, bot.Caller{User: sample.Rep1}, "France"); !hasKey(err, "forecast.digest_forbidden") {
		t.Errorf("a rep's /forecast digest France: %v, want forecast.digest_forbidden", err)
	}
	if _, err := digest(ctx, bot.Caller{User: sample.Manager}, "Nowhere"); domain.ErrorCode(err) != domain.ENOTFOUND || !hasKey(err, "forecast.no_team") {
		t.Errorf("/forecast digest Nowhere: %v, want forecast.no_team", err)
	}
	if n := len(g.since(0)); n != 0 {
		t.Fatalf("refusals said %d things", n)
	}

	ask(sample.Manager, "")
	if n := digestsIn(g.since(0), "C0FORECAST"); n != 1 || g.uploaded() != 2 {
		t.Fatalf("%d digests and %d files, want the digest and its two files", n, g.uploaded())
	}
	ask(sample.Admin, "France")
	if n := digestsIn(g.since(0), "C0FORECAST"); n != 2 || g.uploaded() != 4 {
		t.Errorf("asked again: %d digests and %d files, want a second posting with its files", n, g.uploaded())
	}

	g.set(g.closedUploads, "C0FORECAST", true)
	from := g.count()
	ask(sample.Manager, "")
	if n := digestsIn(g.since(from), "C0FORECAST"); n != 1 || g.uploaded() != 4 {
		t.Errorf("files refused: %d digests and %d files, want the digest alone", n, g.uploaded())
	}
	if told := toldKeys(g.since(from), sample.Manager); !slices.Contains(told, "post.files.not_in_channel") {
		t.Errorf("the manager was told %v, want the files' refusal", told)
	}
	g.set(g.closedUploads, "C0FORECAST", false)
	from = g.count()
	ask(sample.Manager, "")
	if n := digestsIn(g.since(from), "C0FORECAST"); n != 0 || g.uploaded() != 6 {
		t.Errorf("asked again for the missing files: %d digests and %d files, want the two files alone", n, g.uploaded())
	}

	g.set(g.closedPosts, "C0FORECAST", true)
	from = g.count()
	ask(sample.Manager, "")
	if n := digestsIn(g.since(from), "C0FORECAST"); n != 0 {
		t.Errorf("a closed channel got %d digests", n)
	}
	if told := toldKeys(g.since(from), sample.Manager); !slices.Contains(told, "post.failed.not_in_channel") {
		t.Errorf("the manager was told %v, want how to invite the bot", told)
	}
}

// TestWithdrawWithoutATransport: /deal withdraw needs a deal, and a
// request of the caller's on it: none is not found, another's is refused
// naming its requester. The rep's own is withdrawn: stored, and after the
// answer its message shows it and its thread says so; sent by DM instead
// (no desk channel), its approvers are told by DM. Withdrawn, there is
// nothing left to withdraw.
func TestWithdrawWithoutATransport(t *testing.T) {
	for _, channel := range []bool{true, false} {
		t.Run(fmt.Sprintf("channel=%v", channel), func(t *testing.T) {
			cfg := securityConfig(t)
			if !channel {
				cfg = configWith(t, "  channel: C0DESK\n", "")
			}
			cd, b := newChainDeskWith(t, cfg, "15")
			ctx := context.Background()
			withdraw := b.Commands()["/deal"].Subs["withdraw"]
			rep := bot.Caller{User: sample.Rep1, Channel: sample.SalesChannel}
			ref := cd.deal.ID.Ref()

			if _, err := withdraw(ctx, rep, " "); !hasKey(err, "deskbot.withdraw_usage") {
				t.Errorf("/deal withdraw alone: %v, want the usage", err)
			}
			if _, err := withdraw(ctx, bot.Caller{User: sample.Manager}, ref); domain.ErrorCode(err) != domain.EFORBIDDEN || !hasKey(err, "desk.withdraw_not_yours") {
				t.Errorf("the manager withdrawing Rep1's request: %v, want desk.withdraw_not_yours", err)
			}
			if r := cd.request(); r.Status != desk.StatusPending {
				t.Fatalf("after a refusal the request is %s", r.Status)
			}
			from := cd.rec.count()
			reply, err := withdraw(ctx, rep, ref)
			if err != nil {
				t.Fatal(err)
			}
			if ms := threadMsgs(unwrapPosts(reply)); len(ms) != 1 || ms[0].Key != "deskbot.withdrawn" {
				t.Errorf("the rep was answered %+v, want deskbot.withdrawn", reply)
			}
			if r := cd.request(); r.Status != desk.StatusWithdrawn {
				t.Errorf("stored %s, want withdrawn", r.Status)
			}
			if n := len(cd.rec.since(from)); n != 0 {
				t.Errorf("%d things said before the answer's work ran", n)
			}
			cd.run(reply)
			said := cd.rec.since(from)
			if channel {
				if !cd.updated(said) {
					t.Errorf("the request's message was not updated: %+v", said)
				}
				if m, ok := cd.thread(said)["deskbot.thread.withdrawn"]; !ok || !msgNames(m, sample.Rep1) {
					t.Errorf("the thread was told %+v, want the withdrawal by Rep1", cd.thread(said))
				}
				if d := dms(said); len(d) != 0 {
					t.Errorf("DMs %+v; the channel shows it", d)
				}
			} else {
				d := dms(said)
				if len(d) != 1 || len(d[sample.Manager]) != 1 {
					t.Fatalf("DMs %+v; want the manager, its approver, told", d)
				}
				if ms := threadMsgs(d[sample.Manager][0]); len(ms) != 1 || ms[0].Key != "deskbot.dm.withdrawn" || !msgNames(ms[0], sample.Rep1) {
					t.Errorf("the manager was told %+v", d[sample.Manager][0])
				}
			}
			if _, err := withdraw(ctx, rep, ref); domain.ErrorCode(err) != domain.ENOTFOUND || !hasKey(err, "deskbot.withdraw_none") {
				t.Errorf("withdrawing again: %v, want deskbot.withdraw_none", err)
			}
		})
	}
}
