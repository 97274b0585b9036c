package main

import (
	"encoding/csv"
	"encoding/json"
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
	fcreport "github.com/dealpilot/dealpilot/bot/report"
	"github.com/dealpilot/dealpilot/bot/sample"
	slackapp "github.com/dealpilot/dealpilot/bot/slack"
	"github.com/dealpilot/dealpilot/domain"
	"github.com/dealpilot/dealpilot/domain/coaching"
	"github.com/dealpilot/dealpilot/i18n"
	"github.com/dealpilot/dealpilot/store"
)

// TestReportPipelineHasEveryFigure: every figure /pipeline answers (the
// bot.Pipeline reply, walked by reflection: a field added to it later
// fails here until the report has it) is in `dealpilot report pipeline`'s
// CSV and JSON with the same value, on the same bbolt file at the same
// instant. Each seller's rows carry what /pipeline @rep answers for them,
// and the hollow-win scorecards are the Monday summary's. The sample's
// year gives wins, losses at several stages, discounts, slips and trends.
func TestReportPipelineHasEveryFigure(t *testing.T) {
	now := time.Date(2026, 11, 30, 7, 10, 0, 0, time.UTC) // the demo's /pipeline scene
	dir := t.TempDir()
	dbPath, cfgPath := filepath.Join(dir, "dealpilot.db"), filepath.Join(dir, "dealpilot.yaml")
	if err := os.WriteFile(cfgPath, []byte(sample.Config), 0o600); err != nil {
		t.Fatal(err)
	}
	cfg, err := config.Parse("sample", []byte(sample.Config), slackapp.IDs())
	if err != nil {
		t.Fatal(err)
	}
	clock := domain.NewManualClock(now)
	db, err := store.Open(dbPath, store.Options{Clock: clock})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := sample.Year(t.Context(), db, clock, now, cfg.Stages); err != nil {
		t.Fatal(err)
	}
	clock.Set(now)
	b := bot.New(bot.Options{Store: db, Config: cfg, Clock: clock})
	ask := func(args string) bot.Pipeline {
		t.Helper()
		h, _, rest := b.Commands()["/pipeline"].Route(args)
		r, err := h(t.Context(), bot.Caller{User: sample.Manager, Channel: sample.SalesChannel,
			Mentions: map[string]domain.UserID{"@1": sample.Rep1, "@2": sample.Rep2, "@3": sample.Rep3}}, rest)
		if err != nil {
			t.Fatal(err)
		}
		return r.(bot.Pipeline)
	}
	team := ask("France 90d")
	reps := map[domain.UserID]bot.Pipeline{sample.Rep1: ask("@1 90d"), sample.Rep2: ask("@2 90d"), sample.Rep3: ask("@3 90d")}
	summary, err := b.ManagerSummary(t.Context(), &cfg.Teams[0], now)
	if err != nil {
		t.Fatal(err)
	}
	// The offline computation is /pipeline's.
	if r, err := b.PipelineReport(t.Context(), "France", team.Period, now); err != nil || !reflect.DeepEqual(r, team) {
		t.Fatalf("PipelineReport differs from /pipeline (%v):\n%+v\n%+v", err, r, team)
	}
	if team.Metrics.Won == 0 || team.Metrics.Lost == 0 || team.Slippage.Slipped == 0 || len(team.Trends) == 0 || summary.Hollow.Won == 0 {
		t.Fatalf("the sample should have wins, losses, a slip, trends and wins to score here: %+v", team)
	}
	db.Close()

	reportNow = func() time.Time { return now }
	t.Cleanup(func() { reportNow = time.Now })
	env := map[string]string{"DEALPILOT_DB": dbPath, "DEALPILOT_CONFIG": cfgPath}
	code, out, errOut := run(t, env, "report", "pipeline", "--team", "France", "--format", "csv")
	if code != exitOK {
		t.Fatalf("csv: exit %d: %s", code, errOut)
	}
	csvSheet := readCSVSheet(t, out)
	code, out, errOut = run(t, env, "report", "pipeline", "--team", "France", "--format", "json")
	if code != exitOK {
		t.Fatalf("json: exit %d: %s", code, errOut)
	}
	jsonSheet := readJSONSheet(t, out)

	for name, sheet := range map[string]sheet{"CSV": csvSheet, "JSON": jsonSheet} {
		t.Run(name, func(t *testing.T) {
			if got, want := sheet.cell(place{kind: "top"}, "scope"), i18n.T(i18n.EN, team.Scope.Key, team.Scope.Args...); got != want {
				t.Errorf("scope = %q, want %q", got, want)
			}
			checkFigures(t, sheet, "", team, true)
			for u, p := range reps {
				checkFigures(t, sheet, u, p, false)
			}
			for _, h := range append([]coaching.Scorecard{summary.Hollow}, summary.HollowReps...) {
				got := map[string]string{}
				flattenFigures(got, "Hollow", reflect.ValueOf(h), team.Currency)
				for path, v := range got {
					col, ok := hollowColumn(path)
					if !ok {
						t.Errorf("coaching.Scorecard field %s has no column in report pipeline: add one (CSV, JSON, README)", path)
						continue
					}
					if col == "" {
						continue
					}
					if c := sheet.cell(place{kind: "who", user: h.Rep}, col); c != v {
						t.Errorf("%s of %q: %s = %q, the Monday summary says %s", col, h.Rep, path, c, v)
					}
				}
			}
			if c := sheet.cell(place{kind: "who"}, "hollow_level_bp"); c != strconv.Itoa(summary.HollowWinBP) {
				t.Errorf("hollow_level_bp = %s, want %d", c, summary.HollowWinBP)
			}
		})
	}
}

// checkFigures compares every leaf of p (the scope's /pipeline answer when
// user is empty, else /pipeline @user's) with the report's cells.
func checkFigures(t *testing.T, s sheet, user domain.UserID, p bot.Pipeline, scope bool) {
	t.Helper()
	got := map[string]string{}
	flattenFigures(got, "", reflect.ValueOf(p), p.Currency)
	paths := make([]string, 0, len(got))
	for k := range got {
		paths = append(paths, k)
	}
	slices.Sort(paths)
	for _, path := range paths {
		v := got[path]
		if !scope && !repFigure.MatchString(path) {
			continue // a seller's row holds their KPIs and slippage; trends are the scope's
		}
		pl, col, ok := locate(p, path, user)
		if !ok {
			t.Errorf("/pipeline's %s (= %s) has no place in report pipeline: add a column (CSV and JSON, README's reports section)", path, v)
			continue
		}
		if col == "" {
			continue // stated elsewhere, see locate
		}
		if c := s.cell(pl, col); c != v {
			t.Errorf("%q %+v: %s = %q, /pipeline says %s = %s", user, pl, col, c, path, v)
		}
	}
}

// repFigure are the paths of a seller's rows.
var repFigure = regexp.MustCompile(`^\.(Metrics|Slippage|SlippageMonth)\.`)

// place says which line of the report holds a figure.
type place struct {
	kind  string        // "top" (once), "who" (the scope's or user's row), "stage" (index of user's), "trend"
	user  domain.UserID // "who" and "stage"
	index int           // "stage" and "trend"
}

var (
	conversionField = regexp.MustCompile(`^\.Metrics\.Conversion\[(\d+)\]\.(\w+)$`)
	perStageField   = regexp.MustCompile(`^\.Metrics\.PerStage\[(\d+)\]\.(\w+)$`)
	slipDeal        = regexp.MustCompile(`^\.Slippage\.Deals\[(\d+)\]$`)
	slipMonthDeal   = regexp.MustCompile(`^\.SlippageMonth\.Deals\[(\d+)\]$`)
	trendField      = regexp.MustCompile(`^\.Trends\[(\d+)\]\.(\w+)$`)
	trendPoint      = regexp.MustCompile(`^\.Trends\[(\d+)\]\.Points\[(\d)\]\.(\w+)$`)
	comparedField   = regexp.MustCompile(`^\.(Compared|SlipCompared)\[(\d)\]\.(\w+)$`)
)

// locate maps a flattened bot.Pipeline path to the report's line and
// column; ok is false for a figure the report lacks. A column "" means the
// figure is stated by another column (a length by the number of lines, a
// period's bounds by its name) or is not one /pipeline shows (Talks).
func locate(p bot.Pipeline, path string, user domain.UserID) (place, string, bool) {
	who := place{kind: "who", user: user}
	top := place{kind: "top"}
	metrics := map[string]string{
		"Won": "won", "Lost": "lost", "WinRateBP": "win_rate_bp", "WonAmount": "won_amount", "AvgWonAmount": "avg_won_amount",
		"CycleMedianDays": "cycle_median_days", "CycleMeanDays": "cycle_mean_days", "AvgDiscountBP": "avg_discount_bp", "Cycles": "cycle_deals",
		"Open": "open", "Stalled": "stalled", "Healthy": "healthy", "HygieneBP": "hygiene_bp", "MissingCriteria": "missing_criteria",
		"OverdueNextSteps": "overdue_next_steps", "PastCloseDates": "past_close_dates",
	}
	slip := map[string]string{"Forecast": "slip_forecast", "Slipped": "slipped", "ForecastAmount": "slip_forecast_amount",
		"SlippedAmount": "slipped_amount", "RateBP": "slip_rate_bp"}
	conversion := map[string]string{"Stage": "stage", "Entered": "cohort_entered", "Advanced": "cohort_advanced", "Lost": "cohort_lost",
		"Open": "cohort_open", "RateBP": "conversion_bp", "LossBP": "cohort_loss_bp"}
	switch {
	case path == ".Scope.Key" || strings.HasPrefix(path, ".Scope.Args"):
		return top, "", true // the scope's label, compared whole
	case path == ".Currency":
		return top, "currency", true
	case path == ".Skipped":
		return who, "skipped_other_currency", true
	case path == ".Period.From":
		return top, "period_from", true
	case path == ".Period.To":
		return top, "period_to", true
	case path == ".SlipPeriod.Name":
		return who, "slip_period", true
	case path == ".SlipPeriod.Kind" || path == ".SlipPeriod.Start" || path == ".SlipPeriod.End":
		return who, "", true // named by slip_period
	case path == ".Metrics.Conversion.len" || path == ".Metrics.PerStage.len":
		return place{kind: "count", user: user}, "stages", true
	case path == ".Trends.len":
		return place{kind: "count"}, "trends", true
	case strings.HasPrefix(path, ".Metrics.Talks"):
		return who, "", true // the Monday summary's; /pipeline does not show them
	case path == ".Slippage.Deals.len":
		return place{kind: "count", user: user}, "slipped", true
	case path == ".SlipMonth.Name":
		return who, "slip_month", true
	case path == ".SlipMonth.Kind" || path == ".SlipMonth.Start" || path == ".SlipMonth.End":
		return who, "", true // named by slip_month
	case path == ".SlippageMonth.Deals.len":
		return place{kind: "count", user: user}, "slip_month_slipped", true
	}
	if f, ok := strings.CutPrefix(path, ".SlippageMonth."); ok && slip[f] != "" {
		month := map[string]string{"Forecast": "slip_month_forecast", "Slipped": "slip_month_slipped",
			"ForecastAmount": "slip_month_forecast_amount", "SlippedAmount": "slip_month_slipped_amount", "RateBP": "slip_month_rate_bp"}
		return who, month[f], true
	}
	if m := slipMonthDeal.FindStringSubmatch(path); m != nil {
		return place{kind: "slipped-month", user: user, index: atoi(m[1])}, "slip_month_deals", true
	}
	if f, ok := strings.CutPrefix(path, ".Metrics."); ok && metrics[f] != "" {
		return who, metrics[f], true
	}
	if f, ok := strings.CutPrefix(path, ".Slippage."); ok && slip[f] != "" {
		return who, slip[f], true
	}
	if m := slipDeal.FindStringSubmatch(path); m != nil {
		return place{kind: "slipped", user: user, index: atoi(m[1])}, "slipped_deals", true
	}
	if m := conversionField.FindStringSubmatch(path); m != nil && conversion[m[2]] != "" {
		return place{kind: "stage", user: user, index: atoi(m[1])}, conversion[m[2]], true
	}
	if m := perStageField.FindStringSubmatch(path); m != nil {
		col := map[string]string{"Stage": "stage", "Deals": "open", "Amount": "open_amount"}[m[2]]
		return place{kind: "stage", user: user, index: atoi(m[1])}, col, col != ""
	}
	if m := trendField.FindStringSubmatch(path); m != nil {
		col := map[string]string{"Figure": "figure", "Stage": "stage"}[m[2]]
		return place{kind: "trend", index: atoi(m[1])}, col, col != ""
	}
	if m := trendPoint.FindStringSubmatch(path); m != nil {
		i := atoi(m[1])
		col := [3]string{"now", "previous", "last_year"}[atoi(m[2])]
		pt := p.Trends[i].Points[atoi(m[2])]
		unit := "BP"
		switch p.Trends[i].Figure {
		case coaching.FigureAvgWon:
			unit = "Amount"
		case coaching.FigureCycle:
			unit = "Days"
		}
		switch {
		case m[3] == "Has":
			return place{kind: "trend-has", index: i}, col, true
		case m[3] == unit && pt.Has:
			return place{kind: "trend", index: i}, col, true
		case m[3] == "BP" || m[3] == "Amount" || m[3] == "Days":
			return place{kind: "trend", index: i}, "", true // another unit's field, or no data: not a figure
		}
		return place{}, "", false
	}
	if m := comparedField.FindStringSubmatch(path); m != nil {
		if len(p.Trends) == 0 {
			return top, "", true // /pipeline names the compared periods only beside a trend
		}
		col := [2]string{"previous_period", "last_year_period"}[atoi(m[2])]
		if m[1] == "SlipCompared" {
			if m[3] != "Name" {
				return top, "", true // named
			}
			return place{kind: "slip-trend"}, col, true
		}
		return place{kind: "interval", index: atoi(m[2])}, col + "." + m[3], true
	}
	return place{}, "", false
}

// hollowColumn maps a flattened coaching.Scorecard path to its column;
// "" for what the rows state otherwise (the seller by user, the wins by
// won and won_amount, checked the same way).
func hollowColumn(path string) (string, bool) {
	col, ok := map[string]string{
		"Hollow.Rep": "", "Hollow.Won": "won", "Hollow.WonAmount": "won_amount",
		"Hollow.Discount": "hollow_discount_amount", "Hollow.Terms": "hollow_terms_amount",
		"Hollow.Unqualified": "hollow_unqualified_amount", "Hollow.Any": "hollow_any_amount",
		"Hollow.DiscountBP": "hollow_discount_bp", "Hollow.TermsBP": "hollow_terms_bp",
		"Hollow.UnqualifiedBP": "hollow_unqualified_bp", "Hollow.AnyBP": "hollow_any_bp",
	}[path]
	return col, ok
}

func atoi(s string) int {
	n, err := strconv.Atoi(s)
	if err != nil {
		panic(err)
	}
	return n
}

// sheet is a report read back: its lines as column → cell text.
type sheet struct {
	top    map[string]string
	who    map[domain.UserID]map[string]string // "" is the scope's row
	stages map[domain.UserID][]map[string]string
	trends []map[string]string
}

// cell is the text at a place and column, "<none>" when there is no such line.
func (s sheet) cell(p place, col string) string {
	var line map[string]string
	switch p.kind {
	case "top":
		line = s.top
	case "who":
		line = s.who[p.user]
	case "slipped", "slipped-month":
		ids := strings.Fields(s.who[p.user]["slipped_deals"])
		if p.kind == "slipped-month" {
			ids = strings.Fields(s.who[p.user]["slip_month_deals"])
		}
		if p.index >= len(ids) {
			return "<none>"
		}
		id, _ := domain.ParseRef(ids[p.index])
		return strconv.FormatUint(uint64(id), 10)
	case "stage":
		if p.index < len(s.stages[p.user]) {
			line = s.stages[p.user][p.index]
		}
	case "trend":
		if p.index < len(s.trends) {
			line = s.trends[p.index]
		}
	case "count":
		switch col {
		case "stages":
			return strconv.Itoa(len(s.stages[p.user]))
		case "trends":
			return strconv.Itoa(len(s.trends))
		case "slip_month_slipped":
			return strconv.Itoa(len(strings.Fields(s.who[p.user]["slip_month_deals"])))
		}
		return strconv.Itoa(len(strings.Fields(s.who[p.user]["slipped_deals"])))
	case "trend-has":
		if p.index < len(s.trends) {
			return strconv.FormatBool(s.trends[p.index][col] != "")
		}
	case "slip-trend":
		for _, tr := range s.trends {
			if tr["figure"] == string(coaching.FigureSlippage) {
				line = tr
			}
		}
	case "interval":
		name, end, _ := strings.Cut(col, ".")
		for _, tr := range s.trends {
			if tr["figure"] != string(coaching.FigureSlippage) {
				from, to, _ := strings.Cut(tr[name], "/")
				return map[string]string{"From": from, "To": to}[end]
			}
		}
	}
	v, ok := line[col]
	if !ok {
		return "<none>"
	}
	return v
}

// readCSVSheet reads the CSV: the top values from its first line.
func readCSVSheet(t *testing.T, out string) sheet {
	t.Helper()
	recs, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	if err != nil || len(recs) < 2 {
		t.Fatalf("csv: %v\n%s", err, out)
	}
	s := sheet{who: map[domain.UserID]map[string]string{}, stages: map[domain.UserID][]map[string]string{}}
	for _, r := range recs[1:] {
		line := map[string]string{}
		for i, c := range recs[0] {
			line[c] = r[i]
		}
		u := domain.UserID(line["user"])
		switch line["row"] {
		case "scope", "rep":
			s.who[u] = line
		case "stage":
			s.stages[u] = append(s.stages[u], line)
		case "trend":
			s.trends = append(s.trends, line)
		default:
			t.Fatalf("csv: a line of row %q", line["row"])
		}
		if s.top == nil {
			s.top = line
		}
	}
	return s
}

// readJSONSheet reads the JSON, each value written as the CSV writes it.
func readJSONSheet(t *testing.T, out string) sheet {
	t.Helper()
	dec := json.NewDecoder(strings.NewReader(out))
	dec.UseNumber()
	var doc map[string]any
	if err := dec.Decode(&doc); err != nil {
		t.Fatalf("json: %v\n%s", err, out)
	}
	text := func(v any) string {
		switch x := v.(type) {
		case nil:
			return ""
		case []any:
			parts := make([]string, len(x))
			for i, p := range x {
				parts[i] = fmt.Sprint(p)
			}
			return strings.Join(parts, " ")
		}
		return fmt.Sprint(v)
	}
	flat := func(m map[string]any) map[string]string {
		out := map[string]string{}
		for k, v := range m {
			if k != "stages" {
				out[k] = text(v)
			}
		}
		return out
	}
	s := sheet{top: flat(doc), who: map[domain.UserID]map[string]string{}, stages: map[domain.UserID][]map[string]string{}}
	for _, r := range doc["rows"].([]any) {
		row := r.(map[string]any)
		u := domain.UserID(text(row["user"]))
		s.who[u] = flat(row)
		for _, st := range row["stages"].([]any) {
			s.stages[u] = append(s.stages[u], flat(st.(map[string]any)))
		}
	}
	for _, tr := range doc["trends"].([]any) {
		s.trends = append(s.trends, flat(tr.(map[string]any)))
	}
	return s
}

// flattenFigures writes v's leaves into out as ".Field.Sub[i]" paths,
// formatted as the report writes them: dates ISO, floats as short as
// they are exact, amounts (int64 minor units) in units of currency as
// report.Units writes them, slices by index with their length.
func flattenFigures(out map[string]string, prefix string, v reflect.Value, currency string) {
	if d, ok := v.Interface().(domain.Date); ok {
		out[prefix] = d.String()
		return
	}
	if _, ok := v.Interface().(bot.Icon); ok { // a style the transport draws, not a figure
		return
	}
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			flattenFigures(out, prefix, v.Elem(), currency)
		}
	case reflect.Struct:
		for i := 0; i < v.NumField(); i++ {
			f := v.Type().Field(i)
			if !f.IsExported() {
				continue
			}
			if f.Anonymous {
				flattenFigures(out, prefix, v.Field(i), currency)
				continue
			}
			flattenFigures(out, prefix+"."+f.Name, v.Field(i), currency)
		}
	case reflect.Slice, reflect.Array:
		if v.Kind() == reflect.Slice {
			out[prefix+".len"] = strconv.Itoa(v.Len())
		}
		for i := 0; i < v.Len(); i++ {
			flattenFigures(out, fmt.Sprintf("%s[%d]", prefix, i), v.Index(i), currency)
		}
	case reflect.Map:
		out[prefix+".len"] = strconv.Itoa(v.Len())
	case reflect.Float32, reflect.Float64:
		out[prefix] = strconv.FormatFloat(v.Float(), 'f', -1, 64)
	case reflect.Int64:
		if v.Type() != reflect.TypeOf(int64(0)) {
			out[prefix] = fmt.Sprint(v.Interface()) // a named type is not an amount
			break
		}
		out[prefix] = fcreport.Units(v.Int(), currency) // every plain int64 of /pipeline's reply is an amount
	default:
		out[prefix] = fmt.Sprint(v.Interface())
	}
}
