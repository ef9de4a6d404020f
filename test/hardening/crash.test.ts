import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { openDatabase } from '../../src/db/database'
import { auditLedger } from '../../src/ledger/audit'
import { Journal } from '../../src/ledger/journal'
import { Ledger } from '../../src/ledger/ledger'
import { systemClock } from '../../src/lib/clock'
import { memoryLogger } from '../../src/ops/logger'
import { localUpstream, sse, type LocalUpstream } from '../gateway/support'
import { startProductionServer, type ServerProcess } from '../ops/process'
import { freshDatabaseUrl } from '../support/database'

// The real server as its own process, production settings, under streaming load and admin
// credits, killed with SIGKILL and started again on the same database.

const ADMIN = 'crash-admin-key-0123456789abcdef'
const UPSTREAM_KEY = 'sk-or-v1-crash-test-upstream-key-77'
const USERS = 4
const STREAMS = 24

let upstream: LocalUpstream
let database: { url: string; drop: () => Promise<void> }
let dataDir: string
let servers: ServerProcess[] = []

beforeAll(async () => {
  upstream = localUpstream(
    () => new Response(slowStream(), { headers: { 'content-type': 'text/event-stream' } }),
  )
  database = await freshDatabaseUrl()
  dataDir = mkdtempSync(join(tmpdir(), 'sargalay-crash-'))
})

afterAll(async () => {
  for (const server of servers) server.process.kill('SIGKILL')
  await Promise.all(servers.map((server) => server.process.exited))
  await upstream.stop()
  await database.drop()
  rmSync(dataDir, { recursive: true, force: true })
})

/** Ten content chunks a few milliseconds apart, then usage and [DONE]. */
function slowStream() {
  const encoder = new TextEncoder()
  let sent = 0
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      await Bun.sleep(3)
      if (sent < 10) {
        sent++
        controller.enqueue(
          encoder.encode(
            sse({
              id: 'gen-crash',
              object: 'chat.completion.chunk',
              created: 1,
              model: 'demo/swift-chat',
              choices: [{ index: 0, delta: { content: 'ka ' }, finish_reason: null }],
            }),
          ),
        )
        return
      }
      controller.enqueue(
        encoder.encode(
          sse(
            {
              id: 'gen-crash',
              object: 'chat.completion.chunk',
              created: 1,
              model: 'demo/swift-chat',
              choices: [],
              usage: { prompt_tokens: 12, completion_tokens: 10, total_tokens: 22, cost: 0.00002 },
            },
            '[DONE]' as never,
          ),
        ),
      )
      controller.close()
    },
  })
}

function start() {
  return startProductionServer({
    DATABASE_URL: database.url,
    DATA_DIR: dataDir,
    ADMIN_KEY: ADMIN,
    JWT_SECRET: 'crash-jwt-secret-0123456789abcdef',
    UPSTREAM_BASE_URL: upstream.target.baseUrl,
    UPSTREAM_API_KEY: UPSTREAM_KEY,
    BUN_CONFIG_MAX_HTTP_REQUESTS: '8192',
    LOG_LEVEL: 'info',
    // Every hold is written at the next commit, so the crash leaves some for the restart.
    LEDGER_HOLD_WRITE_AFTER_MS: '0',
  }).then((server) => {
    servers.push(server)
    return server
  })
}

async function adminCall(
  origin: string,
  method: string,
  path: string,
  body?: unknown,
  key?: string,
) {
  const response = await fetch(origin + path, {
    method,
    headers: {
      authorization: `Bearer ${ADMIN}`,
      'content-type': 'application/json',
      ...(key ? { 'idempotency-key': key } : {}),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  })
  return { status: response.status, body: await response.json().catch(() => null) }
}

interface Load {
  acknowledged: { userId: string; reference: string; amountMmk: number }[]
  streamsFinished: number
  stop: boolean
}

/** Streams chat answers on every key and credits every user, until told to stop. */
function runLoad(origin: string, users: { id: string; key: string }[], load: Load) {
  const streamer = async (worker: number) => {
    const user = users[worker % users.length]!
    while (!load.stop) {
      try {
        const response = await fetch(`${origin}/v1/chat/completions`, {
          method: 'POST',
          headers: { authorization: `Bearer ${user.key}`, 'content-type': 'application/json' },
          body: JSON.stringify({
            model: 'demo/swift-chat',
            messages: [{ role: 'user', content: 'hi' }],
            max_tokens: 50,
            stream: true,
          }),
        })
        await response.text()
        load.streamsFinished++
      } catch {
        return
      }
    }
  }
  const crediter = async (worker: number) => {
    for (let n = 0; !load.stop; n++) {
      const user = users[(worker + n) % users.length]!
      const key = `crash-${worker}-${n}`
      try {
        const answer = await adminCall(
          origin,
          'POST',
          `/admin/users/${user.id}/credits`,
          { amount_mmk: 7, reason: 'load' },
          key,
        )
        if (answer.status === 200) {
          load.acknowledged.push({
            userId: user.id,
            reference: `admin-credit:${key}`,
            amountMmk: 7,
          })
        }
      } catch {
        return
      }
    }
  }
  return Promise.all([
    ...Array.from({ length: STREAMS }, (_, i) => streamer(i)),
    ...Array.from({ length: 3 }, (_, i) => crediter(i)),
  ])
}

async function until(condition: () => boolean, what: string, ms = 20_000) {
  const deadline = Date.now() + ms
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await Bun.sleep(5)
  }
}

describe('crash consistency', () => {
  test(
    'SIGKILL under streaming load and credits loses no acknowledged credit, ' +
      'charges nothing twice, and leaves no hold',
    async () => {
      const first = await start()
      const users: { id: string; key: string }[] = []
      for (let i = 0; i < USERS; i++) {
        const user = await adminCall(first.origin, 'POST', '/admin/users', { name: `Load ${i}` })
        await adminCall(
          first.origin,
          'POST',
          `/admin/users/${user.body.id}/credits`,
          { amount_mmk: 5000, reason: 'start' },
          `start-${i}`,
        )
        const key = await adminCall(first.origin, 'POST', `/admin/users/${user.body.id}/keys`, {
          name: 'load',
        })
        users.push({ id: user.body.id, key: key.body.key })
      }

      const load: Load = { acknowledged: [], streamsFinished: 0, stop: false }
      const running = runLoad(first.origin, users, load)
      await until(() => load.streamsFinished >= 60 && load.acknowledged.length >= 20, 'load')
      // Killed only once holds of streams in flight are written, so the restart has some to
      // release: the group commit writes a hold only if it is still open at a commit.
      const watcher = await openDatabase(database.url)
      const deadline = Date.now() + 20_000
      while ((await watcher.orm.select().from(watcher.t.holds).limit(1)).length === 0) {
        if (Date.now() > deadline) throw new Error('no hold was ever written')
        await Bun.sleep(1)
      }
      first.process.kill('SIGKILL')
      await watcher.close()
      await first.process.exited
      load.stop = true
      await running

      const second = await start()
      const held = await Promise.all(
        users.map(
          async (user) =>
            (await adminCall(second.origin, 'GET', `/admin/users/${user.id}`)).body.held_mmk,
        ),
      )
      second.process.kill('SIGTERM')
      expect(await second.process.exited).toBe(0)

      const db = await openDatabase(database.url)
      const { logger } = memoryLogger()
      const ledger = new Ledger(db, new Journal(db, logger, 5), systemClock, logger)
      const storedHolds = await db.orm.select().from(db.t.holds)
      await ledger.load()
      const entries = await db.orm.select().from(db.t.ledgerEntries)
      const usage = await db.orm.select().from(db.t.usageRecords)
      const problems = await auditLedger(db, ledger, { maxHoldAgeMs: 60_000, now: Date.now() })
      await db.close()

      const references = new Set(entries.map((entry) => entry.reference))
      const lostCredits = load.acknowledged.filter((credit) => !references.has(credit.reference))
      const charges = entries.filter((entry) => entry.reason === 'charge')
      const usageById = new Map(usage.map((row) => [row.id, row]))
      const unmatchedCharges = charges.filter(
        (entry) =>
          usageById.get(entry.reference.replace(/^charge:/, ''))?.chargedUnits !==
          -entry.amountUnits,
      )
      const chargedRows = usage.filter((row) => row.chargedUnits > 0)

      expect(second.events.some((event) => event.event === 'stale_holds_released')).toBe(true)
      expect(held).toEqual(Array(USERS).fill(0))
      expect(storedHolds).toEqual([])
      expect(problems).toEqual([])
      expect(lostCredits).toEqual([])
      expect(references.size).toBe(entries.length)
      expect(unmatchedCharges).toEqual([])
      expect(chargedRows.length).toBe(charges.length)
      expect(charges.length).toBeGreaterThan(0)
      expect(second.output() + first.output()).not.toContain(UPSTREAM_KEY)
    },
    60_000,
  )
})
