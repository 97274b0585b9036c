package bot_test

import (
	"context"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/dealpilot/dealpilot/bot"
	"github.com/dealpilot/dealpilot/bot/sample"
	"github.com/dealpilot/dealpilot/domain"
	"github.com/dealpilot/dealpilot/i18n"
)

// helpSubs are the subcommands a help line's usage names: the word after
// the command, each of "a|b|c", none for a usage that starts with an
// argument ("/forecast [@user | team]": the command's default).
func helpSubs(t *testing.T, command, usage string) []string {
	t.Helper()
	rest, ok := strings.CutPrefix(usage, command)
	if !ok {
		t.Errorf("help line %q is not about %s", usage, command)
		return nil
	}
	first, _ := bot.SplitFirst(rest)
	if first == "" || strings.ContainsAny(first[:1], "[<@") {
		return nil
	}
	return strings.Split(first, "|")
}

// TestHelpListsWhatIsRouted: every line of each command's help names a
// subcommand that routes there (a usage starting with an argument: the
// command's default), and every /deal subcommand is in its help, but for
// the aliases people type, so that a transport showing Help shows exactly
// what the bot answers. Every message of the help reads in each locale.
// /deal help, /deal alone, an unknown /deal word and Bot.Help are one help;
// /forecast help lists /forecast's lines.
func TestHelpListsWhatIsRouted(t *testing.T) {
	b, _ := deskBot(t)
	ctx := context.Background()
	c := bot.Caller{User: sample.Rep1, Channel: sample.SalesChannel}
	aliases := []string{"add", "create", "edit", "best", "omitted", "win", "lose", "log"}
	for name, cmd := range b.Commands() {
		helped := map[string]bool{}
		for _, line := range cmd.Help {
			readable(t, line.What)
			for _, sub := range helpSubs(t, name, line.Usage) {
				if cmd.Subs[sub] == nil {
					t.Errorf("%s's help names %q, which %s does not route", name, sub, name)
				}
				helped[sub] = true
			}
		}
		if name != "/deal" {
			continue
		}
		for sub := range cmd.Subs {
			if !helped[sub] && !slices.Contains(aliases, sub) {
				t.Errorf("/deal %s is routed but not in /deal help", sub)
			}
		}
		for _, a := range aliases {
			if helped[a] || cmd.Subs[a] == nil {
				t.Errorf("alias %q: in the help %v, routed %v; want routed and not listed", a, helped[a], cmd.Subs[a] != nil)
			}
		}
	}

	want, err := b.Help()
	if err != nil {
		t.Fatal(err)
	}
	h, ok := want.(bot.Help)
	if !ok || h.Intro.Key != "help.intro" || !reflect.DeepEqual(h.Commands, b.Commands()["/deal"].Help) {
		t.Fatalf("Help() is %+v, want the intro and /deal's lines", want)
	}
	deal := b.Commands()["/deal"]
	for _, text := range []string{"help", "", "frobnicate D-1", "HELP"} {
		handler, _, args := deal.Route(text)
		got, err := handler(ctx, c, args)
		if err != nil || !reflect.DeepEqual(got, want) {
			t.Errorf("/deal %q answered %+v, %v; want the /deal help", text, got, err)
		}
	}

	fc := b.Commands()["/forecast"]
	got, err := fc.Subs["help"](ctx, c, "")
	if fh, ok := got.(bot.Help); err != nil || !ok || fh.Intro.Key != "help.forecast.intro" || !reflect.DeepEqual(fh.Commands, fc.Help) || len(fh.Commands) == 0 {
		t.Errorf("/forecast help answered %+v, %v; want its intro and /forecast's lines", got, err)
	} else {
		readable(t, fh.Intro)
	}
}

// TestDMHelpNamesCommandsThatExist: the answer to a message sent to the
// bot directly lists commands each of which routes to a handler, with
// messages that read in each locale.
func TestDMHelpNamesCommandsThatExist(t *testing.T) {
	b, _ := deskBot(t)
	h, ok := b.DMHelp().(bot.Help)
	if !ok || h.Intro.Key != "help.dm.intro" || len(h.Commands) == 0 {
		t.Fatalf("DMHelp is %+v", b.DMHelp())
	}
	readable(t, h.Intro)
	cmds := b.Commands()
	for _, line := range h.Commands {
		readable(t, line.What)
		name, rest := bot.SplitFirst(line.Usage)
		cmd := cmds[name]
		if cmd == nil {
			t.Errorf("DM help line %q names no command", line.Usage)
			continue
		}
		if sub, _ := bot.SplitFirst(rest); sub != "" && cmd.Subs[sub] == nil {
			t.Errorf("DM help line %q names %s %s, which is not routed", line.Usage, name, sub)
		}
	}
}

// readable fails unless m's key is in the catalogue, so that it reads as a
// sentence in each locale rather than as its key.
func readable(t *testing.T, m bot.Msg) {
	t.Helper()
	if !i18n.Has(m.Key) {
		t.Errorf("message %q is not in the catalogue", m.Key)
	}
}

// TestHasActionAgreesWithAction: the transports refuse a button whose
// action id HasAction does not know, so every button the bot puts on its
// messages must be known, and each known one must be answered by Action
// (never "unknown action"); an id it does not know is one Action refuses.
func TestHasActionAgreesWithAction(t *testing.T) {
	b, db := deskBot(t)
	ctx := context.Background()
	d := deskDeal(t, db, sample.Rep1, 1)
	c := bot.Caller{User: sample.Rep1, Channel: sample.SalesChannel}
	known := []string{bot.ActionUpdate, bot.ActionNextStep, bot.ActionHistory, bot.ActionDiscount, bot.ActionSubmitCall,
		bot.ActionNudgeDone, bot.ActionNudgeSnooze1, bot.ActionNudgeSnooze3,
		bot.ActionDeskApprove, bot.ActionDeskReject, bot.ActionDeskChanges, bot.ActionICPAccept, bot.ActionICPDismiss}
	for _, id := range known {
		if !bot.HasAction(id) {
			t.Errorf("HasAction(%q) = false for a button the bot sends", id)
		}
		if _, err := b.Action(ctx, c, id, strconv.FormatUint(uint64(d.ID), 10)); hasKey(err, "deal.unknown_action") {
			t.Errorf("Action(%q) does not know the id: %v", id, err)
		}
	}
	for _, id := range []string{"", "deal_delete", "DEAL_UPDATE", "deal_update ", "desk_withdraw", "nudge_snooze_7"} {
		if bot.HasAction(id) {
			t.Errorf("HasAction(%q) = true", id)
		}
		if _, err := b.Action(ctx, c, id, strconv.FormatUint(uint64(d.ID), 10)); !hasKey(err, "deal.unknown_action") {
			t.Errorf("Action(%q) = %v, want deal.unknown_action", id, err)
		}
	}
}

// TestSubmitCallButtonOpensTheCommandsForm: the digest's "Submit my call"
// button (its value the period) opens the very form /forecast submit opens
// for that period: for a rep their own call, for a manager their team's.
// A period that does not parse, and someone the configuration does not
// know, are refused.
func TestSubmitCallButtonOpensTheCommandsForm(t *testing.T) {
	cfg := sampleConfig(t)
	b, _ := seededBot(t, cfg, time.Date(2026, 11, 30, 9, 5, 0, 0, cfg.Location))
	ctx := context.Background()
	submit := b.Commands()["/forecast"].Subs["submit"]
	for _, u := range []domain.UserID{sample.Rep1, sample.Manager} {
		c := bot.Caller{User: u, Channel: "C0FORECAST"}
		got, err := b.Action(ctx, c, bot.ActionSubmitCall, "2026-Q4")
		if err != nil {
			t.Fatalf("%s: %v", u, err)
		}
		want, err := submit(ctx, c, "2026-Q4")
		if err != nil {
			t.Fatal(err)
		}
		f, ok := got.(bot.OpenForm)
		if !ok || f.Form.Kind != bot.FormForecastCall || f.Form.Meta.Period != "2026-Q4" || !reflect.DeepEqual(got, want) {
			t.Errorf("%s's button opened %+v, want /forecast submit 2026-Q4's %+v", u, got, want)
		}
		if team := f.Form.Meta.Team; (u == sample.Manager) != (team == "France") {
			t.Errorf("%s's call form is for team %q", u, team)
		}
	}
	if _, err := b.Action(ctx, bot.Caller{User: sample.Rep1}, bot.ActionSubmitCall, "2026-Q9"); domain.ErrorCode(err) != domain.EINVALID {
		t.Errorf("a button for 2026-Q9: %v, want EINVALID", err)
	}
	if _, err := b.Action(ctx, bot.Caller{User: stranger}, bot.ActionSubmitCall, "2026-Q4"); domain.ErrorCode(err) != domain.EFORBIDDEN {
		t.Errorf("a stranger's button: %v, want EFORBIDDEN", err)
	}
}
