import { Database as Sqlite } from 'bun:sqlite'
import { sha256Hex } from '../../src/lib/crypto'
import { openDatabase } from '../../src/db/database'

export interface SeedSizes {
  accounts: number
  usageRows: number
}

export interface Seeded {
  /** The account that owns every usage row, as a heavy user would. */
  heavyAccountId: string
}

const DAY_MS = 86_400_000
// Inside the 90-day retention, so start-up measures loading rather than a one-off roll-up.
const SPREAD_DAYS = 89
/** The heavy account, whose portal pages are timed. */
export const HEAVY_ACCOUNT_NAME = 'Bench heavy user'
const models = Array.from({ length: 20 }, (_, i) => `bench-${i}/model-${i}`)
const seededKey = (i: number) => `sk-sg-bench-seeded-key-${i}`
const accountId = (i: number) => `acc_bench${String(i).padStart(8, '0')}`
export const HEAVY_ACCOUNT_ID = accountId(0)

/**
 * Fills a SQLite file through the real migrations, then with plain bulk inserts in a few big
 * transactions: accounts each with a key and an opening credit, and usage rows with their
 * charge entries spread over the last 89 days, so balances still equal their entries.
 */
export async function seedSqlite(path: string, sizes: SeedSizes, now = Date.now()) {
  const migrated = await openDatabase(path)
  await migrated.close()
  const db = new Sqlite(path)
  db.exec('PRAGMA journal_mode = WAL')
  db.exec('PRAGMA synchronous = OFF')

  const perRowUnits = 540
  const openingUnits = 1_000_000 * 10_000
  db.transaction(() => seedAccounts(db, sizes.accounts, openingUnits, now))()
  for (let from = 0; from < sizes.usageRows; from += 100_000) {
    const to = Math.min(sizes.usageRows, from + 100_000)
    db.transaction(() => seedUsage(db, from, to, sizes.usageRows, perRowUnits, now))()
  }
  const spent = perRowUnits * sizes.usageRows
  db.query('UPDATE accounts SET balance_units = balance_units - ? WHERE id = ?').run(
    spent,
    accountId(0),
  )
  db.exec('PRAGMA wal_checkpoint(TRUNCATE)')
  db.close()
  return { heavyAccountId: accountId(0) } satisfies Seeded
}

function seedAccounts(db: Sqlite, count: number, openingUnits: number, now: number) {
  const account = db.prepare(
    `INSERT INTO accounts (id, name, email, is_admin, locale, balance_units, created_at, updated_at)
     VALUES (?, ?, ?, 0, 'en', ?, ?, ?)`,
  )
  const key = db.prepare(
    `INSERT INTO api_keys (id, account_id, name, prefix, hash, created_at)
     VALUES (?, ?, 'default', ?, ?, ?)`,
  )
  const entry = db.prepare(
    `INSERT INTO ledger_entries
       (id, account_id, amount_units, balance_after_units, reason, reference, note, created_at)
     VALUES (?, ?, ?, ?, 'adjustment', ?, 'opening balance', ?)`,
  )
  for (let i = 0; i < count; i++) {
    const id = accountId(i)
    const created = now - 120 * DAY_MS
    const name = i === 0 ? HEAVY_ACCOUNT_NAME : `Bench user ${i}`
    account.run(id, name, `user${i}@bench.example`, openingUnits, created, created)
    const raw = seededKey(i)
    key.run(`key_bench${i}`, id, raw.slice(0, 10), sha256Hex(raw), created)
    entry.run(`led_open${i}`, id, openingUnits, openingUnits, `open:${id}`, created)
  }
}

function seedUsage(
  db: Sqlite,
  from: number,
  to: number,
  total: number,
  units: number,
  now: number,
) {
  const usage = db.prepare(
    `INSERT INTO usage_records (id, account_id, key_id, endpoint, model, prompt_tokens,
       completion_tokens, upstream_cost_nano_usd, usd_to_mmk_rate, price_markup, charged_units,
       status, latency_ms, ttfb_ms, generation_id, created_at)
     VALUES (?, ?, 'key_bench0', 'chat.completions', ?, 120, 80, 100000, '4500', '1.2', ?,
       'ok', 900, 300, NULL, ?)`,
  )
  const entry = db.prepare(
    `INSERT INTO ledger_entries
       (id, account_id, amount_units, balance_after_units, reason, reference, note, created_at)
     VALUES (?, ?, ?, ?, 'charge', ?, NULL, ?)`,
  )
  const owner = accountId(0)
  const opening = 1_000_000 * 10_000
  const step = (SPREAD_DAYS * DAY_MS) / total
  for (let i = from; i < to; i++) {
    const at = Math.floor(now - SPREAD_DAYS * DAY_MS + i * step)
    const id = `use_bench${String(i).padStart(8, '0')}`
    usage.run(id, owner, models[i % models.length]!, units, at)
    entry.run(`led_use${i}`, owner, -units, opening - units * (i + 1), `charge:${id}`, at)
  }
}
