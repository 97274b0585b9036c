package bot

import (
	"context"

	"github.com/dealpilot/dealpilot/domain"
)

// FormKind names a form; transports use it as the form's callback id.
type FormKind string

// Forms.
const (
	FormNewDeal    FormKind = "deal_new"
	FormUpdateDeal FormKind = "deal_update"
	FormPickDeal   FormKind = "deal_pick"
	FormNextStep   FormKind = "deal_next"
)

// Action ids of buttons; the value of each is the deal id.
const (
	ActionUpdate   = "deal_update"
	ActionNextStep = "deal_next"
	ActionDiscount = "deal_discount"
	ActionHistory  = "deal_history"
)

// PickField is the deal picker's input id; its options are deal ids.
const PickField domain.Field = "deal"

// InputKind says what widget an input needs.
type InputKind int

// Input kinds.
const (
	TextInput InputKind = iota
	LongTextInput
	DateInput
	SelectInput
	// DealPicker is a type-ahead select whose options the bot suggests as
	// the user types (Bot.SuggestDeals).
	DealPicker
	// CheckboxesInput lets the user tick any of Options; Initial and the
	// submitted value are the ticked options' Values joined by commas.
	CheckboxesInput
)

// Form is a platform-neutral form: a title, inputs, and the context it was
// opened in (Meta), which the transport carries to the submission.
type Form struct {
	Kind   FormKind
	Title  Msg
	Submit Msg
	Inputs []Input
	Meta   FormMeta
	// Intro, when set, is shown above the inputs (the numbers a forecast
	// call is made against).
	Intro Reply
}

// Input is one field of a form. Field doubles as its id: submitted values and
// errors are keyed by it.
type Input struct {
	Field       domain.Field
	Kind        InputKind
	Label       Msg
	Hint        Msg
	Placeholder Msg
	Optional    bool
	Initial     string // text, ISO date, or an option's Value
	Options     []Option
	MaxLen      int
	// Live asks the transport to report each change of this input as the
	// user makes it (a character typed, a box ticked) to the form's
	// ChangeHandler, and to show the form that handler returns in place.
	Live bool
}

// Option is one choice of a select.
type Option struct {
	Value string
	Label Msg
}

// FormMeta is the context a form carries from opening to submission.
type FormMeta struct {
	Deal    domain.DealID `json:"d,omitempty"`
	Version uint64        `json:"v,omitempty"`
	Channel string        `json:"c,omitempty"`
	// Reply is where to confirm the outcome (a Slack response_url); it is
	// opaque to bot.
	Reply string `json:"r,omitempty"`
	// Period and Team are what a forecast call is for.
	Period string `json:"p,omitempty"`
	Team   string `json:"t,omitempty"`
	// Month is the month a quarter's call form also asks a commit for
	// (forecast.FieldMonthCommit), "" when it does not.
	Month string `json:"m,omitempty"`
	// Ref is what a deal-desk form is about beyond the deal (a request
	// and its turn); opaque to the transport.
	Ref string `json:"x,omitempty"`
}

// Values are a submitted form's inputs, keyed by field: text as typed, dates
// as YYYY-MM-DD, selects as the chosen option's Value, empty when left blank.
type Values map[domain.Field]string

// SubmitHandler handles a submitted form. key identifies the submission so
// a redelivery changes nothing twice.
type SubmitHandler func(ctx context.Context, c Caller, meta FormMeta, v Values, key string) (Reply, error)

// ChangeHandler answers a change in a form's Live inputs, made but not yet
// submitted, with the form to show in its place (the same inputs, a
// refreshed Intro and Meta). Values are every input as it stands. Typing
// mistakes are not errors here: the form says what is wrong in its Intro.
type ChangeHandler func(ctx context.Context, c Caller, meta FormMeta, v Values) (Form, error)
