import { expect, test } from 'bun:test'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { SMOKE } from '../../bench/lib/bench'
import { targets } from '../../bench/lib/targets'
import { dialect, serverUrl } from '../support/database'

const root = join(import.meta.dir, '..', '..')

interface Result {
  mode: string
  figures: { id: string; value: unknown; detail: { error?: string }; bareProxy?: unknown }[]
}

async function smokeRun(out: string, options: string[]) {
  const child = Bun.spawn(
    [process.execPath, 'bench/run.ts', '--smoke', `--out=${out}`, ...options],
    {
      cwd: root,
      stdout: 'pipe',
      stderr: 'pipe',
    },
  )
  const [table, log, code] = await Promise.all([
    new Response(child.stdout).text(),
    new Response(child.stderr).text(),
    child.exited,
  ])

  expect({ code, log: code === 0 ? '' : log }).toEqual({ code: 0, log: '' })
  return { table, result: JSON.parse(readFileSync(out, 'utf8')) as Result }
}

// Speed is never asserted here: this only proves that every step of the suite still runs.
test('the benchmark suite runs every step in smoke mode and writes every figure', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sargalay-bench-smoke-'))
  const out = join(dir, 'latest.json')
  const postgres = dialect === 'pg' ? [`--postgres=${serverUrl}`] : []

  const { table, result } = await smokeRun(out, postgres)
  rmSync(dir, { recursive: true, force: true })
  expect(result.mode).toBe('smoke')
  const measured = Object.fromEntries(
    result.figures.map((f) => [f.id, typeof f.value === 'number' && f.detail.error === undefined]),
  )
  const everyFigure = Object.fromEntries(Object.keys(targets(SMOKE)).map((id) => [id, true]))
  expect(measured).toEqual(everyFigure)
  for (const spec of Object.values(targets(SMOKE))) expect(table).toContain(spec.label)

  // Figures taken against the direct upstream carry the bare proxy's result for the same.
  const withFloor = result.figures.filter((f) => typeof f.bareProxy === 'number').map((f) => f.id)
  expect(withFloor).toEqual([
    'added_latency_ms',
    'stream_ttfc_added_p99_ms',
    'stream_chunk_added_p99_ms',
  ])
  expect(table).toContain('| bare proxy |')
}, 180_000)

test('--only measures just the steps that give the figures named', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sargalay-bench-only-'))
  const out = join(dir, 'latest.json')

  const { table, result } = await smokeRun(out, ['--only=search_p99_ms,stream_chunk_added_p99_ms'])
  rmSync(dir, { recursive: true, force: true })

  // The streaming step gives both of its figures.
  const ids = result.figures.map((f) => f.id).sort()
  expect(ids).toEqual(['search_p99_ms', 'stream_chunk_added_p99_ms', 'stream_ttfc_added_p99_ms'])
  expect(table).not.toContain('start-up')
}, 120_000)
