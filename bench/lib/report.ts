import { mkdirSync, writeFileSync } from 'node:fs'
import { dirname } from 'node:path'
import { round } from './stats'
import { targets, type FigureId } from './targets'
import type { Sizes } from './bench'

/** One row of the table: a measured value against its target. */
export interface Figure {
  id: FigureId
  label: string
  value: number
  unit: 'ms' | 'x' | 'MB'
  /** `max`: the value must be at most the target; `min`: at least. */
  bound: 'max' | 'min'
  target: number
  met: boolean
  /**
   * The same measure taken through the bare proxy in the same run, for a figure measured
   * against the direct upstream: what any Bun proxy adds here, the floor under the value.
   */
  bareProxy?: number
  /** The numbers the value came from, for the JSON file. */
  detail: Record<string, unknown>
}

export type FigureSpec = Omit<Figure, 'value' | 'met' | 'detail'>

export interface FigureExtras {
  /** A condition beyond the bound (e.g. every stream ended). */
  holds?: boolean
  bareProxy?: number
}

/** A measured figure against its target from ./targets. */
export function figure(
  sizes: Sizes,
  id: FigureId,
  value: number,
  detail: Record<string, unknown>,
  extras: FigureExtras = {},
): Figure {
  const spec = targets(sizes)[id]
  const within = spec.bound === 'max' ? value <= spec.target : value >= spec.target
  const met = (extras.holds ?? true) && within
  const bare = extras.bareProxy === undefined ? {} : { bareProxy: round(extras.bareProxy) }
  return { id, ...spec, value: round(value), met, ...bare, detail: rounded(detail) }
}

/** The figures a step should have produced, each marked with the error that stopped it. */
export function failed(sizes: Sizes, ids: FigureId[], error: unknown): Figure[] {
  const message = error instanceof Error ? error.message : String(error)
  return ids.map((id) => ({
    id,
    ...targets(sizes)[id],
    value: Number.NaN,
    met: false,
    detail: { error: message.slice(0, 500) },
  }))
}

function rounded(detail: Record<string, unknown>): Record<string, unknown> {
  const walk = (value: unknown): unknown => {
    if (typeof value === 'number') return round(value)
    if (Array.isArray(value)) return value.map(walk)
    if (value && typeof value === 'object') {
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, walk(v)]))
    }
    return value
  }
  return walk(detail) as Record<string, unknown>
}

const show = (value: number, unit: Figure['unit']) =>
  unit === 'x' ? `${value}×` : `${value} ${unit}`

/**
 * The table as Markdown, the form the README carries. The bare proxy's column shows, where
 * it applies, how far a proxy that does nothing but forward got on the same figure.
 */
export function table(figures: Figure[]): string {
  const rows = figures.map((f) => {
    const target = `${f.bound === 'max' ? '≤' : '≥'} ${show(f.target, f.unit)}`
    const value = Number.isNaN(f.value) ? 'not measured' : show(f.value, f.unit)
    const bare = f.bareProxy === undefined ? '' : show(f.bareProxy, f.unit)
    return `| ${f.label} | ${value} | ${target} | ${f.met ? 'met' : 'MISSED'} | ${bare} |`
  })
  const head = ['| figure | measured | target | | bare proxy |', '| --- | --- | --- | --- | --- |']
  return [...head, ...rows].join('\n')
}

export interface RunInfo {
  command: string
  mode: 'smoke' | 'full'
  loadTool: string
  startedAt: string
  seconds: number
  machine: Record<string, string | number>
}

export function writeJson(path: string, run: RunInfo, figures: Figure[]) {
  mkdirSync(dirname(path), { recursive: true })
  const json = figures.map((f) => ({ ...f, value: Number.isNaN(f.value) ? null : f.value }))
  writeFileSync(path, JSON.stringify({ ...run, figures: json }, null, 2) + '\n')
}
