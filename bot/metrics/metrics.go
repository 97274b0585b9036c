// Package metrics holds dealpilot's Prometheus metrics: how fast envelopes
// are acknowledged and handled, how the Web API answers, how often the
// socket reconnects, how scheduled jobs fare and how long writes wait on the
// disk. `dealpilot serve` exposes them on /metrics.
//
// Every method is safe on a nil *Metrics, so tests and the demo run
// without a registry.
package metrics

import (
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Metrics is the set of dealpilot's collectors, on their own registry.
type Metrics struct {
	reg         *prometheus.Registry
	ack         *prometheus.HistogramVec
	handler     *prometheus.HistogramVec
	api         *prometheus.HistogramVec
	apiErrors   *prometheus.CounterVec
	rateLimited *prometheus.CounterVec
	reconnects  prometheus.Counter
	jobs        *prometheus.CounterVec
	writes      prometheus.Histogram
	badRecords  *prometheus.CounterVec
}

// Fine buckets: acks are sub-millisecond on a healthy bot, and Slack's
// limit is 3 s.
var latencyBuckets = []float64{0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5}

// New registers every collector, plus the Go runtime and process ones.
func New() *Metrics {
	m := &Metrics{
		reg: prometheus.NewRegistry(),
		ack: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "dealpilot_ack_seconds", Help: "Time from receiving a Socket Mode envelope to acknowledging it, by kind.",
			Buckets: latencyBuckets}, []string{"kind"}),
		handler: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "dealpilot_handler_seconds", Help: "Time to handle an envelope completely (ack and follow-up Web API calls), by kind.",
			Buckets: latencyBuckets}, []string{"kind"}),
		api: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "dealpilot_slack_api_seconds", Help: "Slack Web API call latency, retries included, by method.",
			Buckets: latencyBuckets}, []string{"method"}),
		apiErrors: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "dealpilot_slack_api_errors_total", Help: "Slack Web API calls that failed after retries, by method."}, []string{"method"}),
		rateLimited: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "dealpilot_slack_api_rate_limited_total", Help: "HTTP 429 answers from the Slack Web API, by method."}, []string{"method"}),
		reconnects: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "dealpilot_socket_reconnects_total", Help: "Socket Mode connections opened after the first."}),
		jobs: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "dealpilot_jobs_total", Help: "Scheduled job runs, by job and result (ok or failed)."}, []string{"job", "result"}),
		writes: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name: "dealpilot_store_write_seconds", Help: "bbolt write transactions up to their commit, fsync included.",
			Buckets: latencyBuckets}),
		badRecords: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "dealpilot_store_bad_records_total", Help: "Undecodable records skipped by reads (each counted once per process), by bucket; run dealpilot check."}, []string{"bucket"}),
	}
	m.reg.MustRegister(m.ack, m.handler, m.api, m.apiErrors, m.rateLimited, m.reconnects, m.jobs, m.writes, m.badRecords,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

// Handler serves the metrics in Prometheus' text format.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{Registry: m.reg})
}

// Ack records an envelope's time to acknowledgement.
func (m *Metrics) Ack(kind string, d time.Duration) {
	if m != nil {
		m.ack.WithLabelValues(kind).Observe(d.Seconds())
	}
}

// Handled records an envelope's complete handling time.
func (m *Metrics) Handled(kind string, d time.Duration) {
	if m != nil {
		m.handler.WithLabelValues(kind).Observe(d.Seconds())
	}
}

// APICall records a Web API call's latency and, when it failed, the error.
func (m *Metrics) APICall(method string, d time.Duration, err error) {
	if m == nil {
		return
	}
	m.api.WithLabelValues(method).Observe(d.Seconds())
	if err != nil {
		m.apiErrors.WithLabelValues(method).Inc()
	}
}

// RateLimited counts a 429.
func (m *Metrics) RateLimited(method string) {
	if m != nil {
		m.rateLimited.WithLabelValues(method).Inc()
	}
}

// Reconnected counts a reconnection.
func (m *Metrics) Reconnected() {
	if m != nil {
		m.reconnects.Inc()
	}
}

// Job records a scheduled job run.
func (m *Metrics) Job(name string, err error) {
	if m == nil {
		return
	}
	result := "ok"
	if err != nil {
		result = "failed"
	}
	m.jobs.WithLabelValues(name, result).Inc()
}

// Write records a store write transaction's duration.
func (m *Metrics) Write(d time.Duration) {
	if m != nil {
		m.writes.Observe(d.Seconds())
	}
}

// BadRecord counts an undecodable record the store skipped (once per record).
func (m *Metrics) BadRecord(bucket string) {
	if m != nil {
		m.badRecords.WithLabelValues(bucket).Inc()
	}
}
