package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"
)

// writeBenchCSV writes a HubSpot export of n deals: five stages, two
// owners, quoted amounts with thousands separators, ISO dates.
func writeBenchCSV(b *testing.B, n int) string {
	b.Helper()
	path := filepath.Join(b.TempDir(), "deals.csv")
	f, err := os.Create(path)
	if err != nil {
		b.Fatal(err)
	}
	w := bufio.NewWriter(f)
	fmt.Fprintln(w, "Record ID,Deal Name,Deal Stage,Close Date,Deal owner,Amount,Pipeline,Associated Company,Create Date,Next step")
	stages := []string{"Appointment Scheduled", "Qualified To Buy", "Presentation Scheduled", "Decision Maker Bought-In", "Contract Sent"}
	owners := []string{"Léa Martin", "hugo@example.com"}
	for i := 1; i <= n; i++ {
		fmt.Fprintf(w, "%d,\"Deal %d, phase %d\",%s,2027-%02d-%02d,%s,\"%d,%03d.%02d\",Sales Pipeline,Account %d,2026-09-01 10:12,Call back\n",
			1_000_000+i, i, i%7, stages[i%len(stages)], 1+i%12, 1+i%28, owners[i%2], 1+i%90, i%1000, i%100, i%5000)
	}
	if err := w.Flush(); err != nil {
		b.Fatal(err)
	}
	f.Close()
	return path
}

// BenchmarkImport100k imports 100,000 HubSpot rows into an empty database
// file, as `dealpilot import` does (open and check the file, plan every
// row, write 1,000 rows per transaction). It reports rows/s and the
// process's peak RSS (getrusage's ru_maxrss), the bound the streaming
// reader and the batches keep. Run:
//
//	go test ./cmd/dealpilot -run '^$' -bench 'Import100k' -benchtime 1x -benchmem
func BenchmarkImport100k(b *testing.B) { benchImport(b, false) }

// BenchmarkImportDryRun100k is the dry run of the same file: read, map and
// plan every row against the (empty) database, write nothing.
func BenchmarkImportDryRun100k(b *testing.B) { benchImport(b, true) }

func benchImport(b *testing.B, dry bool) {
	const rows = 100_000
	csv := writeBenchCSV(b, rows)
	dir := b.TempDir()
	cfg := filepath.Join(dir, "dealpilot.yaml")
	if err := os.WriteFile(cfg, []byte(importConfig), 0o600); err != nil {
		b.Fatal(err)
	}
	saved := reportNow
	reportNow = func() time.Time { return time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC) }
	defer func() { reportNow = saved }()
	args := []string{"import", csv}
	if dry {
		args = append(args, "--dry-run")
	}
	b.ResetTimer()
	start := time.Now()
	for i := 0; i < b.N; i++ {
		db := filepath.Join(dir, fmt.Sprintf("bench-%d.db", i))
		getenv := func(k string) string {
			switch k {
			case "DEALPILOT_DB":
				return db
			case "DEALPILOT_CONFIG":
				return cfg
			}
			return ""
		}
		if code := Main(context.Background(), args, io.Discard, io.Discard, getenv); code != exitOK {
			b.Fatalf("import exit %d", code)
		}
	}
	elapsed := time.Since(start)
	b.StopTimer()
	b.ReportMetric(float64(rows*b.N)/elapsed.Seconds(), "rows/s")
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err == nil {
		b.ReportMetric(float64(ru.Maxrss)/1024, "peak-RSS-MiB")
	}
}
