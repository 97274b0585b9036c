package slack

import (
	"testing"

	"github.com/dealpilot/dealpilot/bot"
	"github.com/dealpilot/dealpilot/domain"
	"github.com/dealpilot/dealpilot/i18n"
)

// renewalDeal is a won deal with a type, term and recurring value, named
// with markup that must show as written.
func renewalDeal() *domain.Deal {
	d := openDeal()
	d.Status, d.Type, d.TermMonths, d.Recurring = domain.Won, domain.TypeRenewal, 12, 24_000_00
	return d
}

// TestRenderRetentionGoldens: /pipeline retention's answer, the deal card
// with its contract line, App Home with renewals due, and what /deal churn
// and /deal downgrade answer, in both locales.
func TestRenderRetentionGoldens(t *testing.T) {
	d := renewalDeal()
	money := func(eur int64) domain.Money { return domain.Money{Minor: eur * 100, Currency: "EUR"} }
	for _, loc := range []i18n.Locale{i18n.EN, i18n.FR} {
		golden(t, "retention_"+string(loc), renderReply(loc, sampleRetention("U0REP1")))
		golden(t, "deal_card_contract_"+string(loc), renderReply(loc, bot.Card{Deal: d, Today: dealToday}))
		golden(t, "deal_home_renewals_"+string(loc), renderHome(loc, bot.Home{User: "U0REP1", Today: dealToday, Deals: homeDeals(),
			Renewals: []bot.RenewalDue{{Deal: d, Ends: domain.NewDate(2026, 12, 15), Days: 20}}}))
		golden(t, "account_churned_"+string(loc), renderReply(loc, bot.Notice{Msgs: []bot.Msg{
			bot.M("account.churned", "Acme & Co", domain.NewDate(2026, 11, 20), money(30_000)),
			bot.M("account.hollow", "D-12", 18)}}))
		golden(t, "account_downgraded_"+string(loc), renderReply(loc, bot.Notice{Msgs: []bot.Msg{
			bot.M("account.downgraded", "Acme & Co", domain.NewDate(2026, 11, 24), money(2_000), money(10_000))}}))
	}
}

// TestContractLineOnlyWhenSet: a deal that says nothing of its contract
// shows no contract line (the card's goldens before types stay as they were).
func TestContractLineOnlyWhenSet(t *testing.T) {
	if _, ok := bot.ContractMsg(openDeal()); ok {
		t.Error("a deal without type, term or recurring value has a contract line")
	}
	m, ok := bot.ContractMsg(renewalDeal())
	if !ok {
		t.Fatal("no contract line for a renewal")
	}
	if got, want := text(i18n.EN, m), "renewal · term 12 months · ARR €24,000 (MRR €2,000)"; got != want {
		t.Errorf("contract line = %q; want %q", got, want)
	}
}
