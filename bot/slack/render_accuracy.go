package slack

import (
	"strings"

	goslack "github.com/slack-go/slack"

	"github.com/dealpilot/dealpilot/bot"
	"github.com/dealpilot/dealpilot/bot/report"
	"github.com/dealpilot/dealpilot/domain"
	"github.com/dealpilot/dealpilot/domain/forecast"
	"github.com/dealpilot/dealpilot/i18n"
)

// renderForecastAccuracy is /forecast accuracy's reply: the definition,
// one table (a rep per row, shown as the person, then the team), and the
// reps whose calls lean one way.
func renderForecastAccuracy(loc i18n.Locale, a bot.ForecastAccuracy) message {
	title := text(loc, a.Title)
	blocks := titleBlocks(loc, a.Title, bot.M("forecast.accuracy.title_header"))
	blocks = append(blocks, contextBlock(text(loc, bot.M("forecast.accuracy.definition"))))
	if len(a.Periods) == 0 || len(a.Rows) == 0 {
		blocks = append(blocks, section(text(loc, bot.M("forecast.accuracy.none_closed", bot.M("forecast.accuracy.kind."+a.Kind.String())))))
		return message{Text: title, Blocks: blocks}
	}
	head := report.AccuracyHeader(loc, a.Periods)
	settings := make([]goslack.ColumnSetting, len(head))
	headRow := make([]goslack.TableCell, len(head))
	for i, h := range head {
		settings[i] = goslack.ColumnSetting{Align: goslack.ColumnAlignmentRight}
		headRow[i] = rawCell(h)
	}
	settings[0] = goslack.ColumnSetting{Align: goslack.ColumnAlignmentLeft, IsWrapped: true}
	t := &goslack.TableBlock{Type: goslack.MBTTable, BlockID: "accuracy_table", Rows: [][]goslack.TableCell{headRow}, ColumnSettings: settings}
	rows := a.Rows
	if len(rows) > maxTableBody {
		rows = rows[:maxTableBody]
	}
	var over, under domain.UserList
	reps := 0
	for _, r := range a.Rows {
		if u := r.Row.User; u != "" {
			reps++
			switch r.Row.StartBias {
			case forecast.BiasOver:
				over = append(over, u)
			case forecast.BiasUnder:
				under = append(under, u)
			}
		}
	}
	for _, r := range rows {
		cells := report.AccuracyCells(loc, a.Currency, r)
		row := make([]goslack.TableCell, len(cells))
		for i, c := range cells {
			row[i] = rawCell(c)
		}
		if r.Row.User != "" {
			row[0] = userCell(r.Row.User)
		}
		t.Rows = append(t.Rows, row)
	}
	blocks = append(blocks, t)
	if more := len(a.Rows) - len(rows); more > 0 {
		blocks = append(blocks, contextBlock(text(loc, bot.M("forecast.rows_more", more))))
	}
	switch {
	case len(over) > 0 || len(under) > 0:
		var lines []string
		if len(over) > 0 {
			lines = append(lines, text(loc, bot.M("forecast.accuracy.over", over)))
		}
		if len(under) > 0 {
			lines = append(lines, text(loc, bot.M("forecast.accuracy.under", under)))
		}
		blocks = append(blocks, section(truncate(strings.Join(lines, "\n"), maxSectionText)))
	case reps > 0:
		blocks = append(blocks, contextBlock(text(loc, bot.M("forecast.accuracy.nobody"))))
	}
	return message{Text: title, Blocks: blocks}
}
