package coaching_test

import (
	"slices"
	"testing"
	"time"

	"github.com/dealpilot/dealpilot/domain"
	"github.com/dealpilot/dealpilot/domain/coaching"
)

func TestDueAt(t *testing.T) {
	paris, ny := zone(t, "Europe/Paris"), zone(t, "America/New_York")
	tests := []struct {
		name   string
		day    string
		loc    *time.Location
		hh, mm int
		want   string // UTC
	}{
		{"ParisWinter", "2026-03-27", paris, 9, 0, "2026-03-27 08:00"},
		{"ParisDSTSwitchDay", "2026-03-29", paris, 9, 0, "2026-03-29 07:00"}, // clocks went 02:00 → 03:00 CEST
		{"ParisSummer", "2026-03-30", paris, 9, 0, "2026-03-30 07:00"},
		{"ParisGapMovesForward", "2026-03-29", paris, 2, 30, "2026-03-29 01:30"}, // 02:30 does not exist: 03:30 CEST
		{"ParisAutumnSwitchDay", "2026-10-25", paris, 9, 0, "2026-10-25 08:00"},
		{"ParisRepeatedTimeFirst", "2026-10-25", paris, 2, 30, "2026-10-25 00:30"}, // 02:30 CEST, not 02:30 CET
		{"NewYorkBeforeDST", "2026-03-06", ny, 9, 0, "2026-03-06 14:00"},
		{"NewYorkAfterDST", "2026-03-09", ny, 9, 0, "2026-03-09 13:00"},
		{"NewYorkRepeatedTimeFirst", "2026-11-01", ny, 1, 30, "2026-11-01 05:30"}, // 01:30 EDT
		{"UTC", "2026-03-09", time.UTC, 9, 15, "2026-03-09 09:15"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := coaching.DueAt(date(t, tt.day), tt.loc, tt.hh, tt.mm)
			if want := at(t, tt.want); !got.Equal(want) {
				t.Errorf("DueAt = %v (%v UTC), want %v UTC", got, got.UTC(), want)
			}
		})
	}
}

func TestShouldSendNow(t *testing.T) {
	paris := zone(t, "Europe/Paris")
	s := coaching.DefaultSettings() // 09:00, window 4 h, no weekends
	weekends := s
	weekends.Weekends = true
	allDay := s
	allDay.SendWindow = 0
	never := domain.Date{}
	tests := []struct {
		name string
		now  string // UTC
		last domain.Date
		s    coaching.Settings
		want bool
	}{
		{"BeforeNine", "2026-03-10 07:59", never, s, false}, // 08:59 CET
		{"AtNine", "2026-03-10 08:00", never, s, true},
		{"InWindow", "2026-03-10 11:59", never, s, true},     // 12:59
		{"AfterWindow", "2026-03-10 12:00", never, s, false}, // 13:00
		{"NoWindowAllDay", "2026-03-10 22:59", never, allDay, true},
		{"SentToday", "2026-03-10 09:00", date(t, "2026-03-10"), s, false},
		{"SentYesterday", "2026-03-10 09:00", date(t, "2026-03-09"), s, true},
		{"Saturday", "2026-03-14 09:00", never, s, false},
		{"SundayWithWeekends", "2026-03-15 09:00", never, weekends, true},
		{"DSTSwitchDayBeforeNine", "2026-03-29 06:59", never, weekends, false}, // 08:59 CEST
		{"DSTSwitchDayAtNine", "2026-03-29 07:00", never, weekends, true},
		{"FirstMondayOfSummerAtNine", "2026-03-30 07:00", never, s, true},
		{"FirstMondayOfSummerEightLocal", "2026-03-30 06:00", never, s, false},          // 09:00 in winter time, 08:00 now
		{"LocalDayNotUTCDay", "2026-03-09 23:30", date(t, "2026-03-09"), allDay, false}, // Tue 00:30 in Paris: before nine
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := coaching.ShouldSendNow(at(t, tt.now), paris, tt.last, tt.s); got != tt.want {
				t.Errorf("ShouldSendNow = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestPending(t *testing.T) {
	now := at(t, "2026-03-10 09:00")
	n1 := coaching.Nudge{Deal: 7, Owner: anna, Kind: coaching.KindOverdue, Key: "next_step_overdue:D-7:U0ANNA:2026-03-09"}
	n2 := coaching.Nudge{Deal: 7, Owner: anna, Kind: coaching.KindClosePast, Key: "close_date_past:D-7:U0ANNA:2026-03-01"}
	n3 := coaching.Nudge{Deal: 8, Owner: anna, Kind: coaching.KindOverdue, Key: "next_step_overdue:D-8:U0ANNA:2026-03-09"}
	all := []coaching.Nudge{n1, n2, n3}
	sentMon := at(t, "2026-03-09 08:00")
	tests := []struct {
		name    string
		sent    []coaching.Sent
		snoozes []coaching.Snooze
		want    []string
	}{
		{"NeverSent", nil, nil, []string{n1.Key, n2.Key, n3.Key}},
		{"SentNotAgain", []coaching.Sent{{n1.Key, sentMon}}, nil, []string{n2.Key, n3.Key}},
		{"DealChangedNewKeySentAgain", []coaching.Sent{{"next_step_overdue:D-7:U0ANNA:2026-03-02", sentMon}}, nil,
			[]string{n1.Key, n2.Key, n3.Key}},
		{"SnoozedKey", nil, []coaching.Snooze{{Key: n1.Key, Until: at(t, "2026-03-11 00:00")}}, []string{n2.Key, n3.Key}},
		{"SnoozedDeal", nil, []coaching.Snooze{{Deal: 7, Until: at(t, "2026-03-11 00:00")}}, []string{n3.Key}},
		{"SnoozeEndedSentAgain", []coaching.Sent{{n1.Key, sentMon}},
			[]coaching.Snooze{{Key: n1.Key, Until: at(t, "2026-03-10 00:00")}}, []string{n1.Key, n2.Key, n3.Key}},
		{"SnoozeEndsExactlyNow", []coaching.Sent{{n1.Key, sentMon}},
			[]coaching.Snooze{{Key: n1.Key, Until: now}}, []string{n1.Key, n2.Key, n3.Key}},
		{"DealSnoozeEndedSentAgain", []coaching.Sent{{n1.Key, sentMon}, {n2.Key, sentMon}},
			[]coaching.Snooze{{Deal: 7, Until: at(t, "2026-03-10 00:00")}}, []string{n1.Key, n2.Key, n3.Key}},
		{"SentAfterSnoozeEndedNotAgain", []coaching.Sent{{n1.Key, at(t, "2026-03-10 08:00")}},
			[]coaching.Snooze{{Key: n1.Key, Until: at(t, "2026-03-10 00:00")}}, []string{n2.Key, n3.Key}},
		{"OtherKeySnoozeDoesNotCount", []coaching.Sent{{n1.Key, sentMon}},
			[]coaching.Snooze{{Key: n2.Key, Until: at(t, "2026-03-10 00:00")}}, []string{n2.Key, n3.Key}},
		{"LatestSendCounts", []coaching.Sent{{n1.Key, sentMon}, {n1.Key, at(t, "2026-03-10 08:30")}},
			[]coaching.Snooze{{Key: n1.Key, Until: at(t, "2026-03-10 00:00")}}, []string{n2.Key, n3.Key}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := keys(coaching.Pending(all, tt.sent, tt.snoozes, now))
			if !slices.Equal(got, tt.want) {
				t.Errorf("pending =\n%q\nwant\n%q", got, tt.want)
			}
		})
	}
}

func TestPrefs(t *testing.T) {
	paris := zone(t, "Europe/Paris")
	now := at(t, "2026-03-10 14:00") // Tuesday 15:00 in Paris
	week := coaching.ResumeAt(now, paris, 7)
	if want := at(t, "2026-03-16 23:00"); !week.Equal(want) { // Tuesday 17th, 00:00 CET
		t.Fatalf("ResumeAt 7 days = %v, want %v", week.UTC(), want)
	}
	// Across the DST switch the resume time is still local midnight.
	if got, want := coaching.ResumeAt(at(t, "2026-03-27 10:00"), paris, 3), at(t, "2026-03-29 22:00"); !got.Equal(want) {
		t.Fatalf("ResumeAt across DST = %v, want %v", got.UTC(), want)
	}
	tests := []struct {
		name string
		p    coaching.Prefs
		at   time.Time
		want bool
	}{
		{"Default", coaching.Prefs{}, now, true},
		{"Off", coaching.Prefs{Off: true}, now, false},
		{"Paused", coaching.Prefs{PausedUntil: week}, at(t, "2026-03-16 08:00"), false},
		{"PauseOver", coaching.Prefs{PausedUntil: week}, at(t, "2026-03-17 08:00"), true},
		{"OffWinsOverPauseOver", coaching.Prefs{Off: true, PausedUntil: week}, at(t, "2026-03-17 08:00"), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.p.Active(tt.at); got != tt.want {
				t.Errorf("Active = %v, want %v", got, tt.want)
			}
		})
	}
}

// TestPlanTwoZones plays two weeks across Europe's DST switch in steps of
// five minutes: Anna in Paris and Bruno in New York each get one DM per
// workday, at 09:00 their time, and nothing on weekends.
func TestPlanTwoZones(t *testing.T) {
	paris, ny := zone(t, "Europe/Paris"), zone(t, "America/New_York")
	s := coaching.DefaultSettings()
	reps := []coaching.Rep{{User: anna, Location: paris}, {User: bruno, Location: ny}}
	var sent []coaching.Sent
	got := map[domain.UserID][]string{}
	for now := at(t, "2026-03-23 00:00"); now.Before(at(t, "2026-04-06 00:00")); now = now.Add(5 * time.Minute) {
		// Each rep always has an item that is new today (its key has the date),
		// so only the schedule decides.
		today := domain.DateOf(now).String()
		nudges := []coaching.Nudge{
			{Deal: 1, Owner: anna, Kind: coaching.KindOverdue, Key: "a:" + today},
			{Deal: 2, Owner: bruno, Kind: coaching.KindOverdue, Key: "b:" + today},
			{Deal: 3, Owner: "U0NOBODY", Kind: coaching.KindOverdue, Key: "c:" + today},
		}
		for _, dm := range coaching.Plan(now, reps, nudges, sent, nil, s) {
			i := slices.IndexFunc(reps, func(r coaching.Rep) bool { return r.User == dm.Rep })
			reps[i].LastSentDay = dm.Day
			for _, n := range dm.Items {
				sent = append(sent, coaching.Sent{Key: n.Key, At: now})
			}
			got[dm.Rep] = append(got[dm.Rep], now.In(reps[i].Location).Format("Mon 01-02 15:04 MST"))
		}
	}
	want := map[domain.UserID][]string{
		anna: {
			"Mon 03-23 09:00 CET", "Tue 03-24 09:00 CET", "Wed 03-25 09:00 CET", "Thu 03-26 09:00 CET", "Fri 03-27 09:00 CET",
			"Mon 03-30 09:00 CEST", "Tue 03-31 09:00 CEST", "Wed 04-01 09:00 CEST", "Thu 04-02 09:00 CEST", "Fri 04-03 09:00 CEST",
		},
		bruno: {
			"Mon 03-23 09:00 EDT", "Tue 03-24 09:00 EDT", "Wed 03-25 09:00 EDT", "Thu 03-26 09:00 EDT", "Fri 03-27 09:00 EDT",
			"Mon 03-30 09:00 EDT", "Tue 03-31 09:00 EDT", "Wed 04-01 09:00 EDT", "Thu 04-02 09:00 EDT", "Fri 04-03 09:00 EDT",
		},
	}
	for _, u := range []domain.UserID{anna, bruno} {
		if !slices.Equal(got[u], want[u]) {
			t.Errorf("%s got DMs at\n%q\nwant\n%q", u, got[u], want[u])
		}
	}
}

func TestPlan(t *testing.T) {
	paris := zone(t, "Europe/Paris")
	s := coaching.DefaultSettings()
	s.Location = paris
	now := at(t, "2026-03-10 08:00") // Tuesday 09:00 in Paris
	n1 := coaching.Nudge{Deal: 7, Owner: anna, Kind: coaching.KindOverdue, Key: "k1"}
	n2 := coaching.Nudge{Deal: 8, Owner: anna, Kind: coaching.KindStalled, Key: "k2"}
	n3 := coaching.Nudge{Deal: 9, Owner: bruno, Kind: coaching.KindStalled, Key: "k3"}
	nudges := []coaching.Nudge{n1, n2, n3}
	tests := []struct {
		name    string
		reps    []coaching.Rep
		sent    []coaching.Sent
		snoozes []coaching.Snooze
		want    map[domain.UserID][]string
	}{
		{"EveryItemInOneDM", []coaching.Rep{{User: anna}, {User: bruno}}, nil, nil,
			map[domain.UserID][]string{anna: {"k1", "k2"}, bruno: {"k3"}}},
		{"NothingPendingNoDM", []coaching.Rep{{User: anna}, {User: bruno}}, []coaching.Sent{{"k3", now.Add(-24 * time.Hour)}}, nil,
			map[domain.UserID][]string{anna: {"k1", "k2"}}},
		{"SnoozedItemLeftOut", []coaching.Rep{{User: anna}}, nil, []coaching.Snooze{{Key: "k1", Until: now.Add(time.Hour)}},
			map[domain.UserID][]string{anna: {"k2"}}},
		{"Off", []coaching.Rep{{User: anna, Prefs: coaching.Prefs{Off: true}}, {User: bruno}}, nil, nil,
			map[domain.UserID][]string{bruno: {"k3"}}},
		{"Paused", []coaching.Rep{{User: anna, Prefs: coaching.Prefs{PausedUntil: now.Add(time.Hour)}}}, nil, nil,
			map[domain.UserID][]string{}},
		{"AlreadySentToday", []coaching.Rep{{User: anna, LastSentDay: date(t, "2026-03-10")}}, nil, nil,
			map[domain.UserID][]string{}},
		{"NotYetNineInNewYork", []coaching.Rep{{User: anna}, {User: bruno, Location: zone(t, "America/New_York")}}, nil, nil,
			map[domain.UserID][]string{anna: {"k1", "k2"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := map[domain.UserID][]string{}
			for _, dm := range coaching.Plan(now, tt.reps, nudges, tt.sent, tt.snoozes, s) {
				if dm.Day != date(t, "2026-03-10") {
					t.Errorf("%s: day %v", dm.Rep, dm.Day)
				}
				got[dm.Rep] = keys(dm.Items)
			}
			if len(got) != len(tt.want) {
				t.Fatalf("DMs = %v, want %v", got, tt.want)
			}
			for u, ks := range tt.want {
				if !slices.Equal(got[u], ks) {
					t.Errorf("%s: %q, want %q", u, got[u], ks)
				}
			}
		})
	}
}

// TestSnoozeOneDayComesBackNextMorning: Snooze 1 day pressed on Friday
// afternoon holds the item over the weekend and it is in Monday's DM.
func TestSnoozeOneDayComesBackNextMorning(t *testing.T) {
	paris := zone(t, "Europe/Paris")
	s := coaching.DefaultSettings()
	n := coaching.Nudge{Deal: 7, Owner: anna, Kind: coaching.KindOverdue, Key: "k1"}
	sent := []coaching.Sent{{"k1", at(t, "2026-03-13 08:00")}}                                               // Friday's DM
	snoozes := []coaching.Snooze{{Key: "k1", Until: coaching.ResumeAt(at(t, "2026-03-13 14:00"), paris, 1)}} // pressed Friday 15:00
	reps := []coaching.Rep{{User: anna, Location: paris, LastSentDay: date(t, "2026-03-13")}}
	for _, tt := range []struct {
		now  string
		want int
	}{{"2026-03-14 08:00", 0}, {"2026-03-15 08:00", 0}, {"2026-03-16 08:00", 1}} {
		if got := coaching.Plan(at(t, tt.now), reps, []coaching.Nudge{n}, sent, snoozes, s); len(got) != tt.want {
			t.Errorf("at %s: %d DMs, want %d", tt.now, len(got), tt.want)
		}
	}
}
