package bot

import (
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// Metrics are the transport's Prometheus collectors, registered on the
// registry the caller passes (no global registry).
type Metrics struct {
	updates  *prometheus.CounterVec
	sends    *prometheus.CounterVec
	queue    prometheus.Gauge
	latency  *prometheus.HistogramVec
	inflight prometheus.Gauge
	reclaim  prometheus.Counter
}

// NewMetrics creates and registers the collectors.
func NewMetrics(reg prometheus.Registerer) *Metrics {
	m := &Metrics{
		updates: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "crmbot_updates_total", Help: "Telegram updates by kind and outcome.",
		}, []string{"kind", "outcome"}),
		sends: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "crmbot_sends_total", Help: "Outgoing Bot API calls by outcome.",
		}, []string{"outcome"}),
		queue: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "crmbot_send_queue_depth", Help: "Messages waiting in the sender.",
		}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "crmbot_handler_duration_seconds", Help: "Update handling latency.",
			Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10},
		}, []string{"kind"}),
		inflight: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "crmbot_updates_in_flight", Help: "Updates being handled now.",
		}),
		reclaim: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "crmbot_reminder_reclaims_total", Help: "Reminder leases taken over from a worker that did not finish: possible duplicate pushes.",
		}),
	}
	if reg != nil {
		reg.MustRegister(m.updates, m.sends, m.queue, m.latency, m.inflight, m.reclaim)
	}
	return m
}

// Reclaimed counts reminder leases taken over (possible duplicates).
func (m *Metrics) Reclaimed(n int) {
	if m != nil {
		m.reclaim.Add(float64(n))
	}
}

// Sent counts one send outcome.
func (m *Metrics) Sent(outcome string) {
	if m != nil {
		m.sends.WithLabelValues(outcome).Inc()
	}
}

// QueueDepth sets the sender queue gauge.
func (m *Metrics) QueueDepth(n int) {
	if m != nil {
		m.queue.Set(float64(n))
	}
}

func (m *Metrics) handled(kind, outcome string, d time.Duration) {
	if m == nil {
		return
	}
	m.updates.WithLabelValues(kind, outcome).Inc()
	m.latency.WithLabelValues(kind).Observe(d.Seconds())
}
