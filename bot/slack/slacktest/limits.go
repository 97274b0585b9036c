package slacktest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"regexp"
	"strconv"
	"unicode/utf8"
)

// Documented Slack limits enforced by the server.
const (
	MaxMessageBlocks       = 50
	MaxViewBlocks          = 100
	MaxMessageText         = 40000
	AdvisedMessageText     = 4000
	MaxModalTitle          = 24 // title, submit and close
	MaxHeaderText          = 150
	MaxSectionText         = 3000
	MaxSectionFields       = 10
	MaxSectionFieldText    = 2000
	MaxActionsElements     = 25
	MaxContextElements     = 10
	MaxButtonText          = 75
	MaxButtonValue         = 2000
	MaxOptionText          = 75
	MaxOptionValue         = 150
	MaxSelectOptions       = 100
	MaxID                  = 255 // action_id, block_id, callback_id, external_id
	MaxPrivateMetadata     = 3000
	MaxViewSize            = 250 * 1024
	MaxPushedViews         = 3
	MaxResponseURLUses     = 5
	MaxPlaceholder         = 150
	MaxLabel               = 2000
	MaxOverflowOptions     = 5
	MaxCheckboxOptions     = 10
	MaxPlainTextInputChars = 3000
	// The table block (docs.slack.dev/reference/block-kit/blocks/table-block):
	// up to 100 rows of up to 20 cells, up to 20 column settings. One table
	// per message and no empty cell are what users of it report; Slack
	// documents no cell length, so MaxTableCellText is the section text's
	// limit: an over-long cell is refused here as it is there.
	MaxTableRows           = 100
	MaxTableCells          = 20
	MaxTableColumnSettings = 20
	MaxTableCellText       = 3000
)

// surface is where blocks are displayed.
type surface int

const (
	surfaceMessage surface = iota
	surfaceModal
	surfaceHome
)

func (s surface) String() string {
	switch s {
	case surfaceModal:
		return "modal"
	case surfaceHome:
		return "home"
	default:
		return "message"
	}
}

// validator collects Slack-style error messages:
// "[ERROR] must be less than 3001 characters [json-pointer:/blocks/0/text/text]".
type validator struct {
	errs     []string
	blockIDs map[string]bool
	surface  surface
	hasInput bool
	tables   int // table blocks seen: Slack takes one per message
}

func newValidator(sf surface) *validator {
	return &validator{blockIDs: map[string]bool{}, surface: sf}
}

func (v *validator) add(ptr, format string, args ...any) {
	v.errs = append(v.errs, fmt.Sprintf("[ERROR] %s [json-pointer:%s]", fmt.Sprintf(format, args...), ptr))
}

func runes(s string) int { return utf8.RuneCountInString(s) }

func (v *validator) maxLen(ptr, s string, n int) {
	if runes(s) > n {
		v.add(ptr, "must be less than %d characters", n+1)
	}
}

// decodeJSON decodes raw JSON into generic values.
func decodeJSON(raw []byte) (any, error) {
	var out any
	d := json.NewDecoder(bytes.NewReader(raw))
	d.UseNumber()
	if err := d.Decode(&out); err != nil {
		return nil, err
	}
	return out, nil
}

func str(m map[string]any, k string) string {
	s, _ := m[k].(string)
	return s
}

func obj(v any) map[string]any {
	m, _ := v.(map[string]any)
	return m
}

func arr(v any) []any {
	a, _ := v.([]any)
	return a
}

// text validates a composition text object and returns its text.
func (v *validator) text(ptr string, val any, maxChars int, plainOnly bool) string {
	m := obj(val)
	if m == nil {
		v.add(ptr, "must be a text object")
		return ""
	}
	switch t := str(m, "type"); t {
	case "plain_text":
	case "mrkdwn":
		if plainOnly {
			v.add(ptr+"/type", "must be plain_text")
		}
	default:
		v.add(ptr+"/type", "must be one of plain_text, mrkdwn")
	}
	t := str(m, "text")
	if t == "" {
		v.add(ptr+"/text", "must be more than 0 characters")
	}
	v.maxLen(ptr+"/text", t, maxChars)
	return t
}

// optionalText validates val if present.
func (v *validator) optionalText(ptr string, m map[string]any, key string, maxChars int, plainOnly bool) {
	if val, ok := m[key]; ok && val != nil {
		v.text(ptr+"/"+key, val, maxChars, plainOnly)
	}
}

func (v *validator) id(ptr, s string) {
	if runes(s) > MaxID {
		v.add(ptr, "must be less than %d characters", MaxID+1)
	}
}

// blocks validates a blocks array for the surface.
func (v *validator) blocks(ptr string, val any) {
	list, ok := val.([]any)
	if !ok {
		v.add(ptr, "must be an array")
		return
	}
	limit := MaxMessageBlocks
	if v.surface != surfaceMessage {
		limit = MaxViewBlocks
	}
	if len(list) > limit {
		v.add(ptr, "must be less than %d items", limit+1)
	}
	for i, b := range list {
		v.block(fmt.Sprintf("%s/%d", ptr, i), b)
	}
}

func (v *validator) block(ptr string, val any) {
	b := obj(val)
	if b == nil {
		v.add(ptr, "must be an object")
		return
	}
	if id, ok := b["block_id"]; ok {
		s, _ := id.(string)
		v.id(ptr+"/block_id", s)
		if s != "" {
			if v.blockIDs[s] {
				v.add(ptr+"/block_id", "duplicate block_id %q", s)
			}
			v.blockIDs[s] = true
		}
	}
	switch t := str(b, "type"); t {
	case "section":
		_, hasText := b["text"]
		fields, hasFields := b["fields"]
		if !hasText && !hasFields {
			v.add(ptr, "must provide text or fields")
		}
		if hasText {
			v.text(ptr+"/text", b["text"], MaxSectionText, false)
		}
		if hasFields {
			fl, ok := fields.([]any)
			if !ok {
				v.add(ptr+"/fields", "must be an array")
			}
			if len(fl) > MaxSectionFields {
				v.add(ptr+"/fields", "must be less than %d items", MaxSectionFields+1)
			}
			for i, f := range fl {
				v.text(fmt.Sprintf("%s/fields/%d", ptr, i), f, MaxSectionFieldText, false)
			}
		}
		if acc, ok := b["accessory"]; ok {
			v.element(ptr+"/accessory", acc, "section")
		}
	case "header":
		v.text(ptr+"/text", b["text"], MaxHeaderText, true)
	case "divider":
	case "actions":
		els := arr(b["elements"])
		if len(els) == 0 {
			v.add(ptr+"/elements", "must be more than 0 items")
		}
		if len(els) > MaxActionsElements {
			v.add(ptr+"/elements", "must be less than %d items", MaxActionsElements+1)
		}
		// "Should be unique among all other action_ids in the containing
		// block" (every element's action_id in Slack's reference): two
		// buttons of one actions block with one action_id are refused.
		seen := map[string]bool{}
		for i, e := range els {
			ep := fmt.Sprintf("%s/elements/%d", ptr, i)
			v.element(ep, e, "actions")
			if id := str(obj(e), "action_id"); id != "" {
				if seen[id] {
					v.add(ep+"/action_id", "duplicate action_id %q in the block", id)
				}
				seen[id] = true
			}
		}
	case "context":
		els := arr(b["elements"])
		if len(els) == 0 {
			v.add(ptr+"/elements", "must be more than 0 items")
		}
		if len(els) > MaxContextElements {
			v.add(ptr+"/elements", "must be less than %d items", MaxContextElements+1)
		}
		for i, e := range els {
			ep := fmt.Sprintf("%s/elements/%d", ptr, i)
			if str(obj(e), "type") == "image" {
				v.image(ep, obj(e))
			} else {
				v.text(ep, e, MaxSectionText, false)
			}
		}
	case "input":
		v.hasInput = true
		if v.surface != surfaceModal {
			v.add(ptr+"/type", "input blocks are only allowed in modals, not in a %s", v.surface)
		}
		v.text(ptr+"/label", b["label"], MaxLabel, true)
		v.optionalText(ptr, b, "hint", MaxLabel, true)
		v.dispatchAction(ptr, b)
		if el, ok := b["element"]; ok {
			v.element(ptr+"/element", el, "input")
		} else {
			v.add(ptr+"/element", "is required")
		}
	case "image":
		v.image(ptr, b)
		v.optionalText(ptr, b, "title", MaxLabel, true)
	case "markdown":
		v.maxLen(ptr+"/text", str(b, "text"), 12000)
	case "table":
		v.table(ptr, b)
	case "rich_text", "file", "video", "call":
	case "":
		v.add(ptr+"/type", "is required")
	default:
		v.add(ptr+"/type", "unsupported block type %q", t)
	}
}

// table validates a table block: messages only, one per message, 1 to 100
// rows of 1 to 20 cells, each a raw_text with text or a rich_text with
// content, and column settings Slack knows.
func (v *validator) table(ptr string, b map[string]any) {
	if v.surface != surfaceMessage {
		v.add(ptr+"/type", "table blocks are only allowed in messages, not in a %s", v.surface)
	}
	v.tables++
	if v.tables > 1 {
		v.add(ptr, "only one table block is allowed per message")
	}
	rows, ok := b["rows"].([]any)
	if !ok || len(rows) == 0 {
		v.add(ptr+"/rows", "must be more than 0 items")
	}
	if len(rows) > MaxTableRows {
		v.add(ptr+"/rows", "must be less than %d items", MaxTableRows+1)
	}
	for i, r := range rows {
		rp := fmt.Sprintf("%s/rows/%d", ptr, i)
		cells, ok := r.([]any)
		if !ok || len(cells) == 0 {
			v.add(rp, "must be more than 0 items")
		}
		if len(cells) > MaxTableCells {
			v.add(rp, "must be less than %d items", MaxTableCells+1)
		}
		for j, c := range cells {
			v.tableCell(fmt.Sprintf("%s/%d", rp, j), c)
		}
	}
	if cs, ok := b["column_settings"]; ok {
		list, isList := cs.([]any)
		if !isList {
			v.add(ptr+"/column_settings", "must be an array")
		}
		if len(list) > MaxTableColumnSettings {
			v.add(ptr+"/column_settings", "must be less than %d items", MaxTableColumnSettings+1)
		}
		for i, s := range list {
			sp := fmt.Sprintf("%s/column_settings/%d", ptr, i)
			m := obj(s)
			if m == nil {
				if s != nil { // null keeps a column's default
					v.add(sp, "must be an object")
				}
				continue
			}
			if a, has := m["align"]; has {
				switch a {
				case "left", "center", "right":
				default:
					v.add(sp+"/align", "must be one of left, center, right")
				}
			}
			if w, has := m["is_wrapped"]; has {
				if _, isBool := w.(bool); !isBool {
					v.add(sp+"/is_wrapped", "must be a boolean")
				}
			}
		}
	}
}

// tableCell validates one cell: empty cells are refused.
func (v *validator) tableCell(ptr string, val any) {
	c := obj(val)
	if c == nil {
		v.add(ptr, "must be a raw_text or rich_text cell")
		return
	}
	switch str(c, "type") {
	case "raw_text":
		t := str(c, "text")
		if t == "" {
			v.add(ptr+"/text", "must be more than 0 characters")
		}
		v.maxLen(ptr+"/text", t, MaxTableCellText)
	case "rich_text":
		n := v.richText(ptr+"/elements", c["elements"])
		if n == 0 {
			v.add(ptr+"/elements", "must not be empty")
		}
		if n > MaxTableCellText {
			v.add(ptr+"/elements", "must be less than %d characters", MaxTableCellText+1)
		}
	default:
		v.add(ptr+"/type", "must be one of raw_text, rich_text")
	}
}

// richText validates rich text elements (sections, lists, quotes,
// preformatted holding text, links, users, channels, emoji…) and returns
// the characters they show, a mention counting as one.
func (v *validator) richText(ptr string, val any) int {
	list, ok := val.([]any)
	if !ok {
		v.add(ptr, "must be an array")
		return 0
	}
	n := 0
	for i, e := range list {
		ep := fmt.Sprintf("%s/%d", ptr, i)
		m := obj(e)
		switch t := str(m, "type"); t {
		case "rich_text_section", "rich_text_list", "rich_text_quote", "rich_text_preformatted":
			n += v.richText(ep+"/elements", m["elements"])
		case "text":
			s := str(m, "text")
			if s == "" {
				v.add(ep+"/text", "must be more than 0 characters")
			}
			n += runes(s)
		case "link":
			if str(m, "url") == "" {
				v.add(ep+"/url", "is required")
			}
			n += max(1, runes(str(m, "text")))
		case "user":
			if str(m, "user_id") == "" {
				v.add(ep+"/user_id", "is required")
			}
			n++
		case "channel":
			if str(m, "channel_id") == "" {
				v.add(ep+"/channel_id", "is required")
			}
			n++
		case "usergroup":
			if str(m, "usergroup_id") == "" {
				v.add(ep+"/usergroup_id", "is required")
			}
			n++
		case "emoji", "broadcast", "date", "color":
			n++
		default:
			v.add(ep+"/type", "unsupported rich text element %q", t)
		}
	}
	return n
}

func (v *validator) image(ptr string, m map[string]any) {
	if str(m, "image_url") == "" && m["slack_file"] == nil {
		v.add(ptr, "must provide image_url or slack_file")
	}
	v.maxLen(ptr+"/image_url", str(m, "image_url"), 3000)
	if str(m, "alt_text") == "" {
		v.add(ptr+"/alt_text", "is required")
	}
	v.maxLen(ptr+"/alt_text", str(m, "alt_text"), 2000)
}

var inputOnly = map[string]bool{
	"plain_text_input": true, "email_text_input": true, "url_text_input": true,
	"number_input": true, "rich_text_input": true, "file_input": true,
}

// inputElements are the elements an input block takes (its reference's
// element field): a button, an overflow or an image is refused there.
var inputElements = map[string]bool{
	"plain_text_input": true, "email_text_input": true, "url_text_input": true, "number_input": true,
	"rich_text_input": true, "file_input": true, "checkboxes": true, "radio_buttons": true, "datepicker": true,
	"timepicker": true, "datetimepicker": true, "static_select": true, "multi_static_select": true,
	"external_select": true, "multi_external_select": true, "users_select": true, "multi_users_select": true,
	"conversations_select": true, "multi_conversations_select": true, "channels_select": true, "multi_channels_select": true,
}

var dateRe = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}$`)

// element validates an interactive element; where is "section", "actions" or "input".
func (v *validator) element(ptr string, val any, where string) {
	e := obj(val)
	if e == nil {
		v.add(ptr, "must be an object")
		return
	}
	t := str(e, "type")
	if inputOnly[t] && where != "input" {
		v.add(ptr+"/type", "%s is only allowed in input blocks", t)
	}
	if where == "input" && !inputElements[t] {
		v.add(ptr+"/type", "%s is not allowed in input blocks", t)
	}
	if t == "image" && where != "section" {
		v.add(ptr+"/type", "image elements are not allowed in %s blocks", where)
	}
	if _, ok := e["action_id"]; ok {
		v.id(ptr+"/action_id", str(e, "action_id"))
	}
	v.optionalText(ptr, e, "placeholder", MaxPlaceholder, true)
	v.dispatchConfig(ptr, e)
	switch t {
	case "button":
		v.text(ptr+"/text", e["text"], MaxButtonText, true)
		v.maxLen(ptr+"/value", str(e, "value"), MaxButtonValue)
		v.maxLen(ptr+"/url", str(e, "url"), 3000)
		switch str(e, "style") {
		case "", "primary", "danger":
		default:
			v.add(ptr+"/style", "must be one of primary, danger")
		}
	case "static_select", "multi_static_select":
		opts, hasOpts := e["options"]
		groups, hasGroups := e["option_groups"]
		if hasOpts == hasGroups {
			v.add(ptr, "must provide exactly one of options, option_groups")
		}
		var all []map[string]any
		if hasOpts {
			all = v.options(ptr+"/options", opts, MaxSelectOptions, true)
		}
		if hasGroups {
			gl := arr(groups)
			if len(gl) > MaxSelectOptions {
				v.add(ptr+"/option_groups", "must be less than %d items", MaxSelectOptions+1)
			}
			for i, g := range gl {
				gp := fmt.Sprintf("%s/option_groups/%d", ptr, i)
				v.text(gp+"/label", obj(g)["label"], MaxOptionText, true)
				all = append(all, v.options(gp+"/options", obj(g)["options"], MaxSelectOptions, true)...)
			}
		}
		if io, ok := e["initial_option"]; ok && !optionIn(obj(io), all) {
			v.add(ptr+"/initial_option", "must match one of the options")
		}
		for i, io := range arr(e["initial_options"]) {
			if !optionIn(obj(io), all) {
				v.add(fmt.Sprintf("%s/initial_options/%d", ptr, i), "must match one of the options")
			}
		}
	case "overflow":
		v.options(ptr+"/options", e["options"], MaxOverflowOptions, true)
	case "checkboxes", "radio_buttons":
		all := v.options(ptr+"/options", e["options"], MaxCheckboxOptions, false)
		if io, ok := e["initial_option"]; ok && !optionIn(obj(io), all) {
			v.add(ptr+"/initial_option", "must match one of the options")
		}
		for i, io := range arr(e["initial_options"]) {
			if !optionIn(obj(io), all) {
				v.add(fmt.Sprintf("%s/initial_options/%d", ptr, i), "must match one of the options")
			}
		}
	case "external_select", "multi_external_select":
		if io, ok := e["initial_option"]; ok {
			v.option(ptr+"/initial_option", io, true)
		}
	case "datepicker":
		if d := str(e, "initial_date"); d != "" && !dateRe.MatchString(d) {
			v.add(ptr+"/initial_date", "must be a date in the format YYYY-MM-DD")
		}
	case "plain_text_input":
		v.maxLen(ptr+"/initial_value", str(e, "initial_value"), MaxPlainTextInputChars)
		if n, ok := intField(e, "max_length"); ok && (n < 1 || n > MaxPlainTextInputChars) {
			v.add(ptr+"/max_length", "must be between 1 and %d", MaxPlainTextInputChars)
		}
		if n, ok := intField(e, "min_length"); ok && (n < 0 || n > MaxPlainTextInputChars) {
			v.add(ptr+"/min_length", "must be between 0 and %d", MaxPlainTextInputChars)
		}
		if n, ok := intField(e, "max_length"); ok && runes(str(e, "initial_value")) > n {
			v.add(ptr+"/initial_value", "must be less than %d characters (the element's max_length)", n+1)
		}
	case "image":
		v.image(ptr, e)
	case "users_select", "multi_users_select", "conversations_select", "multi_conversations_select",
		"channels_select", "multi_channels_select", "timepicker", "datetimepicker",
		"email_text_input", "url_text_input", "number_input", "rich_text_input", "file_input", "workflow_button":
	case "":
		v.add(ptr+"/type", "is required")
	default:
		v.add(ptr+"/type", "unsupported element type %q", t)
	}
}

func intField(m map[string]any, k string) (int, bool) {
	switch n := m[k].(type) {
	case json.Number:
		i, err := strconv.Atoi(n.String())
		return i, err == nil
	case float64:
		return int(n), true
	}
	return 0, false
}

func (v *validator) options(ptr string, val any, limit int, plainOnly bool) []map[string]any {
	list, ok := val.([]any)
	if !ok {
		v.add(ptr, "must be an array")
		return nil
	}
	if len(list) == 0 {
		v.add(ptr, "must be more than 0 items")
	}
	if len(list) > limit {
		v.add(ptr, "must be less than %d items", limit+1)
	}
	out := make([]map[string]any, 0, len(list))
	for i, o := range list {
		out = append(out, v.option(fmt.Sprintf("%s/%d", ptr, i), o, plainOnly))
	}
	return out
}

func (v *validator) option(ptr string, val any, plainOnly bool) map[string]any {
	o := obj(val)
	if o == nil {
		v.add(ptr, "must be an object")
		return nil
	}
	v.text(ptr+"/text", o["text"], MaxOptionText, plainOnly)
	if _, ok := o["value"]; !ok {
		v.add(ptr+"/value", "is required")
	}
	v.maxLen(ptr+"/value", str(o, "value"), MaxOptionValue)
	v.optionalText(ptr, o, "description", MaxOptionText, true)
	return o
}

func optionIn(o map[string]any, all []map[string]any) bool {
	for _, a := range all {
		if a != nil && o != nil && str(a, "value") == str(o, "value") {
			return true
		}
	}
	return false
}

// validateMessage checks text and blocks of a message. It returns the Slack
// error code ("" when valid), detail messages and a warning.
func validateMessage(text string, blocksRaw []byte, requireContent bool) (code string, msgs []string, warning string) {
	code, msgs, warning, _ = checkMessage(text, blocksRaw, requireContent)
	return code, msgs, warning
}

// checkMessage is validateMessage that also returns the decoded blocks (nil
// without blocks), so a caller can normalize them without decoding twice.
func checkMessage(text string, blocksRaw []byte, requireContent bool) (code string, msgs []string, warning string, blocks any) {
	hasBlocks := len(bytes.TrimSpace(blocksRaw)) > 0 && string(bytes.TrimSpace(blocksRaw)) != "null"
	if requireContent && text == "" && !hasBlocks {
		return "no_text", nil, "", nil
	}
	if runes(text) > MaxMessageText {
		return "msg_too_long", []string{fmt.Sprintf("[ERROR] must be less than %d characters [json-pointer:/text]", MaxMessageText+1)}, "", nil
	}
	if runes(text) > AdvisedMessageText {
		warning = "message_text_too_long"
	}
	if hasBlocks {
		val, err := decodeJSON(blocksRaw)
		if err != nil {
			return "invalid_blocks_format", []string{"[ERROR] blocks must be valid JSON"}, warning, nil
		}
		v := newValidator(surfaceMessage)
		v.blocks("/blocks", val)
		if len(v.errs) > 0 {
			return "invalid_blocks", v.errs, warning, nil
		}
		blocks = val
	}
	return "", nil, warning, blocks
}

// validateView checks a view object for surface (modal or home). It returns
// the Slack error code ("" when valid) and detail messages.
func validateView(raw []byte, sf surface) (string, []string) {
	if len(raw) > MaxViewSize {
		return "view_too_large", []string{fmt.Sprintf("[ERROR] view must be less than %d bytes [json-pointer:/view]", MaxViewSize)}
	}
	val, err := decodeJSON(raw)
	m := obj(val)
	if err != nil || m == nil {
		return "invalid_arguments", []string{"[ERROR] view must be a JSON object [json-pointer:/view]"}
	}
	v := newValidator(sf)
	switch t := str(m, "type"); {
	case sf == surfaceModal && t != "modal":
		v.add("/view/type", "must be modal")
	case sf == surfaceHome && t != "home":
		v.add("/view/type", "must be home")
	}
	if sf == surfaceModal {
		if m["title"] == nil {
			v.add("/view/title", "is required")
		} else {
			v.text("/view/title", m["title"], MaxModalTitle, true)
		}
		v.optionalText("/view", m, "submit", MaxModalTitle, true)
		v.optionalText("/view", m, "close", MaxModalTitle, true)
	} else {
		for _, k := range []string{"title", "submit", "close"} {
			if m[k] != nil {
				v.add("/view/"+k, "is not allowed in a home view")
			}
		}
	}
	v.maxLen("/view/private_metadata", str(m, "private_metadata"), MaxPrivateMetadata)
	v.id("/view/callback_id", str(m, "callback_id"))
	v.id("/view/external_id", str(m, "external_id"))
	if b, ok := m["blocks"]; ok && b != nil {
		v.blocks("/view/blocks", b)
	} else {
		v.add("/view/blocks", "is required")
	}
	if sf == surfaceModal && v.hasInput && m["submit"] == nil {
		v.add("/view/submit", "is required when the view has input blocks")
	}
	if len(v.errs) > 0 {
		return "invalid_arguments", v.errs
	}
	return "", nil
}

// validateOptions checks a block_suggestion ack ({"options": […]} or {"option_groups": […]}).
func validateOptions(payload []byte) []string {
	val, err := decodeJSON(payload)
	m := obj(val)
	if err != nil || m == nil {
		return []string{"[ERROR] must be a JSON object [json-pointer:/]"}
	}
	v := newValidator(surfaceModal)
	if o, ok := m["options"]; ok {
		if l, isList := o.([]any); isList && len(l) == 0 {
			return nil // no match: Slack shows "No results"
		}
		v.options("/options", o, MaxSelectOptions, true)
	} else if g, ok := m["option_groups"]; ok {
		gl := arr(g)
		if len(gl) > MaxSelectOptions {
			v.add("/option_groups", "must be less than %d items", MaxSelectOptions+1)
		}
		for i, grp := range gl {
			gp := fmt.Sprintf("/option_groups/%d", i)
			v.text(gp+"/label", obj(grp)["label"], MaxOptionText, true)
			v.options(gp+"/options", obj(grp)["options"], MaxSelectOptions, true)
		}
	} else {
		v.add("/options", "is required")
	}
	return v.errs
}

// normalizeBlocks fills in the block_id and action_id Slack generates when
// the app omits them, and returns the re-encoded blocks.
func (s *Server) normalizeBlocksLocked(raw []byte) json.RawMessage {
	if len(bytes.TrimSpace(raw)) == 0 || string(bytes.TrimSpace(raw)) == "null" {
		return nil
	}
	val, err := decodeJSON(raw)
	if err != nil {
		return json.RawMessage(raw)
	}
	return s.fillIDsLocked(val, raw)
}

// fillIDsLocked is normalizeBlocksLocked on blocks already decoded from
// raw. Blocks that needed nothing keep their bytes (compacted) instead of
// being encoded again.
func (s *Server) fillIDsLocked(val any, raw []byte) json.RawMessage {
	filled := false
	for _, b := range arr(val) {
		bm := obj(b)
		if bm == nil {
			continue
		}
		if str(bm, "block_id") == "" {
			bm["block_id"] = s.randAlnumLocked(5)
			filled = true
		}
		var els []any
		switch str(bm, "type") {
		case "actions":
			els = arr(bm["elements"])
		case "section":
			if acc := bm["accessory"]; acc != nil {
				els = []any{acc}
			}
		case "input":
			if el := bm["element"]; el != nil {
				els = []any{el}
			}
		}
		for _, e := range els {
			em := obj(e)
			if em != nil && str(em, "type") != "image" && str(em, "action_id") == "" {
				em["action_id"] = s.randAlnumLocked(5)
				filled = true
			}
		}
	}
	if !filled {
		var buf bytes.Buffer
		if json.Compact(&buf, raw) == nil {
			return buf.Bytes()
		}
	}
	return mustJSON(val)
}

// checkedBlocks is the outcome of checking and normalizing one blocks
// array.
type checkedBlocks struct {
	code       string
	msgs       []string
	normalized json.RawMessage
}

// memoPut stores v under key in *m, a memo of the checks of payloads seen
// before: payloads over 16 kB are not kept, and the memo starts afresh
// when it holds 512 entries.
func memoPut[V any](m *map[string]V, key string, v V) {
	if len(key) > 16<<10 {
		return
	}
	if *m == nil || len(*m) >= 512 {
		*m = map[string]V{}
	}
	(*m)[key] = v
}

// checkMessageLocked is checkMessage followed by the normalization of the
// blocks. Checking is a pure function of the bytes, so blocks seen before
// (the same help or error answer sent again and again under load) are not
// decoded and validated again: the local Slack stands in for Slack's
// servers and should cost the machine it shares with the app as little as
// it can. Identical blocks sent again get the block_id and action_id values
// generated the first time: unique within the message, as Slack's are.
func (s *Server) checkMessageLocked(text string, raw []byte, requireContent bool) (code string, msgs []string, warning string, blocks json.RawMessage) {
	key := string(raw)
	if c, ok := s.checked[key]; ok && len(raw) > 0 {
		code, msgs, warning, _ = checkMessage(text, nil, false) // raw holds blocks: only the text is left to check
		if code != "" {
			return code, msgs, warning, nil
		}
		if c.code != "" {
			return c.code, c.msgs, warning, nil
		}
		return "", nil, warning, c.normalized
	}
	code, msgs, warning, val := checkMessage(text, raw, requireContent)
	if code != "" {
		if code == "invalid_blocks" {
			memoPut(&s.checked, key, checkedBlocks{code: code, msgs: msgs})
		}
		return code, msgs, warning, nil
	}
	if val == nil {
		return "", nil, warning, nil
	}
	blocks = s.fillIDsLocked(val, raw)
	memoPut(&s.checked, key, checkedBlocks{normalized: blocks})
	return "", nil, warning, blocks
}
