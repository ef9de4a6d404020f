import type { Database } from '../../db/database'
import type { UsageRecord } from '../../ledger/usage-queries'
import { unitsToMmk } from '../../ledger/money'
import { usagePage, type UsageFilters } from './usage-page'

const BATCH = 1000
const header = [
  'time_utc',
  'key_id',
  'model',
  'prompt_tokens',
  'completion_tokens',
  'charged_mmk',
  'status',
]

/**
 * One CSV cell. Quotes when needed, and defuses text a spreadsheet would run as a formula
 * (a model id is upstream text, not ours).
 */
export function csvCell(value: string | number | null): string {
  let text = value === null ? '' : String(value)
  if (/^[=+\-@\t\r]/.test(text) && typeof value === 'string') text = `'${text}`
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text
}

function csvRow(row: UsageRecord) {
  return [
    new Date(row.createdAt).toISOString(),
    row.keyId,
    row.model,
    row.promptTokens,
    row.completionTokens,
    unitsToMmk(row.chargedUnits),
    row.status,
  ]
    .map(csvCell)
    .join(',')
}

/** Every matching row as CSV, read in keyset batches so memory stays flat however many. */
export function usageCsv(
  db: Database,
  filters: UsageFilters,
  signal?: AbortSignal,
): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder()
  let cursor: Parameters<typeof usagePage>[2]
  let started = false
  return new ReadableStream({
    async pull(controller) {
      if (!started) {
        started = true
        controller.enqueue(encoder.encode(header.join(',') + '\r\n'))
      }
      if (signal?.aborted) return controller.close()
      const { rows, next } = await usagePage(db, filters, cursor, BATCH)
      if (rows.length > 0)
        controller.enqueue(encoder.encode(rows.map(csvRow).join('\r\n') + '\r\n'))
      if (!next) return controller.close()
      cursor = next
    },
  })
}
