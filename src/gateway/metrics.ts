import {
  latencyBuckets,
  type Counter,
  type Gauge,
  type Histogram,
  type MetricsRegistry,
} from '../ops/metrics'

/** The gateway's own series, beside the HTTP-level ones the request log records. */
export interface GatewayMetrics {
  requests: Counter
  latency: Histogram
  upstreamTtfb: Histogram
  streamsInFlight: Gauge
  chargedMmk: Counter
  upstreamErrors: Counter
}

const byRegistry = new WeakMap<MetricsRegistry, GatewayMetrics>()

/** The gateway metrics of one registry, registered on first use. */
export function gatewayMetrics(registry: MetricsRegistry): GatewayMetrics {
  const known = byRegistry.get(registry)
  if (known) return known
  const metrics: GatewayMetrics = {
    requests: registry.counter(
      'sargalay_gateway_requests_total',
      'Proxied requests answered, by route, status and model.',
    ),
    latency: registry.histogram(
      'sargalay_gateway_request_seconds',
      'Time from receiving a proxied request until its answer ended, by route.',
      latencyBuckets,
    ),
    upstreamTtfb: registry.histogram(
      'sargalay_gateway_upstream_ttfb_seconds',
      'Time from forwarding a request until the first byte of the upstream answer, by route.',
      latencyBuckets,
    ),
    streamsInFlight: registry.gauge(
      'sargalay_gateway_streams_in_flight',
      'Streamed answers being relayed right now.',
    ),
    chargedMmk: registry.counter(
      'sargalay_gateway_charged_mmk_total',
      'Kyat charged for proxied requests, by model.',
    ),
    upstreamErrors: registry.counter(
      'sargalay_gateway_upstream_errors_total',
      'Upstream failures, by kind: status, network, timeout, body, stream.',
    ),
  }
  byRegistry.set(registry, metrics)
  return metrics
}
