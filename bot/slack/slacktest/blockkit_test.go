package slacktest

import (
	"errors"
	"strings"
	"testing"

	"github.com/slack-go/slack"
)

// Block Kit rules Slack enforces and the bot depends on: each case is
// refused by Slack, so it must be refused here, with the JSON pointer of
// the offending field; the OK cases show where the line is.

func rawCell(s string) slack.TableCell { return slack.NewTableRawTextCell(s) }

func userCell(id string) slack.TableCell {
	return slack.NewTableRichTextCell(slack.NewRichTextSection(slack.NewRichTextSectionUserElement(id, nil)))
}

func table(rows int, cells int) *slack.TableBlock {
	t := &slack.TableBlock{Type: slack.MBTTable}
	for r := range rows {
		row := make([]slack.TableCell, cells)
		for c := range cells {
			row[c] = rawCell(strings.Repeat("x", 1+(r+c)%3))
		}
		t.Rows = append(t.Rows, row)
	}
	return t
}

func plainText(s string) *slack.TextBlockObject {
	return slack.NewTextBlockObject(slack.PlainTextType, s, false, false)
}

func TestBlockKitMessageRules(t *testing.T) {
	withUser := table(2, 3)
	withUser.Rows[1][0] = userCell("U0ALICE")
	withUser.ColumnSettings = []slack.ColumnSetting{{Align: slack.ColumnAlignmentLeft, IsWrapped: true}, {Align: slack.ColumnAlignmentRight}}
	emptyCell := table(2, 3)
	emptyCell.Rows[1][2] = rawCell("")
	longCell := table(2, 3)
	longCell.Rows[0][0] = rawCell(strings.Repeat("y", MaxTableCellText+1))
	emptyRich := table(2, 3)
	emptyRich.Rows[1][1] = &slack.TableRichTextCell{Type: slack.TableCellRichText, Elements: []slack.RichTextElement{}}
	longRich := table(2, 3)
	longRich.Rows[1][1] = slack.NewTableRichTextCell(slack.NewRichTextSection(
		slack.NewRichTextSectionTextElement(strings.Repeat("z", MaxTableCellText), nil), slack.NewRichTextSectionUserElement("U0BOB", nil)))
	emptyRow := table(2, 3)
	emptyRow.Rows[1] = []slack.TableCell{}
	noUser := table(2, 3)
	noUser.Rows[1][0] = userCell("")
	badAlign := table(2, 2)
	badAlign.ColumnSettings = []slack.ColumnSetting{{Align: "middle"}}
	noRows := &slack.TableBlock{Type: slack.MBTTable}
	numberCell := table(2, 2)
	numberCell.Rows[1][1] = slack.NewTableRawNumberCell(3)
	twoButtons := slack.NewActionBlock("acts",
		slack.NewButtonBlockElement("go", "1", plainText("One")), slack.NewButtonBlockElement("go", "2", plainText("Two")))
	sameIDTwoBlocks := []slack.Block{
		slack.NewActionBlock("a1", slack.NewButtonBlockElement("go", "1", plainText("One"))),
		slack.NewActionBlock("a2", slack.NewButtonBlockElement("go", "2", plainText("Two"))),
	}
	for _, tt := range []struct {
		name   string
		blocks []slack.Block
		ptr    string // "" when Slack accepts the message
	}{
		{"OK/TableWithMention", []slack.Block{withUser}, ""},
		{"OK/Table100Rows20Cells", []slack.Block{table(MaxTableRows, MaxTableCells)}, ""},
		{"OK/SameActionIDInTwoBlocks", sameIDTwoBlocks, ""},
		{"ErrTable101Rows", []slack.Block{table(MaxTableRows+1, 2)}, "/blocks/0/rows"},
		{"ErrTable21Cells", []slack.Block{table(2, MaxTableCells+1)}, "/blocks/0/rows/0"},
		{"ErrTableNoRows", []slack.Block{noRows}, "/blocks/0/rows"},
		{"ErrTwoTables", []slack.Block{table(2, 2), table(2, 2)}, "/blocks/1"},
		{"ErrEmptyCell", []slack.Block{emptyCell}, "/blocks/0/rows/1/2/text"},
		{"ErrLongCell", []slack.Block{longCell}, "/blocks/0/rows/0/0/text"},
		{"ErrEmptyRichTextCell", []slack.Block{emptyRich}, "/blocks/0/rows/1/1/elements"},
		{"ErrLongRichTextCell", []slack.Block{longRich}, "/blocks/0/rows/1/1/elements"},
		{"ErrEmptyRow", []slack.Block{emptyRow}, "/blocks/0/rows/1"},
		{"ErrMentionWithoutUser", []slack.Block{noUser}, "/blocks/0/rows/1/0/elements/0/elements/0/user_id"},
		{"ErrRawNumberCell", []slack.Block{numberCell}, "/blocks/0/rows/1/1/type"},
		{"ErrColumnAlign", []slack.Block{badAlign}, "/blocks/0/column_settings/0/align"},
		{"ErrDuplicateActionID", []slack.Block{twoButtons}, "/blocks/0/elements/1/action_id"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			srv := newServer(t)
			_, _, err := apiClient(srv).PostMessageContext(testCtx(t), "C0SALES", slack.MsgOptionText("t", false), slack.MsgOptionBlocks(tt.blocks...))
			if tt.ptr == "" {
				if err != nil {
					t.Fatalf("refused: %v %+v", err, detail(err))
				}
				return
			}
			var se slack.SlackErrorResponse
			if !errors.As(err, &se) || se.Err != "invalid_blocks" {
				t.Fatalf("got %v, want invalid_blocks", err)
			}
			if msgs := strings.Join(se.ResponseMetadata.Messages, "\n"); !strings.Contains(msgs, "[json-pointer:"+tt.ptr+"]") {
				t.Fatalf("messages do not point at %s:\n%s", tt.ptr, msgs)
			}
		})
	}
}

func detail(err error) []string {
	var se slack.SlackErrorResponse
	if errors.As(err, &se) {
		return se.ResponseMetadata.Messages
	}
	return nil
}

func TestBlockKitViewRules(t *testing.T) {
	input := func(el slack.BlockElement) *slack.InputBlock {
		return slack.NewInputBlock("in", plainText("Label"), nil, el)
	}
	long := slack.NewPlainTextInputBlockElement(nil, "name")
	long.MaxLength = 5
	long.InitialValue = "123456"
	fits := slack.NewPlainTextInputBlockElement(nil, "name")
	fits.MaxLength = 5
	fits.InitialValue = "12345"
	for _, tt := range []struct {
		name   string
		blocks []slack.Block
		ptr    string
	}{
		{"OK/InitialValueAtMaxLength", []slack.Block{input(fits)}, ""},
		{"ErrInitialValueOverMaxLength", []slack.Block{input(long)}, "/view/blocks/0/element/initial_value"},
		{"ErrButtonInInput", []slack.Block{input(slack.NewButtonBlockElement("b", "v", plainText("Go")))}, "/view/blocks/0/element/type"},
		{"ErrTableInModal", []slack.Block{table(2, 2)}, "/view/blocks/0/type"},
		{"ErrDuplicateActionID", []slack.Block{slack.NewActionBlock("acts",
			slack.NewButtonBlockElement("go", "1", plainText("One")), slack.NewButtonBlockElement("go", "2", plainText("Two")))},
			"/view/blocks/0/elements/1/action_id"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			srv := newServer(t)
			ctx := testCtx(t)
			inv, err := srv.SlashCommand("U0ALICE", "C0SALES", "/deal", "")
			if err != nil {
				t.Fatal(err)
			}
			v := modal("Deal", tt.blocks...)
			_, err = apiClient(srv).OpenViewContext(ctx, inv.TriggerID, v)
			if tt.ptr == "" {
				if err != nil {
					t.Fatalf("refused: %v %+v", err, detail(err))
				}
				return
			}
			var se slack.SlackErrorResponse
			if !errors.As(err, &se) || se.Err != "invalid_arguments" {
				t.Fatalf("got %v, want invalid_arguments", err)
			}
			if msgs := strings.Join(se.ResponseMetadata.Messages, "\n"); !strings.Contains(msgs, "[json-pointer:"+tt.ptr+"]") {
				t.Fatalf("messages do not point at %s:\n%s", tt.ptr, msgs)
			}
		})
	}
}
