package config

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/dealpilot/dealpilot/domain"
	"github.com/dealpilot/dealpilot/i18n"
)

// Setup is what the offline reports need of c (domain.Setup), for the bot
// to keep in its file.
func (c *Config) Setup() domain.Setup {
	s := domain.Setup{
		Currency:        c.Currency,
		Locale:          string(c.Locale),
		Timezone:        c.Location.String(),
		FiscalYearStart: c.FiscalYearStart,
		Stages:          slices.Clone(c.Stages),
		LossReasons:     slices.Clone(c.LossReasons),
		Nudges:          &domain.SetupNudges{StalledMinDays: c.Nudges.StalledMinDays, HollowWinDiscount: c.Nudges.HollowWinDiscount},
		Commissions:     c.commissionsYAML,
	}
	for _, t := range c.Teams {
		s.Teams = append(s.Teams, domain.SetupTeam{Name: t.Name, Manager: t.Manager, Members: slices.Clone(t.Members), ManagerSells: t.ManagerSells})
	}
	for _, q := range c.Quotas {
		s.Quotas = append(s.Quotas, domain.SetupQuota{User: q.User, Team: q.Team, Period: q.Period, Amount: q.Amount})
	}
	return s
}

// FromSetup is the configuration a report reads from a kept Setup: its
// teams, quotas, calendar, stages, currency, locale, the nudges' KPI
// thresholds and the commission plans (read again by the rules that
// first read them, so a payroll report pays as the bot did), the built-in
// defaults for the rest (no admins, no channels: a report posts nothing).
func FromSetup(s domain.Setup) (*Config, error) {
	c := Default()
	if s.Currency != "" {
		c.Currency = s.Currency
	}
	if s.Locale != "" {
		loc, ok := i18n.ParseLocale(s.Locale)
		if !ok {
			return nil, fmt.Errorf("the kept configuration's locale %q is unknown", s.Locale)
		}
		c.Locale = loc
	}
	if s.Timezone != "" {
		l, err := time.LoadLocation(s.Timezone)
		if err != nil {
			return nil, fmt.Errorf("the kept configuration's time zone %q: %w", s.Timezone, err)
		}
		c.Location = l
	}
	if s.FiscalYearStart >= time.January && s.FiscalYearStart <= time.December {
		c.FiscalYearStart = s.FiscalYearStart
	}
	if len(s.Stages) > 0 {
		c.Stages = slices.Clone(s.Stages)
	}
	if s.LossReasons != nil {
		c.LossReasons = slices.Clone(s.LossReasons)
	}
	for _, t := range s.Teams {
		c.Teams = append(c.Teams, Team{Name: t.Name, Manager: t.Manager, Members: slices.Clone(t.Members), ManagerSells: t.ManagerSells})
	}
	for _, q := range s.Quotas {
		c.Quotas = append(c.Quotas, Quota{User: q.User, Team: q.Team, Period: q.Period, Amount: q.Amount})
	}
	if n := s.Nudges; n != nil {
		// The thresholds the KPIs read, so a report shows the bot's stall
		// limits and hollow wins.
		c.Nudges.StalledMinDays, c.Nudges.HollowWinDiscount = n.StalledMinDays, n.HollowWinDiscount
	}
	if s.Commissions != "" {
		// After the teams and the calendar: plans name their people and
		// periods. Their ids were checked when the bot read the file.
		anyID := IDRule{Match: func(s string) bool { return s != "" }}
		d := &decoder{file: "the kept configuration", ids: IDs{User: anyID, Channel: anyID}}
		root, err := d.document([]byte(s.Commissions))
		if err == nil && root != nil {
			c.Commissions = d.commissions(root, "commissions", c)
			c.commissionsYAML = s.Commissions
		}
		if err == nil && len(d.errs) > 0 {
			err = d.errs
		}
		if err != nil {
			return nil, fmt.Errorf("the kept configuration's commissions: cannot be read again (pass --config FILE): %w", err)
		}
	}
	return c, nil
}

// sectionYAML is a section's node as YAML text without its comments (which
// may say anything and pay nothing), for Setup to keep.
func sectionYAML(n *yaml.Node) string {
	var strip func(*yaml.Node)
	strip = func(n *yaml.Node) {
		n.HeadComment, n.LineComment, n.FootComment = "", "", ""
		for _, c := range n.Content {
			strip(c)
		}
	}
	strip(n)
	out, err := yaml.Marshal(n)
	if err != nil {
		return "" // a node just parsed marshals; without it a report needs --config
	}
	return strings.TrimSpace(string(out)) + "\n"
}
