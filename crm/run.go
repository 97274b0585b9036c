package crm

import (
	"context"

	"github.com/dealpilot/dealpilot/domain"
)

// Target is where an import finds what earlier imports made and writes what
// this one plans: the bot's store, through an interface, so crm stays free
// of the database.
type Target interface {
	// ImportExisting returns the deals earlier imports made of ids, with
	// the values each import wrote; an id never imported is absent.
	ImportExisting(ctx context.Context, ids []string) (map[string]Existing, error)
	// WriteImport writes ws in one transaction, all or nothing, with
	// history by `by`.
	WriteImport(ctx context.Context, by domain.UserID, ws []Write) error
}

// Write is what an import writes for one CRM record: a new deal (Create),
// an update of the deal an earlier import made (Update, made on Version, to
// After), or neither (the base alone moves). Base is what the file said.
type Write struct {
	ExternalID string
	Create     *domain.Deal
	Update     domain.DealID
	Version    uint64
	After      *domain.Deal
	Base       map[domain.Field]string
	// StoredAs, when set, is the key an earlier import kept the record
	// under (a Salesforce id's 15-character form): the record moves to
	// ExternalID.
	StoredAs string
}

// Run reads a file's rows, maps and plans each against t, a batch at a
// time, and gives each outcome to out (nil: none); with write it writes
// each batch's creates, updates and conflicts' other fields in one
// transaction. Progress, when set, hears how many rows were read after each
// batch. It returns how many deals were created and updated.
type Run struct {
	File       *File
	Rules      *Rules
	PreferFile bool
	Batch      int // rows per batch and transaction; 1000 when 0
	Progress   func(rows int)
}

// Do runs the import once: a dry run without write.
func (r *Run) Do(ctx context.Context, t Target, write bool, out func(Outcome)) (created, updated int, err error) {
	size := r.Batch
	if size <= 0 {
		size = 1000
	}
	seen := map[string]int{} // external id -> first line
	rows := 0
	var batch []*Mapped
	flush := func() error {
		if len(batch) == 0 {
			return nil
		}
		ids := make([]string, 0, len(batch))
		for _, m := range batch {
			if m.ExternalID != "" {
				ids = append(ids, m.ExternalID)
			}
		}
		found, err := t.ImportExisting(ctx, ids)
		if err != nil {
			return err
		}
		// A Salesforce deal an earlier import kept under its 15-character
		// id is found by its 18-character one.
		storedAs := map[string]string{} // ExternalID -> key kept under
		var legacy []string
		for _, id := range ids {
			if _, ok := found[id]; ok {
				continue
			}
			if old, ok := legacyKey(id); ok {
				storedAs[id] = old
				legacy = append(legacy, old)
			}
		}
		if len(legacy) > 0 {
			old, err := t.ImportExisting(ctx, legacy)
			if err != nil {
				return err
			}
			for id, key := range storedAs {
				if e, ok := old[key]; ok {
					found[id] = e
				} else {
					delete(storedAs, id)
				}
			}
		}
		var ws []Write
		for _, m := range batch {
			var ex *Existing
			if e, ok := found[m.ExternalID]; ok {
				ex = &e
			}
			o := Plan(m, ex, r.PreferFile)
			if out != nil {
				out(o)
			}
			if !write {
				continue
			}
			switch o.Action {
			case Create:
				ws = append(ws, Write{ExternalID: m.ExternalID, Create: o.Deal, Base: m.Base()})
				created++
			case Update, Conflict:
				w := Write{ExternalID: m.ExternalID, Base: m.Base(), StoredAs: storedAs[m.ExternalID]}
				// A conflicting field keeps the old base: the file's value
				// was not taken, so the next run must still see it as a
				// change (reported again, or taken with --prefer-file).
				for _, c := range o.Conflicts {
					if b, ok := ex.Base[c.Field]; ok {
						w.Base[c.Field] = b
					}
				}
				if len(o.Changes) > 0 {
					w.Update, w.Version, w.After = o.Existing.ID, o.Existing.Version, o.Deal
					updated++
				}
				ws = append(ws, w)
			}
		}
		rows += len(batch)
		batch = batch[:0]
		if write && len(ws) > 0 {
			if err := t.WriteImport(ctx, Author, ws); err != nil {
				return err
			}
		}
		if r.Progress != nil {
			r.Progress(rows)
		}
		return nil
	}
	err = r.File.Each(r.Rules.Currency, func(rec *Record) error {
		if err := ctx.Err(); err != nil {
			return err
		}
		m, err := r.Rules.MapContext(ctx, r.File.Layout, rec)
		if err != nil {
			return err
		}
		if m.ExternalID != "" {
			if first, dup := seen[m.ExternalID]; dup {
				m.Problems = append(m.Problems, Problem{Column: ColExternalID, Header: r.File.Layout.Headers[ColExternalID],
					Key: "crm.external_id.duplicate", Args: []any{first}})
			} else {
				seen[m.ExternalID] = m.Line
			}
		}
		batch = append(batch, m)
		if len(batch) == size {
			return flush()
		}
		return nil
	})
	if err != nil {
		return created, updated, err
	}
	return created, updated, flush()
}
