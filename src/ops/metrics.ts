/**
 * A small Prometheus registry: counters, gauges and histograms with labels, rendered in the
 * text exposition format. Recording is a map lookup and an addition, cheap enough for the
 * request path.
 */
type Labels = Record<string, string | number>

const needsEscape = /[\\\n"]/

const escapeLabel = (value: string) =>
  needsEscape.test(value)
    ? value.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"')
    : value

// Every recording needs the series key: label names sorted, values escaped. Recording sites
// pass the same few label sets again and again, so each distinct set is worked out once and
// kept at the end of a path of its names and values, in the order the site lists them: found
// again by map lookups alone, with no string built. Bounded, since values come from bounded
// sets; past the bound the paths are dropped and found again.
interface KeyNode {
  next: Map<string | number, KeyNode>
  key?: string
}
const knownKeys: KeyNode = { next: new Map() }
let knownNodes = 0
const MAX_KNOWN_NODES = 50_000

function labelKey(labels: Labels | undefined): string {
  if (!labels) return ''
  let node = knownKeys
  for (const name in labels) node = child(child(node, name), labels[name]!)
  return (node.key ??= canonicalKey(labels))
}

function child(node: KeyNode, step: string | number): KeyNode {
  let next = node.next.get(step)
  if (next === undefined) {
    if (++knownNodes > MAX_KNOWN_NODES) {
      knownKeys.next.clear()
      knownNodes = 0
    }
    next = { next: new Map() }
    node.next.set(step, next)
  }
  return next
}

function canonicalKey(labels: Labels): string {
  let key = ''
  for (const name of Object.keys(labels).sort()) {
    if (key) key += ','
    key += `${name}="${escapeLabel(String(labels[name]))}"`
  }
  return key
}

interface Metric {
  readonly name: string
  render(): string[]
}

export class Counter implements Metric {
  private readonly values = new Map<string, number>()

  constructor(
    readonly name: string,
    readonly help: string,
  ) {}

  inc(labels?: Labels, by = 1) {
    const key = labelKey(labels)
    this.values.set(key, (this.values.get(key) ?? 0) + by)
  }

  render() {
    const lines = [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} counter`]
    for (const [key, value] of this.values)
      lines.push(`${this.name}${key ? `{${key}}` : ''} ${value}`)
    return lines
  }
}

export class Gauge implements Metric {
  private readonly values = new Map<string, number>()

  constructor(
    readonly name: string,
    readonly help: string,
    /** A gauge read at scrape time instead of being set. */
    private readonly collect?: () => number | [Labels, number][],
  ) {}

  set(value: number, labels?: Labels) {
    this.values.set(labelKey(labels), value)
  }

  add(by: number, labels?: Labels) {
    const key = labelKey(labels)
    this.values.set(key, (this.values.get(key) ?? 0) + by)
  }

  /** Sets every series at once; a series missing from `entries` is dropped. */
  replace(entries: [Labels, number][]) {
    this.values.clear()
    for (const [labels, value] of entries) this.values.set(labelKey(labels), value)
  }

  render() {
    const lines = [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} gauge`]
    const collected = this.collect?.()
    if (typeof collected === 'number') this.values.set('', collected)
    else if (collected)
      for (const [labels, value] of collected) this.values.set(labelKey(labels), value)
    for (const [key, value] of this.values)
      lines.push(`${this.name}${key ? `{${key}}` : ''} ${value}`)
    return lines
  }
}

export class Histogram implements Metric {
  private readonly series = new Map<string, { counts: number[]; sum: number; count: number }>()

  constructor(
    readonly name: string,
    readonly help: string,
    readonly buckets: number[],
  ) {}

  observe(value: number, labels?: Labels) {
    const key = labelKey(labels)
    let entry = this.series.get(key)
    if (!entry) {
      entry = { counts: this.buckets.map(() => 0), sum: 0, count: 0 }
      this.series.set(key, entry)
    }
    for (let i = 0; i < this.buckets.length; i++) if (value <= this.buckets[i]!) entry.counts[i]!++
    entry.sum += value
    entry.count++
  }

  render() {
    const lines = [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} histogram`]
    for (const [key, entry] of this.series) {
      const extra = key ? `,${key}` : ''
      this.buckets.forEach((bound, i) => {
        lines.push(`${this.name}_bucket{le="${bound}"${extra}} ${entry.counts[i]}`)
      })
      lines.push(`${this.name}_bucket{le="+Inf"${extra}} ${entry.count}`)
      lines.push(`${this.name}_sum${key ? `{${key}}` : ''} ${entry.sum}`)
      lines.push(`${this.name}_count${key ? `{${key}}` : ''} ${entry.count}`)
    }
    return lines
  }
}

export class MetricsRegistry {
  private readonly metrics: Metric[] = []

  counter(name: string, help: string) {
    return this.add(new Counter(name, help))
  }

  gauge(name: string, help: string, collect?: () => number | [Labels, number][]) {
    return this.add(new Gauge(name, help, collect))
  }

  histogram(name: string, help: string, buckets: number[]) {
    return this.add(new Histogram(name, help, buckets))
  }

  render(): string {
    return this.metrics.flatMap((metric) => metric.render()).join('\n') + '\n'
  }

  /** True when a metric of that name is registered, for parts that register lazily. */
  has(name: string) {
    return this.metrics.some((metric) => metric.name === name)
  }

  private add<T extends Metric>(metric: T): T {
    // Two series of one name would make the whole scrape invalid, so fail where it happens.
    if (this.has(metric.name)) throw new Error(`metric ${metric.name} is registered twice`)
    this.metrics.push(metric)
    return metric
  }
}

/** Seconds buckets from 1 ms to 60 s, for request and upstream timings. */
export const latencyBuckets = [
  0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60,
]
