package crm

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"unicode/utf8"

	"github.com/dealpilot/dealpilot/domain"
)

// Options tune how a file is read.
type Options struct {
	// Mapping, when set, is the layout of a file no CRM wrote.
	Mapping *Mapping
	// DateOrder forces how day-month dates are read; empty: the file's
	// own dates decide (a day above 12 settles it), else a hint from the
	// file (French headers or ';' delimiters read dd/mm), reported.
	DateOrder DateOrder
}

// File is an export opened and checked from end to end: its encoding,
// delimiter, layout and date order are known, and nothing in it stops it
// from being read. Each reads its rows again, in order.
type File struct {
	Path      string
	Encoding  Encoding
	Delimiter rune // 0 for XLSX
	Layout    *Layout
	Rows      int // data rows
	DateOrder DateOrder
	// DateNote explains how the date order was settled when the dates
	// themselves do not, or is empty.
	DateNote string
	opts     Options
}

// Open reads the file at path once to check it and learn its date order.
// A *FileError (or an I/O error) means the file cannot be imported at all.
func Open(path string, opts Options) (*File, error) {
	f := &File{Path: path, opts: opts}
	var dmyAt, mdyAt int
	slashed := false
	err := f.scan(true, func(line int, rec []string) error {
		f.Rows++
		for _, c := range []Column{ColCloseDate, ColCreated, ColNextStepDue} {
			_, dm, sl, err := splitDate(f.Layout.Cell(rec, c), f.Encoding == XLSXEncoded)
			if err != nil || !sl {
				continue
			}
			slashed = true
			if dm.a > 12 && dmyAt == 0 {
				dmyAt = line
			}
			if dm.b > 12 && mdyAt == 0 {
				mdyAt = line
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	switch {
	case opts.DateOrder != "":
		f.DateOrder = opts.DateOrder
		if dmyAt > 0 && f.DateOrder == MDY || mdyAt > 0 && f.DateOrder == DMY {
			bad := max(dmyAt, mdyAt)
			return nil, fileErrorf(bad, "crm.file.date_not_order", f.DateOrder.Layout())
		}
	case dmyAt > 0 && mdyAt > 0:
		return nil, fileErrorf(max(dmyAt, mdyAt), "crm.file.dates_both_ways", dmyAt, mdyAt)
	case dmyAt > 0:
		f.DateOrder = DMY
		f.DateNote = fmt.Sprintf("dates read as dd/mm/yyyy (line %d has a day above 12)", dmyAt)
	case mdyAt > 0:
		f.DateOrder = MDY
		f.DateNote = fmt.Sprintf("dates read as mm/dd/yyyy (line %d has a day above 12)", mdyAt)
	case slashed:
		f.DateOrder = MDY
		why := "English headers and ',' delimiters"
		if f.Layout.Set.Lang == "fr" || f.Delimiter == ';' {
			f.DateOrder = DMY
			why = "French headers or ';' delimiters"
		}
		f.DateNote = fmt.Sprintf("ambiguous dates: no day above 12 settles the order; read as %s from the %s (say --dates dmy|mdy if wrong)", f.DateOrder.Layout(), why)
	}
	return f, nil
}

// scan reads the file from its start: header, layout, then fn for each data
// row. recognise is true on the first reading (the layout is learnt).
func (f *File) scan(recognise bool, fn func(line int, rec []string) error) error {
	r, err := f.open()
	if err != nil {
		return err
	}
	defer r.close()
	_, header, err := r.next()
	if err == io.EOF {
		return fileErrorf(0, "crm.file.empty")
	}
	if err != nil {
		return err
	}
	if recognise {
		header = append([]string(nil), header...)
		if len(header) > 0 {
			header[0] = strings.TrimPrefix(header[0], "\ufeff")
		}
		l, err := Recognise(header, f.opts.Mapping)
		if err != nil {
			return err
		}
		f.Layout = l
	}
	for {
		line, rec, err := r.next()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		if blank(rec) {
			continue
		}
		if err := fn(line, rec); err != nil {
			return err
		}
	}
}

func blank(rec []string) bool {
	for _, c := range rec {
		if trim(c) != "" {
			return false
		}
	}
	return true
}

// open starts reading the file: XLSX by its zip signature, else text.
func (f *File) open() (rows, error) {
	fh, err := os.Open(f.Path)
	if err != nil {
		return nil, err
	}
	head := make([]byte, 4)
	n, _ := io.ReadFull(fh, head)
	if _, err := fh.Seek(0, io.SeekStart); err != nil {
		fh.Close()
		return nil, err
	}
	if bytes.Equal(head[:n], []byte("PK\x03\x04")) {
		fh.Close()
		r, err := openXLSX(f.Path)
		if err != nil {
			return nil, err
		}
		f.Encoding = XLSXEncoded
		return r, nil
	}
	r, enc, delim, err := newCSVRows(fh)
	if err != nil {
		fh.Close()
		return nil, err
	}
	f.Encoding, f.Delimiter = enc, delim
	return r, nil
}

// Record is one data row read into typed values. Problems lists what could
// not be read; the fields they concern are left zero.
type Record struct {
	Line       int
	ExternalID string
	Name       string
	Account    string
	Owner      string
	Amount     int64 // minor units of Currency
	HasAmount  bool
	Currency   string // ISO code, from the currency column, the amount's symbol, or the default
	Stage      string
	Category   string // the CRM's forecast category, as written
	CloseDate  domain.Date
	NextStep   string
	Status     string // the CRM's status column, as written (Pipedrive)
	LossReason string
	Pipeline   string
	Created    domain.Date
	// What only dealpilot's own export has.
	Ref                                    string
	NextStepDue                            domain.Date
	Need, DecisionMakers, Budget, Timeline string
	Risk, Competitor                       string
	Type                                   domain.DealType // "" when the cell is empty
	Term                                   int             // months; 0 when the cell is empty
	Recurring                              int64           // ARR, minor units of Currency
	Splits                                 []domain.Split
	Problems                               []Problem
	cells                                  []string // the row as read, for the attributes' columns
}

// ErrStop, returned by an Each callback, ends the reading without error.
var ErrStop = errors.New("stop")

// Each reads the rows again and gives each as a Record. currency is the one
// amounts are in when the file says none (the configured currency).
func (f *File) Each(currency string, fn func(*Record) error) error {
	err := f.scan(false, func(line int, rec []string) error {
		r := f.record(line, rec, currency)
		return fn(r)
	})
	if errors.Is(err, ErrStop) {
		return nil
	}
	return err
}

func (f *File) record(line int, rec []string, currency string) *Record {
	l := f.Layout
	r := &Record{Line: line}
	problem := func(c Column, key string, args ...any) {
		r.Problems = append(r.Problems, Problem{Column: c, Header: l.Headers[c], Key: key, Args: args})
	}
	problemErr := func(c Column, err error) { r.Problems = append(r.Problems, problemOf(c, l.Headers[c], err)) }
	if len(rec) < l.Width && f.Encoding == XLSXEncoded {
		// A sheet row ends at its last non-empty cell.
		rec = append(rec, make([]string, l.Width-len(rec))...)
	}
	if len(rec) != l.Width {
		problem("", "crm.row.cells", len(rec), l.Width)
		return r
	}
	r.cells = rec
	text := func(c Column, limit int) string {
		v := trim(l.Cell(rec, c))
		quoted, marked := unquoteText(v)
		switch {
		case marked && quotedFormula(quoted):
			f := trim(quoted)
			problem(c, "crm.text.quoted_formula", clip(v), v[:len(v)-len(f)+1])
			return ""
		case marked:
			v = quoted
		case formulaStart(v):
			problem(c, "crm.text.formula", clip(v), v[:1])
			return ""
		case limit > 0 && utf8.RuneCountInString(v) > limit:
			problem(c, "crm.text.too_long", utf8.RuneCountInString(v), limit)
			return ""
		}
		if limit == domain.MaxNameLen {
			// A name is one line: a line break kept from a CRM's notes
			// would break every list that shows it.
			v = strings.Join(strings.FieldsFunc(v, isSpace), " ")
		}
		return v
	}
	r.ExternalID = text(ColExternalID, domain.MaxNameLen)
	r.Name = text(ColName, domain.MaxNameLen)
	r.Account = text(ColAccount, domain.MaxNameLen)
	r.Owner = text(ColOwner, domain.MaxNameLen)
	r.Stage = text(ColStage, domain.MaxNameLen)
	r.Category = text(ColCategory, domain.MaxNameLen)
	r.NextStep = text(ColNextStep, domain.MaxTextLen)
	r.Status = text(ColStatus, domain.MaxNameLen)
	r.LossReason = text(ColLossReason, domain.MaxNameLen)
	r.Pipeline = text(ColPipeline, domain.MaxNameLen)
	r.Ref = text(ColRef, domain.MaxNameLen)
	r.Need = text(ColNeed, domain.MaxTextLen)
	r.DecisionMakers = text(ColDecisionMakers, domain.MaxTextLen)
	r.Budget = text(ColBudget, domain.MaxTextLen)
	r.Timeline = text(ColTimeline, domain.MaxTextLen)
	r.Risk = text(ColRisk, domain.MaxTextLen)
	r.Competitor = text(ColCompetitor, domain.MaxNameLen)
	if _, ok := l.Index[ColExternalID]; ok && r.ExternalID == "" && l.Set.Format != Dealpilot && !hasProblem(r, ColExternalID) {
		problem(ColExternalID, "crm.external_id.empty")
	}
	if r.Name == "" && !hasProblem(r, ColName) {
		problem(ColName, "crm.empty")
	}
	cur, err := parseCurrency(l.Cell(rec, ColCurrency))
	if err != nil {
		problemErr(ColCurrency, err)
	}
	if _, ok := l.Index[ColAmount]; ok {
		amt := l.Cell(rec, ColAmount)
		if trim(amt) != "" {
			v, c, err := parseAmount(amt, cur, currency)
			if err != nil {
				problemErr(ColAmount, err)
			} else {
				r.Amount, r.HasAmount, cur = v, true, c
			}
		}
	}
	if cur == "" {
		cur = currency
	}
	r.Currency = cur
	r.CloseDate = f.date(rec, ColCloseDate, problemErr)
	r.Created = f.date(rec, ColCreated, problemErr)
	r.NextStepDue = f.date(rec, ColNextStepDue, problemErr)
	f.contract(r, rec, cur, problem, problemErr)
	return r
}

// contract reads what only dealpilot's own export has of a deal's
// contract and splits: its type, term, ARR (in the deal's currency) and
// splits in history's form. An empty cell is none.
func (f *File) contract(r *Record, rec []string, cur string, problem func(Column, string, ...any), problemErr func(Column, error)) {
	l := f.Layout
	if v := trim(l.Cell(rec, ColType)); v != "" {
		if t, ok := domain.ParseDealType(v); ok {
			r.Type = t
		} else {
			problem(ColType, "crm.type.bad", v)
		}
	}
	if v := trim(l.Cell(rec, ColTerm)); v != "" {
		n, err := domain.ParseTermMonths(v)
		if err != nil {
			problemErr(ColTerm, err)
		}
		r.Term = n
	}
	if v := trim(l.Cell(rec, ColRecurring)); v != "" {
		if n, _, err := parseAmount(v, cur, cur); err != nil {
			problemErr(ColRecurring, err)
		} else {
			r.Recurring = n
		}
	}
	if v := trim(l.Cell(rec, ColSplits)); v != "" {
		if ss, ok := domain.ParseSplits(v); ok {
			r.Splits = ss
		} else {
			problem(ColSplits, "crm.splits.bad", v)
		}
	}
}

func (f *File) date(rec []string, c Column, problem func(Column, error)) domain.Date {
	v := trim(f.Layout.Cell(rec, c))
	if v == "" {
		return domain.Date{}
	}
	d, dm, slashed, err := splitDate(v, f.Encoding == XLSXEncoded)
	if err != nil {
		problem(c, err)
		return domain.Date{}
	}
	if slashed {
		d, err = dm.resolve(f.DateOrder)
		if err != nil {
			problem(c, errValue("crm.date.unreadable", v, err))
			return domain.Date{}
		}
	}
	return d
}

func hasProblem(r *Record, c Column) bool {
	for _, p := range r.Problems {
		if p.Column == c {
			return true
		}
	}
	return false
}

// clip shortens a value quoted in a message.
func clip(s string) string {
	if utf8.RuneCountInString(s) <= 40 {
		return s
	}
	return string([]rune(s)[:39]) + "…"
}
