package main

import (
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/dealpilot/dealpilot/bot/config"
	"github.com/dealpilot/dealpilot/bot/sample"
	slackapp "github.com/dealpilot/dealpilot/bot/slack"
	"github.com/dealpilot/dealpilot/bot/slack/slacktest"
	"github.com/dealpilot/dealpilot/domain"
	"github.com/dealpilot/dealpilot/store"
)

// The bench's simulated company: reps U1000…, ten per team, each team with
// its manager U0M00…; the sample's admin, VP and finance; one channel.
const benchChannel = sample.SalesChannel

// deskChannel is the deal-desk channel of the sample configuration.
const deskChannel = sample.DeskChannel

func benchRep(i int) domain.UserID     { return domain.UserID(fmt.Sprintf("U1%04d", i)) }
func benchManager(t int) domain.UserID { return domain.UserID(fmt.Sprintf("U0M%03d", t)) }

// benchConfigYAML is the configuration of users reps in teams of ten.
func benchConfigYAML(users int) string {
	var b strings.Builder
	b.WriteString("currency: EUR\nlocale: en\ntimezone: Europe/Paris\nfiscal_year_start: 1\nadmins: [U0ADMIN]\nteams:\n")
	for t := 0; t*10 < users; t++ {
		var members []string
		for i := t * 10; i < min(users, t*10+10); i++ {
			members = append(members, string(benchRep(i)))
		}
		fmt.Fprintf(&b, "  - name: Team %d\n    manager: %s\n    members: [%s]\n    channel: %s\n",
			t+1, benchManager(t), strings.Join(members, ", "), sample.ForecastChannel)
	}
	b.WriteString(sample.DeskAndSchedules)
	return b.String()
}

func benchConfig(users int) (*config.Config, error) {
	return config.Parse("bench config", []byte(benchConfigYAML(users)), slackapp.IDs())
}

// addBenchPeople registers the simulated company on the local Slack.
func addBenchPeople(srv *slacktest.Server, users int) {
	for i := range users {
		srv.AddUser(slacktest.User{ID: string(benchRep(i)), Name: fmt.Sprintf("rep%d", i), TZ: "Europe/Paris"})
	}
	for t := 0; t*10 < users; t++ {
		srv.AddUser(slacktest.User{ID: string(benchManager(t)), Name: fmt.Sprintf("manager%d", t), TZ: "Europe/Paris"})
	}
	for _, p := range sample.People {
		srv.AddUser(slacktest.User{ID: string(p.ID), Name: p.Name, RealName: p.RealName, TZ: p.TZ})
	}
	for _, c := range []string{sample.ForecastChannel, sample.DeskChannel, sample.SalesChannel} {
		srv.AddChannel(slacktest.Channel{ID: c, Name: strings.ToLower(c), Members: []string{slacktest.BotUserID}})
	}
}

var (
	benchAccounts = []string{"Acme", "Globex", "Initech", "Umbrella", "Société", "Crédit", "Zürich", "Hooli", "Stark", "Wayne",
		"Wonka", "Cyberdyne", "Soylent", "Tyrell", "Nakatomi", "Gringotts", "Oscorp", "Aperture", "Vandelay", "Monarch"}
	benchSectors = []string{"Générale", "Agricole", "Industries", "Holdings", "Systems", "Logistics", "Energie", "Santé",
		"Finance", "Retail", "Media", "Labs", "Foods", "Motors", "Pharma", "Assurance"}
	benchProducts = []string{"renewal", "pilot", "expansion", "upsell", "migration", "rollout", "audit", "training"}
)

// fillBenchStore writes deals open deals, owned round robin by the users
// reps, with history entries spread evenly, in bulk transactions. Deal i
// (from 0) gets id i+1 in a new file and belongs to rep i % users.
func fillBenchStore(ctx context.Context, db *store.DB, users, deals, history int, now time.Time, progress io.Writer) error {
	r := rand.New(rand.NewPCG(2026, 7))
	today := domain.DateOf(now)
	const chunk = 500
	written := 0
	// history counts every entry in the file: the creation entries of each
	// deal (one per field set) and older ones added to reach the total.
	if deals > 0 {
		probe := &domain.Deal{Name: "x", Account: "x", Owner: "U1", Amount: 1, Currency: "EUR", Stage: "Qualification",
			Category: domain.Pipeline, CloseDate: today, NextStep: "x", NextStepDue: today, Status: domain.Open}
		history = max(0, history-deals*len(domain.Diff(&domain.Deal{}, probe)))
	}
	fields := []domain.Field{domain.FieldAmount, domain.FieldNextStep, domain.FieldNextStepDue, domain.FieldCloseDate, domain.FieldStage}
	for start := 0; start < deals; start += chunk {
		var items []store.Imported
		for i := start; i < min(deals, start+chunk); i++ {
			account := benchAccounts[r.IntN(len(benchAccounts))] + " " + benchSectors[r.IntN(len(benchSectors))]
			owner := benchRep(i % users)
			d := &domain.Deal{
				Name: account + " " + benchProducts[r.IntN(len(benchProducts))], Account: account, Owner: owner,
				Amount: int64(5+r.IntN(95)) * 1_000_00, Currency: "EUR", Stage: "Qualification", Category: domain.Pipeline,
				CloseDate: today.AddDays(30 + r.IntN(120)), NextStep: "Call back", NextStepDue: today.AddDays(1 + r.IntN(20)),
				Status: domain.Open,
			}
			// History entries: deals×history spread evenly, oldest first.
			n := history / deals
			if i < history%deals {
				n++
			}
			h := make([]domain.HistoryEntry, n)
			for k := range h {
				f := fields[k%len(fields)]
				h[k] = domain.HistoryEntry{At: now.Add(-time.Duration(n-k) * time.Hour), By: owner, Field: f,
					Old: fmt.Sprint(k), New: fmt.Sprint(k + 1)}
			}
			items = append(items, store.Imported{Deal: d, By: owner, History: h})
			written += n
		}
		if _, err := db.ImportDeals(ctx, items); err != nil {
			return err
		}
		if progress != nil && (start/chunk)%20 == 19 {
			fmt.Fprintf(progress, "  %d deals, %d history entries…\n", min(deals, start+chunk), written)
		}
	}
	return nil
}

// benchGenerate writes a benchmark file (-gen-file) and its config beside it.
func benchGenerate(ctx context.Context, f benchFlags, stdout io.Writer) error {
	start := time.Now()
	db, err := store.Open(f.genFile, store.Options{})
	if err != nil {
		return err
	}
	if err := fillBenchStore(ctx, db, f.users, f.deals, f.history, time.Now(), stdout); err != nil {
		db.Close()
		return err
	}
	st, err := db.Stats()
	if err != nil {
		db.Close()
		return err
	}
	if err := db.Close(); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "wrote %s: %d deals, %d history entries, %s, in %s (users %d; config: dealbench -startup %s -users %d)\n",
		f.genFile, st.Deals, st.HistoryEntries, mib(st.FileBytes), time.Since(start).Round(time.Millisecond), f.users, f.genFile, f.users)
	return nil
}
