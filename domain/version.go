package domain

// CheckOpened is the rule a form about an existing deal is held to when it
// is submitted: the form was opened on version opened of the deal, which is
// now cur, with history hist (oldest first; only read when they differ).
//
// Any change since the form was opened, by anyone (the submitter's own
// quick command included), refuses it with a *Conflict naming each change,
// who made it and when: a form saves every field it shows, so saving it
// over a newer version would silently revert that change. A form that
// names no version (0) or one the deal never had is refused as well: 0 is
// never "whatever is stored now".
func CheckOpened(opened uint64, cur *Deal, hist []HistoryEntry) error {
	switch {
	case opened == 0 || opened > cur.Version:
		return Errorf(EINVALID, "form.no_version", cur.ID.Ref())
	case opened == cur.Version:
		return nil
	}
	return &Conflict{Deal: cur.ID, By: cur.UpdatedBy, At: cur.UpdatedAt, Currency: cur.Currency,
		Changes: ChangesSince(opened, cur, hist)}
}

// ChangesSince are the entries of hist (a deal's history, oldest first)
// that made cur from version opened. Entries written before history kept
// versions cannot be placed: then the last change (the entries stamped with
// cur's last update) is what is known.
func ChangesSince(opened uint64, cur *Deal, hist []HistoryEntry) []HistoryEntry {
	var out []HistoryEntry
	for _, e := range hist {
		if e.Version > opened {
			out = append(out, e)
		}
	}
	if len(out) > 0 {
		return out
	}
	for _, e := range hist {
		if e.Version == 0 && e.By == cur.UpdatedBy && e.At.Equal(cur.UpdatedAt) {
			out = append(out, e)
		}
	}
	return out
}
