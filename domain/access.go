package domain

import (
	"strconv"
	"strings"
)

// Org answers who is who: the rules about who may do what ask it.
// bot/config's Config implements it from the configuration file.
type Org interface {
	IsAdmin(user UserID) bool
	// ManagersOf returns the managers of the teams rep belongs to.
	ManagersOf(rep UserID) []UserID
	// Knows reports whether user is an admin, a manager or a team member.
	Knows(user UserID) bool
}

// UserList is a list of users in a message; a transport renders it as
// mentions ("@lea, @hugo or @claire").
type UserList []UserID

// CanEdit says whether user may change deal d: its owner, a manager of the
// owner's team, or an admin. The refusal names who can.
func CanEdit(org Org, user UserID, d *Deal) error {
	if user == d.Owner || org.IsAdmin(user) {
		return nil
	}
	managers := org.ManagersOf(d.Owner)
	for _, m := range managers {
		if m == user {
			return nil
		}
	}
	return Errorf(EFORBIDDEN, "deal.forbidden", d.ID.Ref(), append(UserList{d.Owner}, managers...))
}

// CanOwn says whether user may own deals, and so create one: anyone org
// knows (an admin, a manager, a team member; bot's Org knows everyone on a
// first install that names no teams). The refusal tells them to ask their
// admin.
func CanOwn(org Org, user UserID) error {
	if org.Knows(user) {
		return nil
	}
	return Errorf(EFORBIDDEN, "deal.unknown_user")
}

// CanReassign says whether user may give deal d to another owner: a manager
// of the current owner's team, or an admin.
func CanReassign(org Org, user UserID, d *Deal) error {
	if org.IsAdmin(user) {
		return nil
	}
	managers := org.ManagersOf(d.Owner)
	for _, m := range managers {
		if m == user {
			return nil
		}
	}
	return Errorf(EFORBIDDEN, "deal.forbidden_owner", d.ID.Ref(), managers)
}

// Money is an amount in a currency, for messages: it renders in the locale.
type Money struct {
	Minor    int64
	Currency string
}

// DisplayValue turns a history value (Deal.Get's text form) into something a
// message can show in the reader's locale: amounts as money, dates as dates,
// categories as their labels.
func DisplayValue(f Field, v, currency string) any {
	if _, attr := f.Attr(); attr && v == "" {
		return MessageKey("segment.not_set") // a segment attribute says so
	}
	if v == "" {
		return "—"
	}
	switch f {
	case FieldAmount, FieldRecurring:
		if n, err := parseInt(v); err == nil {
			return Money{n, currency}
		}
	case FieldCloseDate, FieldNextStepDue:
		if d, err := ParseISODate(v); err == nil {
			return d
		}
	case FieldCategory:
		if c, ok := ParseCategory(v); ok {
			return c
		}
	case FieldOwner:
		return UserID(v)
	case FieldStatus:
		return MessageKey("status." + strings.ToLower(v))
	case FieldType:
		if t, ok := ParseDealType(v); ok {
			return MessageKey("deal_type." + string(t))
		}
	case FieldTerm:
		if n, err := parseInt(v); err == nil {
			return Months(n)
		}
	case FieldDiscount:
		if n, err := parseInt(v); err == nil && n >= 0 && n <= maxDiscountBP {
			return Percent(n)
		}
	case FieldSplits:
		if ss, ok := ParseSplits(v); ok {
			return SplitList(ss)
		}
	}
	return v
}

// MessageKey is a catalogue key used as a message argument: the message
// is written in its place.
type MessageKey string

func parseInt(s string) (int64, error) { return strconv.ParseInt(s, 10, 64) }
