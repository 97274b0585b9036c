package domain

import (
	"slices"
	"strconv"
	"strings"
)

// FieldSplits is the people credited with a deal (history's field name).
const FieldSplits Field = "splits"

// Split credits one person with a share of a deal's amount, towards their
// attainment and commission. Revenue splits (Overlay false) share the deal:
// theirs sum to exactly 100 %. An overlay split (a specialist, a partner
// manager) is credited on top, any share, and takes nothing from the others.
type Split struct {
	User    UserID
	Share   int // basis points of the deal's amount, 1 to 10 000
	Overlay bool
}

// MaxSplits bounds the people credited with one deal.
const MaxSplits = 10

// Credits returns who a deal credits and with what share: its splits, or
// its owner with 100 % when it has none.
func (d *Deal) Credits() []Split {
	if len(d.Splits) == 0 {
		return []Split{{User: d.Owner, Share: 10_000}}
	}
	return d.Splits
}

// ValidateSplits checks a deal's splits: each person once, each share from
// 0.01 % to 100 %, at least one revenue split and the revenue splits summing
// to exactly 100 %. No splits at all is valid: the owner has 100 %. Deal.Validate
// holds every deal to it; /deal split also asks the owner be credited
// (SplitsCreditOwner).
func ValidateSplits(owner UserID, ss []Split) error {
	if len(ss) == 0 {
		return nil
	}
	if len(ss) > MaxSplits {
		return FieldErrorf(FieldSplits, "split.too_many", MaxSplits)
	}
	seen := map[UserID]bool{}
	revenue, hasRevenue := 0, false
	for _, s := range ss {
		switch {
		case seen[s.User]:
			return FieldErrorf(FieldSplits, "split.twice", s.User)
		case s.Share <= 0 || s.Share > 10_000:
			return FieldErrorf(FieldSplits, "split.share_range", s.User)
		}
		seen[s.User] = true
		if !s.Overlay {
			revenue += s.Share
			hasRevenue = true
		}
	}
	switch {
	case !hasRevenue:
		return FieldErrorf(FieldSplits, "split.no_revenue", owner)
	case revenue != 10_000:
		return FieldErrorf(FieldSplits, "split.sum", Percent(revenue))
	}
	return nil
}

// SplitsCreditOwner refuses revenue splits that leave out the deal's
// owner: the owner works the deal and answers for it, so a split that
// credits others fully is a change of owner (/deal owner), which hands
// the owner's share over (HandOver).
func SplitsCreditOwner(owner UserID, ss []Split) error {
	for _, s := range ss {
		if !s.Overlay && s.User == owner {
			return nil
		}
	}
	if len(ss) == 0 {
		return nil
	}
	return FieldErrorf(FieldSplits, "split.owner", owner)
}

// HandOver gives the deal to a new owner with the old owner's revenue
// share, added to the new owner's own when they had one (an overlay split
// of the new owner is dropped: they now hold revenue credit). Without
// splits it only changes the owner.
func (d *Deal) HandOver(to UserID) {
	from := d.Owner
	d.Owner = to
	if len(d.Splits) == 0 || from == to {
		return
	}
	var out []Split
	share := 0
	for _, s := range d.Splits {
		if !s.Overlay && s.User == from {
			share += s.Share
			continue
		}
		if s.User == to {
			if !s.Overlay {
				share += s.Share
			}
			continue
		}
		out = append(out, s)
	}
	if share > 0 {
		out = append([]Split{{User: to, Share: share}}, out...)
	}
	d.Splits = out
}

// splitsText is the text form of splits history keeps: "U1:6000;U2:4000;U3:1000:overlay",
// revenue splits first, each group in the order given.
func splitsText(ss []Split) string {
	parts := make([]string, 0, len(ss))
	for _, overlay := range []bool{false, true} {
		for _, s := range ss {
			if s.Overlay != overlay {
				continue
			}
			p := string(s.User) + ":" + strconv.Itoa(s.Share)
			if s.Overlay {
				p += ":overlay"
			}
			parts = append(parts, p)
		}
	}
	return strings.Join(parts, ";")
}

// ParseSplits reads splitsText's form back; ok is false for anything else.
func ParseSplits(s string) ([]Split, bool) {
	if s == "" {
		return nil, true
	}
	var out []Split
	for _, p := range strings.Split(s, ";") {
		f := strings.Split(p, ":")
		if len(f) < 2 || len(f) > 3 || f[0] == "" || len(f) == 3 && f[2] != "overlay" {
			return nil, false
		}
		n, err := strconv.Atoi(f[1])
		if err != nil {
			return nil, false
		}
		out = append(out, Split{User: UserID(f[0]), Share: n, Overlay: len(f) == 3})
	}
	return out, true
}

// SplitList is a deal's splits as a message argument; a transport writes
// each person as a mention with their share ("@alice 60 %, @bruno 40 %,
// overlay @sam 10 %").
type SplitList []Split

// SameSplits reports whether two lists credit the same people the same way,
// whatever their order.
func SameSplits(a, b []Split) bool { return splitsText(sorted(a)) == splitsText(sorted(b)) }

func sorted(ss []Split) []Split {
	ss = slices.Clone(ss)
	slices.SortStableFunc(ss, func(x, y Split) int { return strings.Compare(string(x.User), string(y.User)) })
	return ss
}

// CanSplit says whether user may set who a deal credits: a manager of the
// owner's team or an admin. Not the owner alone: splits decide who is paid
// for the deal, so whoever sets them is not the one they pay. The refusal
// names who can.
func CanSplit(org Org, user UserID, d *Deal) error {
	if org.IsAdmin(user) {
		return nil
	}
	managers := org.ManagersOf(d.Owner)
	for _, m := range managers {
		if m == user {
			return nil
		}
	}
	return Errorf(EFORBIDDEN, "split.forbidden", d.ID.Ref(), UserList(managers))
}

// CanCreditSelf says whether user may set splits ss that credit user
// themselves: only an admin or user's own manager, as with any change of
// one's own pay. Splits that do not credit user need nothing more than
// CanSplit. The refusal names who can.
func CanCreditSelf(org Org, user UserID, ss []Split) error {
	if org.IsAdmin(user) || !slices.ContainsFunc(ss, func(s Split) bool { return s.User == user }) {
		return nil
	}
	if managers := org.ManagersOf(user); len(managers) > 0 {
		return Errorf(EFORBIDDEN, "split.self", UserList(managers))
	}
	return Errorf(EFORBIDDEN, "split.self_admin")
}

// PayFields are what decides what a won deal pays its credited people:
// its amount, currency and approved discount (the credit), its close date
// (the month and plan period it counts in), its type and term (type
// rates, SPIFFs, pro-rata clawbacks), its recurring value (a downgrade
// takes back the share of the ARR lost) and its status (leaving won, then
// winning again with other figures, changes all of it).
var PayFields = []Field{FieldAmount, FieldCurrency, FieldDiscount, FieldCloseDate, FieldType, FieldTerm, FieldRecurring, FieldStatus}

// CanChangeWon says whether user may change deal before into after, once
// CanEdit allowed them the deal: on a won deal, a change of a PayFields
// field is for the owner's manager or an admin, as splits are (the owner
// would be setting their own pay); any other change, and any change of an
// open or lost deal, is CanEdit's alone. The refusal names the field and
// who can.
func CanChangeWon(org Org, user UserID, before, after *Deal) error {
	if before.Status != Won {
		return nil
	}
	for _, f := range PayFields {
		if before.Get(f) == after.Get(f) {
			continue
		}
		if CanSplit(org, user, before) != nil {
			return Errorf(EFORBIDDEN, "deal.won_pay", before.ID.Ref(), f, UserList(org.ManagersOf(before.Owner)))
		}
		return nil
	}
	return nil
}
