package export

// Table is what one export writes: a header and rows, streamed, so a large
// file is never held whole in memory.
type Table struct {
	// Name names the table: the XLSX sheet ("Deals").
	Name   string
	Header []string
	// Rows calls row for each row, in order, and stops at its first error.
	// A row has one cell per header column; the writer may keep the slice
	// only until row returns.
	Rows func(row func([]Cell) error) error
}
