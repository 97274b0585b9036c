package config

// Example returns a commented configuration file that documents every key.
// It loads as it is (a test keeps it so); `dealpilot config example` prints it.
func Example() string { return example }

const example = `# dealpilot.yaml: dealpilot's configuration. Every key is optional; a key
# left out takes the value shown here unless said otherwise. People and
# channels are the platform's ids, not @names or #names: in Slack the U…, W…
# and C… ids (shown under a profile or a channel's details); in Microsoft
# Teams a person's Entra object id (a GUID: Entra admin center, Users, Object
# ID) and a channel's 19:…@thread.tacv2 id.

currency: EUR               # ISO 4217; amounts are stored as integer minor units (cents)
locale: en                  # en | fr: language, number and date formats of messages
timezone: Europe/Paris      # schedules, and users whose own time zone is unknown (default UTC)
fiscal_year_start: 1        # month 1-12 the fiscal year starts with
admins: [U0ADMIN]           # may change settings and see every team (default: none)
visibility: team            # team: a rep reads their team's deals, forecasts and KPIs, a manager
                            # their teams', admins everyone's; company: every configured user reads all

teams:                      # default: none, and then anyone may log deals
  - name: France
    manager: U0MGR          # a manager may manage several teams
    members: [U0REP1, U0REP2]   # a rep belongs to one team only
    channel: C0FORECAST     # the Monday digest goes here
    wins_channel: C0WINS    # wins are announced here (default: channel)
    manager_sells: false    # true: the manager's own deals count in this team as a member's (forecast, digest,
                            # /pipeline, Monday summary); one team only (default: false, company line only)

deal_desk:
  channel: C0DESK           # discount requests are posted here (default: approvers are asked directly)
  roles: { vp: [U0VP], finance: [U0FIN] }   # approval roles besides manager, who is each rep's own
  bands:                    # a request takes the first band whose up_to covers its discount (%)
    - { up_to: 10,  approvals: [] }         # up_to strictly ascending; the last one is 100
    - { up_to: 20,  approvals: [manager] }  # approvals are asked in this order
    - { up_to: 35,  approvals: [manager, vp] }
    - { up_to: 100, approvals: [manager, vp, finance] }
  # default bands: up to 10 free, above that the manager approves
  expire_after_days: 14     # an unanswered request expires (1-365)
  require_plan_above: 20    # discounts above this percentage need a written plan
  non_standard_terms:       # roles each kind of non-standard term adds to the chain ([] for none);
    payment_terms: [finance]  # a term left out keeps its default: these, with manager
    custom_sla: [vp]          # instead of finance or vp when that role is not defined
    extended_trial: [vp]
    other: [vp]

schedules:
  digest: "0 8 * * MON"     # cron (minute hour day month weekday, or @weekly), in timezone
  reminders_at: "09:00"     # each rep's own local time

stages:                     # optional; these are the defaults
  - { name: Qualification, probability: 10, category: pipeline,  requires: [next_step] }
  - { name: Discovery,     probability: 20, category: pipeline,  requires: [need, next_step] }
  - { name: Demo,          probability: 40, category: upside,    requires: [need, decision_makers, next_step] }
  - { name: Proposal,      probability: 60, category: best_case, requires: [need, decision_makers, budget, timeline, next_step] }
  - { name: Negotiation,   probability: 80, category: commit,    requires: [need, decision_makers, budget, timeline, risk, next_step] }
  - { name: Closing,       probability: 90, category: commit,    requires: [need, decision_makers, budget, timeline, risk, next_step] }
# categories: commit, best_case, upside, pipeline, omitted;
# requires: need, decision_makers, budget, timeline, risk, next_step

quotas:                     # each rep's (user:) or team's (team:) target per fiscal month, quarter or year,
                            # or for one named period: 2026-Q4, 2026-11 or FY2026 (default: none)
  - { user: U0REP1, period: quarter, amount: 150000 }   # amount in whole currency units
  - { user: U0REP2, period: quarter, amount: 120000 }

commissions:                # compensation plans, per rep (user:) or every seller of a team (team:) (default: none)
  - team: France
    period: quarter         # attainment counts over each fiscal month, quarter or year, or one named period
                            # (2026-Q4), which wins over the kind for its months; statements are monthly
    name: AE plan           # shown on statements
    tiers:                  # rates by attainment (% of the quota of quotas:), or one rate: 5 instead
      - { up_to: 50,  rate: 1 }   # up_to: % of quota, inclusive; rates may have two decimals (2.5)
      - { rate: 3 }         # the last tier has no up_to
    mode: marginal          # marginal: each tier pays its own band; retroactive: the tier reached pays on everything
    true_up: true           # marginal only: the period's last month pays the reached rate on everything, less paid
  - user: U0REP2
    period: quarter
    rate: 5
    decelerator: { below: 50, factor: 0.5 }     # credit up to 50 % of quota pays half the rate
    accelerators: [{ above: 100, factor: 1.5 }] # credit above 100 % pays 1.5 times the rate
    cap: { payout: 60000 }  # or { attainment: 200 } (% of quota): nothing is paid beyond
    type_rates: { renewal: 2 }                  # a flat rate for deals of that type (new, expansion, renewal)
    spiffs:                 # a fixed bonus per won deal matching (type:, min_amount: optional), shared by splits
      - { name: Q4 push, amount: 500, type: new, min_amount: 20000 }
    draw: { amount: 2000, recoverable: true }   # a monthly floor; recoverable: advances come back from later pay
    clawback: { days: 90, recovery: pro_rata }  # churn within days of the win takes back all the deal paid
                            # (full, the default) or the share of its term not served (pro_rata); a
                            # downgrade within days takes back the same on the share of the ARR lost

loss_reasons: [price, competitor, no decision, timing, no budget, other]   # offered when a deal is lost

nudges:
  weekends: false           # also nudge on Saturdays and Sundays
  stalled_min_days: 14      # a deal is stalled after this many days without a change
  hollow_win_discount: 25   # a win discounted above this percentage is flagged (0: every discounted win)

msteams:                    # Microsoft Teams' own settings (teams: above are sales teams); with Teams on
                            # (DEALPILOT_TEAMS_ADDR), a person may also be named by their Microsoft Entra
                            # object id (a GUID) and a channel by its Teams id 19:…@thread.tacv2
  service_url: https://smba.trafficmanager.net/emea/   # where the bot posts before Teams has sent it
                            # anything since it started (default: none, it waits to hear one)

import:                     # dealpilot import FILE: a CRM export's stages and owners (default: none;
                            # each CRM's default stages map by themselves, crm/formats.go lists them)
  stages:                   # before the defaults; status open (default), won or lost
    - { crm: "Contract sent", stage: Negotiation, category: commit }
    - { crm: "Lost - no budget", status: lost }
  owners:                   # the file's owner (email, name or CRM user id) -> a user
    lea@example.com: U0REP1
    "Hugo Bernard": U0REP2
  attributes:               # a segment attribute (segments: below) -> the header of its column; values
    industry: Industry      # matched whatever their case, any other refused line by line
    size_band: Company size

segments:                   # attributes a deal carries (default: none): set in the deal forms, remembered
                            # per account, by /deal set D-12 industry retail; /pipeline segments cuts by them
  - { name: size_band,   values: ["1-50", "51-200", "201-1000", "1000+"] }
  - { name: industry,    values: [retail, software, manufacturing, healthcare] }
  - { name: region,      values: [north, south, east, west] }
  - { name: lead_source, values: [inbound, outbound, partner, event] }

icp:                        # the ideal customer profile: values of segments: that fit (default: none);
                            # open deals show their fit, and each quarter managers get the ICP review
  size_band: ["51-200", "201-1000"]
  industry: [retail, software]
  min_deals: 5              # closed deals a value needs before its figures say anything (1-1000, default 5)
  stop_pct: 50              # an ICP value stopped winning at <= 50 % of its win rate before (0-99, default 50)
`
