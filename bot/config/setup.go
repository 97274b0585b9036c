package config

import (
	"fmt"
	"slices"
	"time"

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
// teams, quotas, calendar, stages, currency, locale and the nudges' KPI
// thresholds, the built-in
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
	return c, nil
}
