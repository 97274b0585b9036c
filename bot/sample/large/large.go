// Package large builds the benchmark files of many deals: deals owned round
// robin by the reps U10000…, a third of them closed, with history ten times
// the deals. BenchmarkLarge (bot) reads the 100,000-deal file; dealbench
// scale reads files of 1,000 to 1,000,000 deals. It writes through the
// store's bulk import, as `dealpilot import` does.
package large

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"strings"
	"time"

	"github.com/dealpilot/dealpilot/domain"
	"github.com/dealpilot/dealpilot/store"
)

// Reps own the deals, ten to a team.
const Reps = 100

// HistoryPerDeal is the history entries a deal has in the file, its
// creation's included.
const HistoryPerDeal = 10

// Now is the files' present: deals close and fall due around it.
var Now = time.Date(2026, 11, 25, 9, 30, 0, 0, time.UTC)

// Rep is the i-th rep (from 0), Manager the t-th team's manager.
func Rep(i int) domain.UserID     { return domain.UserID(fmt.Sprintf("U1%04d", i)) }
func Manager(t int) domain.UserID { return domain.UserID(fmt.Sprintf("U0M%03d", t)) }

// Admin is the configurations' admin.
const Admin domain.UserID = "U0ADMIN"

// Cached returns path, building the file there first when it does not exist:
// beside it, then renamed, so a run stopped half-way leaves no file a later
// run would take for a full one. built says whether it was built now.
func Cached(path string, deals int) (built bool, err error) {
	if _, err := os.Stat(path); err == nil {
		return false, nil
	}
	tmp := path + ".building"
	_ = os.Remove(tmp)
	if err := Build(tmp, deals); err != nil {
		_ = os.Remove(tmp)
		return false, err
	}
	return true, os.Rename(tmp, path)
}

// Build writes deals deals owned round robin by the reps (deal i, from 0,
// has id i+1 and belongs to Rep(i % Reps)), a third of them closed (won or
// lost), with stage, close-date and next-step history spread evenly so the
// file holds HistoryPerDeal entries a deal.
func Build(path string, deals int) error {
	ctx := context.Background()
	db, err := store.Open(path, store.Options{Clock: domain.NewManualClock(Now.Add(-200 * 24 * time.Hour))})
	if err != nil {
		return err
	}
	r := rand.New(rand.NewPCG(13, 6))
	// What retention and segments read (industry, contract, account
	// events) is drawn from a stream of its own, so every other field is
	// the one files built before it had.
	r2 := rand.New(rand.NewPCG(21, 5))
	industries := []string{"retail", "software", "manufacturing", "healthcare", "banking", ""}
	today := domain.DateOf(Now)
	stages := domain.DefaultStages()
	words := []string{"Acme", "Globex", "Initech", "Umbrella", "Société", "Crédit", "Zürich", "Hooli", "Stark", "Wayne",
		"Wonka", "Cyberdyne", "Soylent", "Tyrell", "Nakatomi", "Gringotts", "Oscorp", "Aperture", "Vandelay", "Monarch"}
	sectors := []string{"Générale", "Agricole", "Industries", "Holdings", "Systems", "Logistics", "Energie", "Santé"}
	products := []string{"renewal", "pilot", "expansion", "upsell", "migration", "rollout", "audit", "training"}
	cats := []domain.Category{domain.Pipeline, domain.Upside, domain.BestCase, domain.Commit, domain.Omitted}
	const chunk = 1000
	for start := 0; start < deals; start += chunk {
		items := make([]store.Imported, 0, chunk)
		for i := start; i < min(deals, start+chunk); i++ {
			account := words[r.IntN(len(words))] + " " + sectors[r.IntN(len(sectors))]
			owner := Rep(i % Reps)
			st := r.IntN(len(stages))
			d := &domain.Deal{
				Name: account + " " + products[r.IntN(len(products))], Account: account, Owner: owner,
				Amount: int64(5+r.IntN(95)) * 1_000_00, Currency: "EUR", Stage: stages[st].Name, Category: cats[r.IntN(len(cats))],
				CloseDate: today.AddDays(r.IntN(360) - 180), NextStep: "Call back", NextStepDue: today.AddDays(r.IntN(40) - 20),
				Status: domain.Open, Need: "n", DecisionMakers: "d", Budget: "b", Timeline: "t", Risk: "r",
			}
			switch r.IntN(6) {
			case 0:
				d.Status = domain.Won
			case 1:
				d.Status = domain.Lost
			}
			// Creation writes one entry per field set; older entries make
			// up the rest of the deal's share.
			h := make([]domain.HistoryEntry, max(2, HistoryPerDeal-len(domain.Diff(&domain.Deal{}, d))))
			at := Now.Add(-time.Duration(150+r.IntN(30)) * 24 * time.Hour)
			stage := 0
			for k := range h {
				at = at.Add(time.Duration(1+r.IntN(96)) * time.Hour)
				e := domain.HistoryEntry{At: at, By: owner}
				switch k % 3 {
				case 0:
					next := min(stage+1, len(stages)-1)
					e.Field, e.Old, e.New = domain.FieldStage, stages[stage].Name, stages[next].Name
					stage = next
				case 1:
					old := today.AddDays(r.IntN(200) - 100)
					e.Field, e.Old, e.New = domain.FieldCloseDate, old.String(), old.AddDays(r.IntN(30)-10).String()
				default:
					e.Field, e.Old, e.New = domain.FieldNextStep, "Call back", "Send the proposal"
				}
				h[k] = e
			}
			if d.Status != domain.Open {
				h[len(h)-1] = domain.HistoryEntry{At: at, By: owner, Field: domain.FieldStatus, Old: string(domain.Open), New: string(d.Status)}
			}
			// The fields set below add their creation entries: as many
			// of the oldest are dropped, the deal keeps its share.
			before := len(domain.Diff(&domain.Deal{}, d))
			contract(r2, d, industries)
			h = h[min(len(domain.Diff(&domain.Deal{}, d))-before, len(h)-2):]
			items = append(items, store.Imported{Deal: d, By: owner, History: h})
		}
		if _, err := db.ImportDeals(ctx, items); err != nil {
			db.Close()
			return err
		}
	}
	// Accounts (those the deals name): one in eight churned in the last
	// quarter, one in eight downgraded, one in five remembers an industry
	// of its own.
	for i, w := range words {
		for j, s := range sectors {
			name, k := w+" "+s, i*len(sectors)+j
			var err error
			switch k % 8 {
			case 0:
				_, err = db.AddAccountEvent(ctx, name, domain.AccountEvent{Kind: domain.EventChurn, On: today.AddDays(-r2.IntN(90)), By: Admin})
			case 1:
				_, err = db.AddAccountEvent(ctx, name, domain.AccountEvent{Kind: domain.EventDowngrade, On: today.AddDays(-r2.IntN(90)),
					Amount: int64(1+r2.IntN(20)) * 1_000_00, Currency: "EUR", By: Admin})
			}
			if err == nil && k%5 == 0 {
				_, err = db.SetAccountAttributes(ctx, name, map[string]string{"industry": industries[r2.IntN(len(industries)-1)]})
			}
			if domain.ErrorCode(err) == domain.ENOTFOUND {
				continue // no deal of a small file names it
			}
			if err != nil {
				db.Close()
				return err
			}
		}
	}
	return db.Close()
}

// contract gives d an industry (one in six none), and when won a
// contract: its type from its name's product, a term of one to three
// years and a recurring value of a third to all of its amount.
func contract(r *rand.Rand, d *domain.Deal, industries []string) {
	d.Attributes = domain.AttrsOf(map[string]string{"industry": industries[r.IntN(len(industries))]})
	if d.Status != domain.Won {
		return
	}
	switch {
	case strings.HasSuffix(d.Name, " renewal"):
		d.Type = domain.TypeRenewal
	case strings.HasSuffix(d.Name, " expansion"), strings.HasSuffix(d.Name, " upsell"):
		d.Type = domain.TypeExpansion
	}
	d.TermMonths = 12 * (1 + r.IntN(3))
	d.Recurring = d.Amount * int64(1+r.IntN(3)) / 3
}
