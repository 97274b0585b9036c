package bot

import (
	"context"
	"slices"
	"strings"

	"github.com/dealpilot/dealpilot/domain"
	"github.com/dealpilot/dealpilot/domain/retention"
)

// /deal churn <account> [date] [reason] and /deal downgrade <account>
// <amount> [date] [reason] record recurring revenue a customer took away,
// on the account's record. Who may: whoever may change one of the
// account's deals (its owner, the owner's manager, an admin); the account
// is looked up among the deals the caller may read, so an account of
// another team is unknown to them, exactly as its deals are.

// maxSuggestions is how many accounts an unknown one is answered with.
const maxSuggestions = 5

// accountHit is the account the caller's words named: its record and its
// deals the caller may read.
type accountHit struct {
	account *domain.Account
	deals   []*domain.Deal
}

// findAccount reads the longest run of leading words of tokens that names
// an account with deals the caller may read, and returns it with the
// words after it. None: an ENOTFOUND naming the words, with suggestions.
func (b *Bot) findAccount(ctx context.Context, c Caller, tokens []string) (accountHit, []string, error) {
	readable, err := b.sight(c.User).Filter()
	if err != nil {
		return accountHit{}, nil, err
	}
	if len(tokens) == 0 {
		return accountHit{}, nil, domain.Errorf(domain.EINVALID, "account.which")
	}
	for i := min(len(tokens), maxRefWords); i >= 1; i-- {
		name := strings.Join(tokens[:i], " ")
		key := domain.AccountKey(name)
		if key == "" {
			continue
		}
		deals, err := b.store.Deals(ctx, domain.DealFilter{Owners: readable, Words: domain.FoldWords(name)})
		if err != nil {
			return accountHit{}, nil, err
		}
		deals = slices.DeleteFunc(deals, func(d *domain.Deal) bool { return domain.AccountKey(d.Account) != key })
		if len(deals) == 0 {
			continue
		}
		a, ok, err := b.store.Account(ctx, name)
		if err != nil {
			return accountHit{}, nil, err
		}
		if !ok {
			return accountHit{}, nil, domain.Errorf(domain.ENOTFOUND, "account.not_found", name)
		}
		return accountHit{account: a, deals: deals}, tokens[i:], nil
	}
	typed := domain.Clip(strings.Join(tokens, " "), quotedQuery)
	if s := b.suggestAccounts(ctx, readable, tokens[0]); len(s) > 0 {
		return accountHit{}, nil, domain.Errorf(domain.ENOTFOUND, "account.unknown_suggest", typed, strings.Join(s, ", "))
	}
	return accountHit{}, nil, domain.Errorf(domain.ENOTFOUND, "account.unknown", typed)
}

// suggestAccounts names the accounts of the readable deals with a word
// starting like word (at most maxSuggestions, by name).
func (b *Bot) suggestAccounts(ctx context.Context, readable []domain.UserID, word string) []string {
	words := domain.FoldWords(word)
	if len(words) == 0 {
		return nil
	}
	deals, err := b.store.Deals(ctx, domain.DealFilter{Owners: readable, Words: words[:1], Limit: 200})
	if err != nil {
		return nil
	}
	seen := map[string]bool{}
	var out []string
	for _, d := range deals {
		k := domain.AccountKey(d.Account)
		if seen[k] || !slices.ContainsFunc(domain.FoldWords(d.Account), func(w string) bool { return strings.HasPrefix(w, words[0]) }) {
			continue
		}
		seen[k] = true
		out = append(out, d.Account)
	}
	slices.SortFunc(out, func(a, b string) int { return strings.Compare(strings.ToLower(a), strings.ToLower(b)) })
	if len(out) > maxSuggestions {
		out = out[:maxSuggestions]
	}
	return out
}

// canChangeAccount: the caller may change one of the account's deals
// (domain.CanEdit); the refusal names who may.
func (b *Bot) canChangeAccount(c Caller, hit accountHit) error {
	var who domain.UserList
	for _, d := range hit.deals {
		if domain.CanEdit(b.cfg, c.User, d) == nil {
			return nil
		}
		for _, u := range append(domain.UserList{d.Owner}, b.cfg.ManagersOf(d.Owner)...) {
			if !slices.Contains(who, u) {
				who = append(who, u)
			}
		}
	}
	return domain.Errorf(domain.EFORBIDDEN, "account.forbidden", hit.account.Name, who)
}

// canClawBack: a churn or a downgrade takes back the commission every won
// deal of the account paid (bot/commission.go lossesOf), whoever owns it,
// in whatever team: the caller must be able to change each of them (its
// owner, the owner's manager, an admin), not just one deal of the account.
// A won deal the caller reads is named with whose it is and who may; one
// they cannot read is not named (an account name is shared by every team).
func (b *Bot) canClawBack(ctx context.Context, c Caller, hit accountHit) ([]*domain.Deal, error) {
	found, err := b.store.Deals(ctx, domain.DealFilter{Status: domain.Won, Words: domain.FoldWords(hit.account.Name)})
	if err != nil {
		return nil, err
	}
	var won []*domain.Deal
	for _, d := range found {
		if domain.AccountKey(d.Account) != hit.account.Key {
			continue
		}
		won = append(won, d)
		if domain.CanEdit(b.cfg, c.User, d) == nil {
			continue
		}
		if !slices.ContainsFunc(hit.deals, func(r *domain.Deal) bool { return r.ID == d.ID }) {
			return nil, domain.Errorf(domain.EFORBIDDEN, "account.forbidden_unseen", hit.account.Name)
		}
		return nil, domain.Errorf(domain.EFORBIDDEN, "account.forbidden_won", hit.account.Name, d.ID.Ref(), d.Owner,
			append(domain.UserList{}, b.cfg.ManagersOf(d.Owner)...))
	}
	return won, nil
}

// lossTold DMs the people the account's won deals credit whom a plan
// covered on the win's day, other than who recorded the loss: a churn or a
// downgrade may take back what those deals paid them, and they should
// not find it first on their statement.
func (b *Bot) lossTold(c Caller, won []*domain.Deal, msg Msg) []Post {
	if len(b.cfg.Commissions) == 0 {
		return nil
	}
	var to []domain.UserID
	for _, d := range won {
		for _, cr := range d.Credits() {
			if _, _, ok := b.cfg.CommissionFor(cr.User, d.CloseDate); !ok {
				continue // under no plan: the loss takes nothing back from them
			}
			if cr.User != c.User && !slices.Contains(to, cr.User) {
				to = append(to, cr.User)
			}
		}
	}
	var posts []Post
	for _, u := range to {
		posts = append(posts, Post{Run: func(ctx context.Context, m Messenger) error {
			send, cancel := context.WithTimeout(context.WithoutCancel(ctx), dmTimeout)
			defer cancel()
			return m.DM(send, u, Notice{Msgs: []Msg{msg}})
		}})
	}
	return posts
}

// leadingDate reads a date from the first one to three words of rest
// (the longest that reads), and returns it with the words after it;
// ok false when none reads.
func (b *Bot) leadingDate(c Caller, rest []string) (domain.Date, []string, bool) {
	for n := min(3, len(rest)); n >= 1; n-- {
		if d, err := domain.ParseDate(strings.Join(rest[:n], " "), b.cfg.Locale, b.Now(c)); err == nil {
			return d, rest[n:], true
		}
	}
	return domain.Date{}, rest, false
}

// arrOn is the account's ARR at the end of day, from the deals given (the
// ones the caller reads) and its events, in the company's currency.
func (b *Bot) arrOn(hit accountHit, day domain.Date) int64 {
	return retention.ARROn(retention.Timeline(hit.account.Key, hit.deals, hit.account.Events, b.cfg.Currency), day)
}

func (b *Bot) dealChurn(ctx context.Context, c Caller, args string) (Reply, error) {
	if tokens, ok := undoWords(args); ok {
		return b.undoLoss(ctx, c, tokens, domain.EventChurn)
	}
	hit, rest, err := b.findAccount(ctx, c, strings.Fields(args))
	if err != nil {
		return nil, err
	}
	if err := b.canChangeAccount(c, hit); err != nil {
		return nil, err
	}
	won, err := b.canClawBack(ctx, c, hit)
	if err != nil {
		return nil, err
	}
	on, rest, ok := b.leadingDate(c, rest)
	if !ok {
		on = b.Today(c)
	}
	reason := strings.Join(rest, " ")
	if len([]rune(reason)) > domain.MaxTextLen {
		return nil, domain.Errorf(domain.EINVALID, "deal.too_long", domain.FieldLossReason, domain.MaxTextLen)
	}
	lost := b.arrOn(hit, on)
	if lost == 0 && churned(hit.account) {
		return nil, domain.Errorf(domain.EINVALID, "account.already_churned", hit.account.Name)
	}
	a, err := b.store.AddAccountEvent(ctx, hit.account.Name, domain.AccountEvent{
		Kind: domain.EventChurn, On: on, Amount: lost, Currency: b.cfg.Currency, Reason: reason, By: c.User})
	if err != nil {
		return nil, err
	}
	msgs := []Msg{M("account.churned", a.Name, on, domain.Money{Minor: lost, Currency: b.cfg.Currency})}
	if lost == 0 {
		msgs = append(msgs, M("account.no_arr"))
	}
	for _, h := range retention.HollowWins(hit.deals, on) {
		msgs = append(msgs, M("account.hollow", h.Deal.Ref(), h.Days))
	}
	told := b.lossTold(c, won, M("account.churn_told", c.User, a.Name, on))
	return WithPosts{Reply: Notice{Msgs: msgs}, Posts: told}, nil
}

func (b *Bot) dealDowngrade(ctx context.Context, c Caller, args string) (Reply, error) {
	if tokens, ok := undoWords(args); ok {
		return b.undoLoss(ctx, c, tokens, domain.EventDowngrade)
	}
	tokens := strings.Fields(args)
	hit, rest, err := b.findAccount(ctx, c, tokens)
	if err != nil {
		return nil, err
	}
	if err := b.canChangeAccount(c, hit); err != nil {
		return nil, err
	}
	won, err := b.canClawBack(ctx, c, hit)
	if err != nil {
		return nil, err
	}
	// The amount: the longest run of one or two words that reads as one
	// ("48 000" in French is two).
	var amount int64
	read := 0
	for n := min(2, len(rest)); n >= 1 && read == 0; n-- {
		if v, err := domain.ParseAmount(strings.Join(rest[:n], " "), b.cfg.Locale, b.cfg.Currency); err == nil && v > 0 {
			amount, read = v, n
		}
	}
	if read == 0 {
		return nil, domain.Errorf(domain.EINVALID, "account.downgrade_usage")
	}
	on, rest, ok := b.leadingDate(c, rest[read:])
	if !ok {
		on = b.Today(c)
	}
	reason := strings.Join(rest, " ")
	if len([]rune(reason)) > domain.MaxTextLen {
		return nil, domain.Errorf(domain.EINVALID, "deal.too_long", domain.FieldLossReason, domain.MaxTextLen)
	}
	arr := b.arrOn(hit, on)
	if amount > arr {
		return nil, domain.Errorf(domain.EINVALID, "account.downgrade_too_big", hit.account.Name,
			domain.Money{Minor: amount, Currency: b.cfg.Currency}, domain.Money{Minor: arr, Currency: b.cfg.Currency}, on)
	}
	a, err := b.store.AddAccountEvent(ctx, hit.account.Name, domain.AccountEvent{
		Kind: domain.EventDowngrade, On: on, Amount: amount, Currency: b.cfg.Currency, Reason: reason, By: c.User})
	if err != nil {
		return nil, err
	}
	told := b.lossTold(c, won, M("account.downgrade_told", c.User, a.Name, on, domain.Money{Minor: amount, Currency: b.cfg.Currency}))
	return WithPosts{Reply: Notice{Msgs: []Msg{M("account.downgraded", a.Name, on, domain.Money{Minor: amount, Currency: b.cfg.Currency},
		domain.Money{Minor: arr - amount, Currency: b.cfg.Currency})}}, Posts: told}, nil
}

// churned reports whether a's last event is a churn.
func churned(a *domain.Account) bool {
	return len(a.Events) > 0 && a.Events[len(a.Events)-1].Kind == domain.EventChurn
}

// undoWord ends /deal churn <account> undo and /deal downgrade <account>
// undo: it withdraws the account's last churn (or downgrade) recorded.
const undoWord = "undo"

// undoWords reports whether args end with undoWord, and returns the words
// before it.
func undoWords(args string) ([]string, bool) {
	tokens := strings.Fields(args)
	if len(tokens) == 0 || !strings.EqualFold(tokens[len(tokens)-1], undoWord) {
		return nil, false
	}
	return tokens[:len(tokens)-1], true
}

// undoLoss withdraws the account's last recorded event of kind, a churn
// or a downgrade recorded by mistake: allowed to who may record one
// (canChangeAccount and canClawBack) and, when the account has won deals,
// may change what they pay (their owners' manager or an admin: an owner
// would be giving their own commission back), kept on the account's record
// as withdrawn (who, when), so retention and commissions stop counting it
// and a clawback it made is cancelled (in a closed month, as an
// adjustment in the next open one, commission.Settle). The people it
// would have taken commission back from are told, as they were of it.
func (b *Bot) undoLoss(ctx context.Context, c Caller, tokens []string, kind domain.AccountEventKind) (Reply, error) {
	hit, rest, err := b.findAccount(ctx, c, tokens)
	if err != nil {
		return nil, err
	}
	if len(rest) > 0 {
		return nil, domain.Errorf(domain.EINVALID, "account.undo_usage", string(kind), hit.account.Name)
	}
	if err := b.canChangeAccount(c, hit); err != nil {
		return nil, err
	}
	won, err := b.canClawBack(ctx, c, hit)
	if err != nil {
		return nil, err
	}
	// Withdrawing a loss gives back what it took from the people the
	// account's wins credit: like any change of what a won deal pays,
	// that is for its owner's manager or an admin, not its owner.
	for _, d := range won {
		if domain.CanSplit(b.cfg, c.User, d) != nil {
			return nil, domain.Errorf(domain.EFORBIDDEN, "account.undo_pay", hit.account.Name, d.ID.Ref(), domain.UserList(b.cfg.ManagersOf(d.Owner)))
		}
	}
	a, e, err := b.store.WithdrawAccountEvent(ctx, hit.account.Name, kind, c.User)
	if err != nil {
		return nil, err
	}
	lost := domain.Money{Minor: e.Amount, Currency: e.Currency}
	if kind == domain.EventDowngrade {
		told := b.lossTold(c, won, M("account.downgrade_undo_told", c.User, a.Name, e.On, lost))
		return WithPosts{Reply: Notice{Msgs: []Msg{M("account.downgrade_withdrawn", a.Name, e.On, lost, e.By)}}, Posts: told}, nil
	}
	told := b.lossTold(c, won, M("account.churn_undo_told", c.User, a.Name, e.On))
	return WithPosts{Reply: Notice{Msgs: []Msg{M("account.churn_withdrawn", a.Name, e.On, lost, e.By)}}, Posts: told}, nil
}
