package bot_test

// The heavy read paths at 100,000 deals and 1,000,000 history entries
// (issue 13, point 6): /pipeline, /forecast, the deal picker, App Home and
// /deal list, each as the user whose answer costs most. The file is built
// in the benchmark's temporary directory (about 6 s, 678 MB), or
// read from DEALPILOT_BENCH_FILE, built there by the first run that names
// it (it is only read):
//
//	DEALPILOT_BENCH_FILE=$D/large.db go test ./bot -run '^$' -bench Large -benchmem -count 3
//
// Besides ns/op, B/op and allocs/op, each benchmark reports the median and
// the 99th percentile of its calls (p50-ms, p99-ms).

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/dealpilot/dealpilot/bot"
	"github.com/dealpilot/dealpilot/bot/config"
	"github.com/dealpilot/dealpilot/bot/sample"
	"github.com/dealpilot/dealpilot/domain"
	"github.com/dealpilot/dealpilot/store"
)

const (
	largeDeals   = 100_000
	largeHistory = 1_000_000
	largeReps    = 100 // ten teams of ten: a team owns 10,000 deals
)

// largeNow is the benchmarks' fixed time.
var largeNow = time.Date(2026, 11, 25, 9, 30, 0, 0, time.UTC)

func largeRep(i int) domain.UserID     { return domain.UserID(fmt.Sprintf("U1%04d", i)) }
func largeManager(t int) domain.UserID { return domain.UserID(fmt.Sprintf("U0M%03d", t)) }

const largeAdmin domain.UserID = "U0ADMIN"

func largeConfig(tb testing.TB) *config.Config {
	var b strings.Builder
	b.WriteString("currency: EUR\nlocale: en\ntimezone: Europe/Paris\nfiscal_year_start: 1\nadmins: [U0ADMIN]\nteams:\n")
	for t := 0; t*10 < largeReps; t++ {
		var members []string
		for i := t * 10; i < t*10+10; i++ {
			members = append(members, string(largeRep(i)))
		}
		fmt.Fprintf(&b, "  - name: Team%d\n    manager: %s\n    members: [%s]\n    channel: C0FORECAST\n",
			t+1, largeManager(t), strings.Join(members, ", "))
	}
	cfg, err := config.Parse("large.yaml", []byte(b.String()), sample.IDs())
	if err != nil {
		tb.Fatal(err)
	}
	return cfg
}

// largeFile returns the path of the 100k-deal file: the one
// DEALPILOT_BENCH_FILE names, built there first when it does not exist
// (beside it, then renamed: a run stopped half-way leaves no file a later
// run would take for a full one); without it, one built in the
// benchmark's temporary directory, removed when it ends.
func largeFile(tb testing.TB) string {
	p := os.Getenv("DEALPILOT_BENCH_FILE")
	if p == "" {
		p = filepath.Join(tb.TempDir(), "large.db")
		if err := buildLarge(p); err != nil {
			tb.Fatal(err)
		}
		return p
	}
	if _, err := os.Stat(p); err == nil {
		return p
	}
	tmp := p + ".building"
	_ = os.Remove(tmp)
	if err := buildLarge(tmp); err != nil {
		tb.Fatal(err)
	}
	if err := os.Rename(tmp, p); err != nil {
		tb.Fatal(err)
	}
	return p
}

// buildLarge writes largeDeals deals owned round robin by the reps, a third
// of them closed (won or lost), with stage, close-date and next-step
// history spread evenly to reach largeHistory entries in the file.
func buildLarge(path string) error {
	ctx := context.Background()
	db, err := store.Open(path, store.Options{Clock: domain.NewManualClock(largeNow.Add(-200 * 24 * time.Hour))})
	if err != nil {
		return err
	}
	r := rand.New(rand.NewPCG(13, 6))
	today := domain.DateOf(largeNow)
	stages := domain.DefaultStages()
	words := []string{"Acme", "Globex", "Initech", "Umbrella", "Société", "Crédit", "Zürich", "Hooli", "Stark", "Wayne",
		"Wonka", "Cyberdyne", "Soylent", "Tyrell", "Nakatomi", "Gringotts", "Oscorp", "Aperture", "Vandelay", "Monarch"}
	sectors := []string{"Générale", "Agricole", "Industries", "Holdings", "Systems", "Logistics", "Energie", "Santé"}
	products := []string{"renewal", "pilot", "expansion", "upsell", "migration", "rollout", "audit", "training"}
	cats := []domain.Category{domain.Pipeline, domain.Upside, domain.BestCase, domain.Commit, domain.Omitted}
	const chunk = 1000
	for start := 0; start < largeDeals; start += chunk {
		items := make([]store.Imported, 0, chunk)
		for i := start; i < start+chunk; i++ {
			account := words[r.IntN(len(words))] + " " + sectors[r.IntN(len(sectors))]
			owner := largeRep(i % largeReps)
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
			h := make([]domain.HistoryEntry, max(2, largeHistory/largeDeals-len(domain.Diff(&domain.Deal{}, d))))
			at := largeNow.Add(-time.Duration(150+r.IntN(30)) * 24 * time.Hour)
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
			items = append(items, store.Imported{Deal: d, By: owner, History: h})
		}
		if _, err := db.ImportDeals(ctx, items); err != nil {
			db.Close()
			return err
		}
	}
	return db.Close()
}

// largeBot is the bot on the large file, at largeNow.
func largeBot(b *testing.B) *bot.Bot {
	path := largeFile(b)
	clock := domain.NewManualClock(largeNow)
	db, err := store.Open(path, store.Options{Clock: clock})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	return bot.New(bot.Options{Store: db, Config: largeConfig(b), Clock: clock})
}

// measure runs call b.N times and reports the median and p99 of its calls.
func measure(b *testing.B, call func() error) {
	b.Helper()
	b.ReportAllocs()
	var ds []time.Duration
	for b.Loop() {
		start := time.Now()
		if err := call(); err != nil {
			b.Fatal(err)
		}
		ds = append(ds, time.Since(start))
	}
	slices.Sort(ds)
	b.ReportMetric(float64(ds[len(ds)/2])/1e6, "p50-ms")
	b.ReportMetric(float64(ds[min(len(ds)-1, len(ds)*99/100)])/1e6, "p99-ms")
}

// command runs one slash command the way the transport does before its ack.
func command(b *testing.B, bt *bot.Bot, name string, user domain.UserID, text string) func() error {
	cmd := bt.Commands()[name]
	return func() error {
		h, _, args := cmd.Route(text)
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		// The transport hands the users the text mentions over as words.
		mentions := map[string]domain.UserID{"@rep3": largeRep(3)}
		reply, err := h(ctx, bot.Caller{User: user, Channel: "C0SALES", Mentions: mentions}, args)
		if err != nil {
			return err // every case here is answered, not refused
		}
		if err == nil && reply == nil {
			return fmt.Errorf("%s %s: no reply", name, text)
		}
		return nil
	}
}

func BenchmarkLarge(b *testing.B) {
	bt := largeBot(b)
	rep, manager := largeRep(7), largeManager(0)
	cases := []struct {
		name string
		call func() error
	}{
		{"Pipeline/Rep", command(b, bt, "/pipeline", rep, "")},
		{"Pipeline/Manager", command(b, bt, "/pipeline", manager, "")},
		{"Pipeline/Admin", command(b, bt, "/pipeline", largeAdmin, "")},
		{"Forecast/Rep", command(b, bt, "/forecast", rep, "")},
		{"Forecast/Manager", command(b, bt, "/forecast", manager, "")},
		{"Forecast/Admin", command(b, bt, "/forecast", largeAdmin, "")},
		{"List/Rep", command(b, bt, "/deal", rep, "list")},
		{"List/ManagerOfRep", command(b, bt, "/deal", manager, "list @rep3")},
		{"Home/Rep", func() error { _, err := bt.Home(context.Background(), bot.Caller{User: rep}); return err }},
	}
	picker := []struct{ name, query string }{
		{"Short", "ac"},
		{"TwoWords", "acme re"},
		{"Long300", strings.Repeat("a ", 150)}, // refused since the cap: the cost of saying so
		{"EightLetters", "a e i o u s r t"},    // the most words accepted, each a common prefix
		{"Eighty", "societe generale agricole industries holdings systems logistics energie"[:71]},
	}
	for _, p := range picker {
		for _, who := range []struct {
			name string
			user domain.UserID
		}{{"Rep", rep}, {"Admin", largeAdmin}} {
			cases = append(cases, struct {
				name string
				call func() error
			}{"Picker/" + p.name + "/" + who.name, func() error {
				_, err := bt.SuggestDeals(context.Background(), bot.Caller{User: who.user}, p.query)
				if domain.ErrorCode(err) == domain.EINVALID {
					return nil // the query is refused: that is the answer
				}
				return err
			}})
		}
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) { measure(b, c.call) })
	}
}
