import { describe, expect, test } from 'bun:test'
import { MetricsRegistry } from '../../src/ops/metrics'

const seriesOf = (registry: MetricsRegistry, name: string) =>
  registry
    .render()
    .split('\n')
    .filter((line) => line.startsWith(name))

describe('metric series keys', () => {
  test('one label set is one series, whatever its name order or value types', () => {
    const registry = new MetricsRegistry()
    const requests = registry.counter('t_requests_total', 'Requests.')

    requests.inc({ route: '/v1/chat/completions', status: 200 })
    requests.inc({ status: 200, route: '/v1/chat/completions' })
    requests.inc({ route: '/v1/chat/completions', status: '200' })
    requests.inc({ route: '/v1/chat/completions', status: 402 })

    expect(seriesOf(registry, 't_requests_total{')).toEqual([
      't_requests_total{route="/v1/chat/completions",status="200"} 3',
      't_requests_total{route="/v1/chat/completions",status="402"} 1',
    ])
  })

  test('label sets that share values or would read alike when joined stay apart', () => {
    const registry = new MetricsRegistry()
    const seen = registry.counter('t_seen_total', 'Seen.')

    seen.inc({ a: 'x\u0000b', b: 'y' })
    seen.inc({ a: 'x', b: 'b\u0000y' })
    seen.inc({ a: 'say "hi"\n' })
    seen.inc({ a: 'z' })
    seen.inc({ b: 'z' })

    expect(seriesOf(registry, 't_seen_total{')).toEqual([
      't_seen_total{a="x\u0000b",b="y"} 1',
      't_seen_total{a="x",b="b\u0000y"} 1',
      't_seen_total{a="say \\"hi\\"\\n"} 1',
      't_seen_total{a="z"} 1',
      't_seen_total{b="z"} 1',
    ])
  })

  test('past the bound on remembered label sets, counts still add up', () => {
    const registry = new MetricsRegistry()
    const hits = registry.counter('t_hits_total', 'Hits.')
    const latency = registry.histogram('t_latency_seconds', 'Latency.', [0.1, 1])

    hits.inc({ model: 'first' })
    for (let i = 0; i < 40_000; i++) hits.inc({ model: `m${i}` })
    hits.inc({ model: 'first' }, 2)
    latency.observe(0.5, { route: 'a' })

    expect(seriesOf(registry, 't_hits_total{model="first"}')).toEqual([
      't_hits_total{model="first"} 3',
    ])
    expect(seriesOf(registry, 't_hits_total{').length).toBe(40_001)
    expect(seriesOf(registry, 't_latency_seconds_count')).toEqual([
      't_latency_seconds_count{route="a"} 1',
    ])
  })
})
