package main

import (
	"strings"
	"testing"
)

// TestReportArgsRefused: every period report refuses a leftover argument
// and an unknown --format, saying which, and takes the three formats.
func TestReportArgsRefused(t *testing.T) {
	for _, name := range []string{"pipeline", "losses", "segments", "retention"} {
		for _, tt := range []struct {
			args []string
			want string
		}{
			{[]string{"report", name, "extra"}, `unexpected argument "extra"`},
			{[]string{"report", name, "--format", "xml"}, `--format "xml": use table, csv or json`},
		} {
			code, _, errOut := run(t, nil, tt.args...)
			if code != exitUsage || !strings.Contains(errOut, "dealpilot report "+name+": "+tt.want) {
				t.Errorf("%v: exit %d, %q; want %d and %q", tt.args, code, errOut, exitUsage, tt.want)
			}
		}
	}
}
