package crm

import (
	"context"
	"slices"
	"strings"
	"time"

	"github.com/dealpilot/dealpilot/domain"
)

// Author is who history says made the changes an import writes: the
// import, not a person (the file's owners are the deals' owners, not the
// authors of the change). It is domain's, so transports know it.
const Author = domain.ImportAuthor

// ExternalKey is how a deal's external id is kept: the CRM's id prefixed by
// its format ("hubspot:1234"), so a HubSpot and a Pipedrive deal with the
// same number are two deals.
// A Salesforce id is kept in its 18-character form (SalesforceID18).
func ExternalKey(f Format, id string) string {
	if f == Salesforce {
		id = SalesforceID18(id)
	}
	return string(f) + ":" + id
}

// SplitExternalKey is ExternalKey's inverse; ok is false for a key without
// a known prefix.
func SplitExternalKey(key string) (Format, string, bool) {
	f, id, ok := strings.Cut(key, ":")
	if !ok || id == "" {
		return "", "", false
	}
	switch Format(f) {
	case HubSpot, Salesforce, Pipedrive, Generic, Dealpilot:
		return Format(f), id, true
	}
	return "", "", false
}

// IDFor is the id a CRM's own file gives a deal kept under key: the CRM's
// id when the deal came from that CRM ("hubspot:1234" is 1234 for HubSpot),
// else "" (the CRM gives a new record its id).
func IDFor(f Format, key string) string {
	if kf, id, ok := SplitExternalKey(key); ok && kf == f {
		return id
	}
	return ""
}

// Rules are what the configuration says about imports: stage mappings that
// come before the CRM's defaults, the owners table, the stages that exist,
// the currency of amounts that name none, and the day the import runs.
type Rules struct {
	Stages   []StageMap // the config's import: stages, first match wins
	Owners   map[string]domain.UserID
	Known    func(domain.UserID) bool // whether a user id in the file is a configured user
	Process  domain.Stages            // the configured sales process
	Currency string
	Today    domain.Date
	// Location is the zone of the team's days (the config's time zone;
	// nil is UTC): a CRM's creation date is the deal's creation at its
	// midnight.
	Location *time.Location
	// Directory, when set, finds an owner given by email that Owners does
	// not map (the bot on Slack); nil: the table and user ids only.
	Directory *Directory
	// Attrs are the segment attributes read from a column (import:
	// attributes:), with their allowed values.
	Attrs []AttrMap

	index map[Format]map[string]StageMap // normalised CRM stage -> map, built on first use
}

// OwnerKey is how owners are matched: emails and names without case or
// surrounding spaces.
func OwnerKey(s string) string { return NormHeader(s) }

// Mapped is a row as a deal: the values the file gives and which fields it
// gives (a column the file lacks leaves the deal's field alone).
type Mapped struct {
	Line       int
	ExternalID string // ExternalKey form
	Deal       domain.Deal
	Fields     []domain.Field
	Problems   []Problem
	Notes      []Problem // what was filled in for the file (a lost deal's reason), not a problem
	// Skip, when set, is why the row is left out on purpose (a deal
	// deleted in the CRM): not a problem, nothing to write.
	Skip string
}

// Has reports whether the file sets f.
func (m *Mapped) Has(f domain.Field) bool { return slices.Contains(m.Fields, f) }

// Map turns a record into a deal by the rules. Problems already on the
// record are kept; mapping adds its own (unknown stage, unknown owner).
func (rl *Rules) Map(l *Layout, r *Record) *Mapped {
	m, _ := rl.MapContext(context.Background(), l, r)
	return m
}

// MapContext is Map, asking the Directory for an owner by email; the error
// is a lookup the platform did not answer (without a Directory, none).
func (rl *Rules) MapContext(ctx context.Context, l *Layout, r *Record) (*Mapped, error) {
	m := &Mapped{Line: r.Line, Problems: slices.Clone(r.Problems)}
	switch {
	case l.Set.Format == Dealpilot && r.ExternalID != "":
		// dealpilot's export writes the kept key: the deal keeps the
		// identity it had ("hubspot:1234").
		if f, id, ok := SplitExternalKey(r.ExternalID); ok {
			m.ExternalID = ExternalKey(f, id)
		} else {
			m.Problems = append(m.Problems, Problem{Column: ColExternalID, Header: l.Headers[ColExternalID],
				Key: "crm.external_id.not_key", Args: []any{r.ExternalID}})
		}
	case l.Set.Format == Dealpilot:
		if _, ok := domain.ParseRef(r.Ref); ok {
			m.ExternalID = ExternalKey(Dealpilot, r.Ref)
		} else {
			m.Problems = append(m.Problems, Problem{Column: ColRef, Header: l.Headers[ColRef], Key: "crm.ref.bad", Args: []any{r.Ref}})
		}
	case r.ExternalID != "":
		m.ExternalID = ExternalKey(l.Set.Format, r.ExternalID)
	}
	problem := func(c Column, key string, args ...any) {
		m.Problems = append(m.Problems, Problem{Column: c, Header: l.Headers[c], Key: key, Args: args})
	}
	has := func(c Column) bool { _, ok := l.Index[c]; return ok }
	set := func(f domain.Field) { m.Fields = append(m.Fields, f) }
	d := &m.Deal

	d.Name = r.Name
	set(domain.FieldName)
	if has(ColAccount) {
		d.Account = r.Account
		set(domain.FieldAccount)
		if r.Account == "" && !hasProblem(r, ColAccount) {
			problem(ColAccount, "crm.account.empty")
		}
	}
	if has(ColAmount) {
		d.Amount, d.Currency = r.Amount, r.Currency
		set(domain.FieldAmount)
		set(domain.FieldCurrency)
		if !r.HasAmount && !hasProblem(r, ColAmount) {
			problem(ColAmount, "crm.amount.empty")
		} else if r.HasAmount && r.Amount == 0 {
			problem(ColAmount, "crm.amount.zero")
		}
	}
	if has(ColCloseDate) {
		d.CloseDate = r.CloseDate
		set(domain.FieldCloseDate)
		if r.CloseDate.IsZero() && !hasProblem(r, ColCloseDate) {
			problem(ColCloseDate, "crm.close_date.empty")
		}
	}
	if has(ColCreated) && !r.Created.IsZero() {
		// The CRM's creation date, which the cycle and conversion KPIs read;
		// one after the import's day is a CRM's error, and the deal is
		// dated from the import as one without a date.
		if !rl.Today.IsZero() && r.Created.After(rl.Today) {
			m.Notes = append(m.Notes, Problem{Key: "crm.note.created_after_today", Args: []any{r.Created.String()}})
		} else {
			loc := rl.Location
			if loc == nil {
				loc = time.UTC
			}
			d.CreatedAt = r.Created.Time(loc)
		}
	}
	if has(ColNextStep) && r.NextStep != "" {
		d.NextStep = r.NextStep
		// CRMs keep a next step's text, not its date: it is due on the
		// import's day, so the owner is asked to date it.
		d.NextStepDue = rl.Today
		if !r.NextStepDue.IsZero() {
			d.NextStepDue = r.NextStepDue
		}
		set(domain.FieldNextStep)
	}
	for _, q := range []struct {
		c Column
		f domain.Field
		v string
		p *string
	}{
		{ColNeed, domain.FieldNeed, r.Need, &d.Need},
		{ColDecisionMakers, domain.FieldDecisionMakers, r.DecisionMakers, &d.DecisionMakers},
		{ColBudget, domain.FieldBudget, r.Budget, &d.Budget},
		{ColTimeline, domain.FieldTimeline, r.Timeline, &d.Timeline},
		{ColRisk, domain.FieldRisk, r.Risk, &d.Risk},
		{ColCompetitor, domain.FieldCompetitor, r.Competitor, &d.Competitor},
	} {
		if has(q.c) {
			*q.p = q.v
			set(q.f)
		}
	}
	if has(ColOwner) {
		u, ok := rl.owner(r.Owner)
		switch {
		case ok:
		case r.Owner == "":
			if !hasProblem(r, ColOwner) {
				problem(ColOwner, "crm.owner.empty")
			}
		case rl.Directory != nil && isEmail(r.Owner):
			var err error
			if u, ok, err = rl.ownerFromDirectory(ctx, r.Owner, problem); err != nil {
				return m, err
			}
		default:
			problem(ColOwner, "crm.owner.unknown", r.Owner)
		}
		if ok {
			d.Owner = u
			set(domain.FieldOwner)
		}
	}
	if has(ColType) {
		d.Type = r.Type
		set(domain.FieldType)
	}
	if has(ColTerm) {
		d.TermMonths = r.Term
		set(domain.FieldTerm)
	}
	if has(ColRecurring) {
		d.Recurring = r.Recurring
		set(domain.FieldRecurring)
	}
	if has(ColSplits) {
		d.Splits = r.Splits
		set(domain.FieldSplits)
	}
	rl.mapAttrs(l, r, m)
	rl.mapStage(l, r, m, problem)
	return m, nil
}

func (rl *Rules) owner(s string) (domain.UserID, bool) {
	if s == "" {
		return "", false
	}
	if u, ok := rl.Owners[OwnerKey(s)]; ok {
		return u, true
	}
	if rl.Known != nil && rl.Known(domain.UserID(s)) {
		return domain.UserID(s), true
	}
	return "", false
}

// stageMap finds a CRM stage: the configuration's mappings first, then the
// CRM's defaults, then a dealpilot stage of the same name (a file dealpilot
// exported for a spreadsheet).
func (rl *Rules) stageMap(f Format, stage string) (StageMap, bool) {
	if rl.index == nil {
		rl.index = map[Format]map[string]StageMap{}
	}
	idx, ok := rl.index[f]
	if !ok {
		// Built once per format: the config's maps win over the defaults.
		idx = map[string]StageMap{}
		for _, m := range defaultMaps[f] {
			idx[NormHeader(m.CRM)] = m
		}
		for i := len(rl.Stages) - 1; i >= 0; i-- {
			idx[NormHeader(rl.Stages[i].CRM)] = rl.Stages[i]
		}
		rl.index[f] = idx
	}
	if m, ok := idx[NormHeader(stage)]; ok {
		return m, true
	}
	if i := rl.Process.Index(stage); i >= 0 {
		return StageMap{CRM: stage, Stage: rl.Process[i].Name, Category: rl.Process[i].Category, Status: domain.Open}, true
	}
	return StageMap{}, false
}

func (rl *Rules) mapStage(l *Layout, r *Record, m *Mapped, problem func(Column, string, ...any)) {
	d := &m.Deal
	if r.Stage == "" {
		if !hasProblem(r, ColStage) {
			problem(ColStage, "crm.empty")
		}
		return
	}
	sm, ok := rl.stageMap(l.Set.Format, r.Stage)
	if !ok {
		problem(ColStage, "crm.stage.unknown", r.Stage, r.Stage, rl.suggest(r.Stage))
		return
	}
	status := sm.Status
	if _, ok := l.Index[ColStatus]; ok && r.Status != "" {
		switch StatusNames[NormHeader(r.Status)] {
		case "open":
			status = domain.Open
		case "won":
			status = domain.Won
		case "lost":
			status = domain.Lost
		case "deleted":
			m.Skip = "deleted in the CRM"
			return
		default:
			problem(ColStatus, "crm.status.bad", r.Status)
			return
		}
	}
	var def domain.StageDef
	switch {
	case sm.Stage != "":
		i := rl.Process.Index(sm.Stage)
		if i < 0 {
			problem(ColStage, "crm.stage.maps_to_unknown", r.Stage, sm.Stage)
			return
		}
		def = rl.Process[i]
	case status == domain.Won:
		def = rl.Process[len(rl.Process)-1]
	default:
		// A lost deal in a CRM whose lost stage says nothing of where it
		// was lost: a new deal starts at the first stage, an existing one
		// keeps its own (Fields leaves the stage out).
		def = rl.Process[0]
		m.Notes = append(m.Notes, Problem{Key: "crm.note.lost_stage_unknown"})
	}
	d.Stage = def.Name
	if sm.Stage != "" || status == domain.Won {
		m.Fields = append(m.Fields, domain.FieldStage)
	}
	d.Status = status
	m.Fields = append(m.Fields, domain.FieldStatus)
	d.Category = def.Category
	if sm.Category != "" {
		d.Category = sm.Category
	}
	if c, ok := LookupCategory(r.Category); ok && r.Category != "" {
		d.Category = c
	} else if r.Category != "" {
		problem(ColCategory, "crm.category.bad", r.Category)
	}
	switch status {
	case domain.Won:
		if r.Category == "" {
			d.Category = domain.Commit
		}
	case domain.Lost:
		if r.Category == "" {
			d.Category = domain.Omitted
		}
		d.LossReason = r.LossReason
		if d.LossReason == "" {
			d.LossReason = "other"
			m.Notes = append(m.Notes, Problem{Key: "crm.note.no_loss_reason"})
		}
		m.Fields = append(m.Fields, domain.FieldLossReason)
	}
	m.Fields = append(m.Fields, domain.FieldCategory)
}

// suggest proposes a dealpilot stage for an unknown CRM stage: the one a
// default mapping of any CRM with a word in common gives, else the first.
func (rl *Rules) suggest(stage string) string {
	words := strings.Fields(NormHeader(stage))
	for _, f := range Formats {
		for _, m := range defaultMaps[f] {
			if m.Stage == "" || rl.Process.Index(m.Stage) < 0 {
				continue
			}
			for _, w := range strings.Fields(NormHeader(m.CRM)) {
				if len(w) > 3 && slices.Contains(words, w) {
					return m.Stage
				}
			}
		}
	}
	return rl.Process[0].Name
}
