import { latencyBuckets, type Counter, type Histogram, type MetricsRegistry } from './metrics'

/** What the request log records per request, beside its log line. */
export interface HttpMetrics {
  requests: Counter
  duration: Histogram
}

const byRegistry = new WeakMap<MetricsRegistry, HttpMetrics>()

/** The HTTP-level metrics of one registry, registered on first use. */
export function httpMetrics(registry: MetricsRegistry): HttpMetrics {
  const known = byRegistry.get(registry)
  if (known) return known
  const metrics = {
    requests: registry.counter(
      'sargalay_http_requests_total',
      'HTTP requests answered, by route pattern, method, status and model.',
    ),
    duration: registry.histogram(
      'sargalay_http_request_duration_seconds',
      'Time from receiving a request to its last byte, by route pattern.',
      latencyBuckets,
    ),
  }
  byRegistry.set(registry, metrics)
  return metrics
}

export interface RequestOutcome {
  route: string
  method: string
  status: number
  durationMs: number
  model?: string
}

export function recordRequest(metrics: HttpMetrics, outcome: RequestOutcome) {
  metrics.requests.inc({
    route: outcome.route,
    method: outcome.method,
    status: outcome.status,
    model: outcome.model ?? '',
  })
  metrics.duration.observe(outcome.durationMs / 1000, { route: outcome.route })
}
