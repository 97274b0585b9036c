package bot_test

// The two-quarter story (testdata/two_quarters/story.md): one document holds
// the team's configuration, every event of its two quarters, and every
// figure the digest, /pipeline and the offline pipeline report show at the
// end, each computed by hand beside it. TestTwoQuarterStory replays the
// events through the bot's own handlers (slash commands, form submissions,
// buttons, the digest's build) on a real bbolt file with a manual clock,
// then flattens each reply struct into "view.Field.Sub = value" lines and
// compares them with the document's: a figure the code shows and the
// document does not state fails, as does a stated figure the code lacks.

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/dealpilot/dealpilot/bot"
	"github.com/dealpilot/dealpilot/bot/config"
	"github.com/dealpilot/dealpilot/bot/sample"
	"github.com/dealpilot/dealpilot/domain"
	"github.com/dealpilot/dealpilot/domain/coaching"
	"github.com/dealpilot/dealpilot/domain/desk"
	"github.com/dealpilot/dealpilot/domain/forecast"
	"github.com/dealpilot/dealpilot/store"
)

const storyFile = "testdata/two_quarters/story.md"

// storyPeople are the story's people by the first name the document uses.
var storyPeople = map[string]domain.UserID{
	"claire": sample.Manager, "lea": sample.Rep1, "hugo": sample.Rep2, "sam": sample.Rep3,
}

// storyEvent is one "@ 2026-07-01 lea verb args" line of the document.
type storyEvent struct {
	line int
	day  domain.Date
	user domain.UserID
	verb string
	args string
}

// storyDoc is what the document says: its configuration, its events and
// its expected figures by key.
type storyDoc struct {
	config   string
	events   []storyEvent
	expected map[string]string
	lineOf   map[string]int
}

var (
	eventLine  = regexp.MustCompile(`^@ (\d{4}-\d{2}-\d{2}) (\w+) (\S+)\s*(.*)$`)
	expectLine = regexp.MustCompile(`^((?:digest|pipeline|q3|slip|losses|q3losses|summary|accuracy|accmonth|rep)(?:\.|\[)\S*) = (.*)$`)
)

func readStory(t *testing.T) storyDoc {
	t.Helper()
	f, err := os.Open(storyFile)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	doc := storyDoc{expected: map[string]string{}, lineOf: map[string]int{}}
	var cfg strings.Builder
	inYAML := false
	sc := bufio.NewScanner(f)
	n := 0
	for sc.Scan() {
		n++
		raw := sc.Text()
		line := strings.TrimSpace(raw)
		switch {
		case line == "```yaml":
			inYAML = true
			continue
		case inYAML && line == "```":
			inYAML = false
			continue
		case inYAML:
			cfg.WriteString(raw + "\n")
			continue
		}
		if m := eventLine.FindStringSubmatch(line); m != nil {
			day, err := domain.ParseISODate(m[1])
			if err != nil {
				t.Fatalf("%s:%d: %v", storyFile, n, err)
			}
			u, ok := storyPeople[m[2]]
			if !ok {
				t.Fatalf("%s:%d: who is %q?", storyFile, n, m[2])
			}
			doc.events = append(doc.events, storyEvent{line: n, day: day, user: u, verb: m[3], args: strings.TrimSpace(m[4])})
			continue
		}
		if m := expectLine.FindStringSubmatch(line); m != nil {
			if prev, dup := doc.lineOf[m[1]]; dup {
				t.Fatalf("%s:%d: %s stated twice (first on line %d)", storyFile, n, m[1], prev)
			}
			doc.expected[m[1]] = strings.TrimSpace(m[2])
			doc.lineOf[m[1]] = n
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	doc.config = cfg.String()
	return doc
}

// storyReplay plays the events on a bot.
type storyReplay struct {
	t     *testing.T
	ctx   context.Context
	b     *bot.Bot
	db    *store.DB
	cfg   *config.Config
	clock *domain.ManualClock
	n     int // submissions so far, for their keys

	digest bot.ForecastDigest // the last digest built
}

// storyHour is when every event happens: 08:00 UTC, a whole number of days
// apart, so stays in a stage are whole days whatever the DST.
const storyHour = 8

func (r *storyReplay) caller(u domain.UserID) bot.Caller {
	return bot.Caller{User: u, Channel: sample.SalesChannel, Mentions: map[string]domain.UserID{
		"@claire": sample.Manager, "@lea": sample.Rep1, "@hugo": sample.Rep2, "@sam": sample.Rep3,
	}}
}

func (r *storyReplay) key() string {
	r.n++
	return "story-" + strconv.Itoa(r.n)
}

func (r *storyReplay) command(c bot.Caller, text string) (bot.Reply, error) {
	name, rest := bot.SplitFirst(text)
	cmd, ok := r.b.Commands()[name]
	if !ok {
		return nil, fmt.Errorf("no command %s", name)
	}
	h, _, args := cmd.Route(rest)
	return h(r.ctx, c, args)
}

// form opens a form with a command and returns it with its initial values.
func (r *storyReplay) form(c bot.Caller, text string) (bot.Form, bot.Values, error) {
	reply, err := r.command(c, text)
	if err != nil {
		return bot.Form{}, nil, err
	}
	of, ok := reply.(bot.OpenForm)
	if !ok {
		return bot.Form{}, nil, fmt.Errorf("%s answered %T, not a form", text, reply)
	}
	v := bot.Values{}
	for _, in := range of.Form.Inputs {
		v[in.Field] = in.Initial
	}
	return of.Form, v, nil
}

func (r *storyReplay) deal(ref string) (*domain.Deal, error) {
	id, ok := domain.ParseRef(ref)
	if !ok {
		return nil, fmt.Errorf("%q is not a deal ref", ref)
	}
	return r.db.Deal(r.ctx, id)
}

func (r *storyReplay) play(e storyEvent) error {
	r.clock.Set(time.Date(e.day.Year, e.day.Month, e.day.Day, storyHour, 0, 0, 0, time.UTC))
	c := r.caller(e.user)
	switch e.verb {
	case "new":
		// new D-1 Name | amount | close | next step | due
		ref, rest := bot.SplitFirst(e.args)
		parts := strings.Split(rest, "|")
		if len(parts) != 5 {
			return fmt.Errorf("new wants: D-n name | amount | close | next step | due")
		}
		for i := range parts {
			parts[i] = strings.TrimSpace(parts[i])
		}
		reply, err := r.b.SubmitNewDeal(r.ctx, c, bot.FormMeta{}, bot.Values{
			domain.FieldName: parts[0], domain.FieldAccount: parts[0], domain.FieldAmount: parts[1],
			domain.FieldCloseDate: parts[2], domain.FieldStage: r.cfg.Stages[0].Name,
			domain.FieldNextStep: parts[3], domain.FieldNextStepDue: parts[4],
		}, r.key())
		if err != nil {
			return err
		}
		if got := reply.(bot.Created).Deal.ID.Ref(); got != ref {
			return fmt.Errorf("created %s, the story says %s", got, ref)
		}
		return nil
	case "qualify":
		// The update form with every qualification field filled in.
		f, v, err := r.form(c, "/deal update "+e.args)
		if err != nil {
			return err
		}
		v[domain.FieldNeed] = "Replace the spreadsheets"
		v[domain.FieldDecisionMakers] = "CEO and CFO"
		v[domain.FieldBudget] = "Approved this year"
		v[domain.FieldTimeline] = "Live next quarter"
		v[domain.FieldRisk] = "Incumbent vendor"
		_, err = r.b.SubmitUpdate(r.ctx, c, f.Meta, v, r.key())
		return err
	case "call":
		// call commit best [team|period] [month=commit]: the call form; the
		// month's commit (asked by a quarter's form) is left empty unless
		// given.
		words := strings.Fields(e.args)
		if len(words) < 2 {
			return fmt.Errorf("call wants: commit best [team|period] [month=commit]")
		}
		month, rest := "", []string{}
		for _, w := range words[2:] {
			if m, ok := strings.CutPrefix(w, "month="); ok {
				month = m
				continue
			}
			rest = append(rest, w)
		}
		f, v, err := r.form(c, strings.TrimSpace("/forecast submit "+strings.Join(rest, " ")))
		if err != nil {
			return err
		}
		if _, asked := v[forecast.FieldMonthCommit]; !asked && month != "" {
			return fmt.Errorf("the form asks no month commit")
		}
		v[forecast.FieldCommit], v[forecast.FieldBestCase], v[forecast.FieldMonthCommit] = words[0], words[1], month
		_, err = r.b.SubmitCall(r.ctx, c, f.Meta, v, r.key())
		return err
	case "discount":
		// discount D-n pct competitor words
		ref, rest := bot.SplitFirst(e.args)
		pct, competitor := bot.SplitFirst(rest)
		f, v, err := r.form(c, "/deal discount "+ref+" "+pct+"%")
		if err != nil {
			return err
		}
		v[desk.FieldJustification] = "Matching " + competitor
		v[desk.FieldCompetitor] = competitor
		reply, err := r.b.SubmitDiscount(r.ctx, c, f.Meta, v, r.key())
		if err != nil {
			return err
		}
		if _, ok := reply.(bot.WithPosts); !ok {
			return fmt.Errorf("the discount request answered %T, not sent", reply)
		}
		return nil
	case "approve":
		d, err := r.deal(e.args)
		if err != nil {
			return err
		}
		reqs, err := r.db.DeskRequests(r.ctx, d.ID, true)
		if err != nil {
			return err
		}
		if len(reqs) != 1 {
			return fmt.Errorf("%d open requests on %s, want 1", len(reqs), e.args)
		}
		_, err = r.b.Action(r.ctx, c, bot.ActionDeskApprove, bot.TurnValue(reqs[0].Request))
		return err
	case "done":
		// The reminder's Done button; the rep then closes the next-step form.
		d, err := r.deal(e.args)
		if err != nil {
			return err
		}
		_, err = r.b.Action(r.ctx, c, bot.ActionNudgeDone, bot.NudgeDoneValue(d))
		return err
	case "digest":
		t, ok := r.cfg.TeamOf(sample.Rep1)
		if !ok {
			return fmt.Errorf("no team")
		}
		d, _, err := r.b.BuildDigest(r.ctx, *t, r.clock.Now())
		r.digest = d
		return err
	}
	if strings.HasPrefix(e.verb, "/") {
		_, err := r.command(c, e.verb+" "+e.args)
		return err
	}
	return fmt.Errorf("unknown verb %q", e.verb)
}

// TestTwoQuarterStory replays the story and checks every figure.
func TestTwoQuarterStory(t *testing.T) {
	doc := readStory(t)
	cfg, err := config.Parse("story.yaml", []byte(doc.config), sample.IDs())
	if err != nil {
		t.Fatal(err)
	}
	clock := domain.NewManualClock(time.Date(2026, 7, 1, storyHour, 0, 0, 0, time.UTC))
	db, err := store.Open(filepath.Join(t.TempDir(), "story.db"), store.Options{Clock: clock})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	r := &storyReplay{t: t, ctx: context.Background(), b: bot.New(bot.Options{Store: db, Config: cfg, Clock: clock}), db: db, cfg: cfg, clock: clock}
	var last domain.Date
	for _, e := range doc.events {
		if e.day.Before(last) {
			t.Fatalf("%s:%d: %s is before the event above it", storyFile, e.line, e.day)
		}
		last = e.day
		if err := r.play(e); err != nil {
			t.Fatalf("%s:%d: %s %s: %v", storyFile, e.line, e.verb, e.args, err)
		}
	}

	got := map[string]string{}
	flatten(got, "digest", reflect.ValueOf(r.digest))
	reply, err := r.command(r.caller(sample.Manager), "/pipeline team quarter")
	if err != nil {
		t.Fatal(err)
	}
	flatten(got, "pipeline", reflect.ValueOf(reply.(bot.Pipeline)))
	q3, err := r.b.PipelineReport(r.ctx, "France", coaching.Period{From: domain.NewDate(2026, 7, 1), To: domain.NewDate(2026, 9, 30)}, clock.Now())
	if err != nil {
		t.Fatal(err)
	}
	flatten(got, "q3", reflect.ValueOf(q3))
	lr, err := r.command(r.caller(sample.Manager), "/pipeline losses team quarter")
	if err != nil {
		t.Fatal(err)
	}
	flatten(got, "losses", reflect.ValueOf(lr.(bot.PipelineLosses)))
	q3l, err := r.b.LossesReport(r.ctx, "France", coaching.Period{From: domain.NewDate(2026, 7, 1), To: domain.NewDate(2026, 9, 30)}, clock.Now())
	if err != nil {
		t.Fatal(err)
	}
	flatten(got, "q3losses", reflect.ValueOf(q3l))
	// The Monday summary: its 90-day KPIs (the team's and each seller's),
	// its trends and its hollow-win scorecard.
	t3, _ := cfg.TeamOf(sample.Rep1)
	sum, err := r.b.ManagerSummary(r.ctx, t3, clock.Now())
	if err != nil {
		t.Fatal(err)
	}
	flatten(got, "summary.Team", reflect.ValueOf(sum.Team))
	flatten(got, "summary.Currency", reflect.ValueOf(sum.Currency))
	flatten(got, "summary.Report", reflect.ValueOf(sum.Report))
	flatten(got, "summary.SlipPeriod", reflect.ValueOf(sum.SlipPeriod))
	flatten(got, "summary.Trend", reflect.ValueOf(sum.Trend))
	flatten(got, "summary.Hollow", reflect.ValueOf(sum.Hollow))
	flatten(got, "summary.HollowReps", reflect.ValueOf(sum.HollowReps))
	flatten(got, "summary.HollowWinBP", reflect.ValueOf(sum.HollowWinBP))
	acc, err := r.command(r.caller(sample.Manager), "/forecast accuracy quarter France")
	if err != nil {
		t.Fatal(err)
	}
	flatten(got, "accuracy", reflect.ValueOf(acc.(bot.ForecastAccuracy)))
	accm, err := r.command(r.caller(sample.Manager), "/forecast accuracy month France")
	if err != nil {
		t.Fatal(err)
	}
	flatten(got, "accmonth", reflect.ValueOf(accm.(bot.ForecastAccuracy)))
	for _, who := range []string{"lea", "hugo", "sam", "claire"} {
		// A rep's own slippage, as /pipeline @rep shows it.
		reply, err := r.command(r.caller(sample.Manager), "/pipeline @"+who+" quarter")
		if err != nil {
			t.Fatal(err)
		}
		p := reply.(bot.Pipeline)
		flatten(got, "slip."+who, reflect.ValueOf(p.Slippage))
		flatten(got, "slip."+who+".month", reflect.ValueOf(p.SlippageMonth))
		// Every other figure of it, under rep.<name>.
		p.Slippage, p.SlippageMonth = forecast.Slip{}, forecast.Slip{}
		flatten(got, "rep."+who, reflect.ValueOf(p))
		for k := range got {
			if strings.HasPrefix(k, "rep."+who+".Slippage") {
				delete(got, k)
			}
		}
	}
	checkStoryReport(t, r.b, reply.(bot.Pipeline), clock.Now())
	checkStoryCSV(t, q3l, acc.(bot.ForecastAccuracy))
	got["pipeline.Leak"] = leakOf(reply.(bot.Pipeline).Metrics)
	got["q3.Leak"] = leakOf(q3.Metrics)

	keys := make([]string, 0, len(got))
	for k := range got {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	var unstated []string
	for _, k := range keys {
		want, ok := doc.expected[k]
		if !ok {
			unstated = append(unstated, k+" = "+got[k])
			continue
		}
		if want != got[k] {
			t.Errorf("%s:%d: %s = %s, the story says %s", storyFile, doc.lineOf[k], k, got[k], want)
		}
	}
	if len(unstated) > 0 {
		t.Errorf("figures the bot shows that %s does not state (%d): compute each by hand in the story, "+
			"step by step, and state it there (never paste these values without checking them):\n%s",
			storyFile, len(unstated), strings.Join(unstated, "\n"))
	}
	for k, n := range doc.lineOf {
		if _, ok := got[k]; !ok {
			t.Errorf("%s:%d: %s is stated but the code shows no such figure", storyFile, n, k)
		}
	}
}

// leakOf is what the leak line names: a stage, "none" (enough exits, no
// loss) or "few" (no stage with enough exits).
func leakOf(m coaching.Metrics) string {
	st, enough := m.Leak()
	switch {
	case !enough:
		return "few"
	case st < 0:
		return "none"
	}
	return m.Conversion[st].Stage
}

// flatten writes v's figures into out as "prefix.Field.Sub" keys: every
// exported field of structs, slices by index with their length, maps by
// sorted key, nil pointers as nil. Amounts are minor units, rates basis
// points, dates ISO: the document states them the same way.
func flatten(out map[string]string, prefix string, v reflect.Value) {
	switch x := v.Interface().(type) {
	case domain.Date:
		out[prefix] = orEmpty(x.String())
		return
	case time.Time:
		out[prefix] = x.UTC().Format(time.RFC3339)
		return
	case bot.Icon: // a style the transport draws, not a figure
		return
	}
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if v.IsNil() {
			out[prefix] = "nil"
			return
		}
		flatten(out, prefix, v.Elem())
	case reflect.Struct:
		for i := 0; i < v.NumField(); i++ {
			f := v.Type().Field(i)
			if !f.IsExported() {
				continue
			}
			if f.Anonymous {
				flatten(out, prefix, v.Field(i))
				continue
			}
			flatten(out, prefix+"."+f.Name, v.Field(i))
		}
	case reflect.Slice, reflect.Array:
		out[prefix+".len"] = strconv.Itoa(v.Len())
		for i := 0; i < v.Len(); i++ {
			flatten(out, fmt.Sprintf("%s[%d]", prefix, i), v.Index(i))
		}
	case reflect.Map:
		out[prefix+".len"] = strconv.Itoa(v.Len())
		ks := v.MapKeys()
		slices.SortFunc(ks, func(a, b reflect.Value) int { return strings.Compare(fmt.Sprint(a), fmt.Sprint(b)) })
		for _, k := range ks {
			flatten(out, fmt.Sprintf("%s[%v]", prefix, k), v.MapIndex(k))
		}
	case reflect.Float32, reflect.Float64:
		out[prefix] = strconv.FormatFloat(v.Float(), 'f', -1, 64)
	default:
		out[prefix] = orEmpty(fmt.Sprint(v.Interface()))
	}
}

// orEmpty writes an empty value as "", which a line can hold.
func orEmpty(s string) string {
	if s == "" {
		return `""`
	}
	return s
}
