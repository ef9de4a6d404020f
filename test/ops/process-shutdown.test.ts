import { afterEach, describe, expect, test } from 'bun:test'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { sql } from 'drizzle-orm'
import { openDatabase } from '../../src/db/database'
import { dialect, freshDatabaseUrl } from '../support/database'
import { startServer, type ServerProcess } from './process'
import { MODEL, slowUpstream } from './slow-upstream'

const root = join(import.meta.dir, '..', '..')
const ADMIN_KEY = 'process-admin-key-0123456789'
const cleanups: (() => Promise<void> | void)[] = []

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

async function serverEnv(upstreamUrl = 'http://127.0.0.1:9/api/v1') {
  const dataDir = mkdtempSync(join(tmpdir(), 'sargalay-process-'))
  cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }))
  let databaseUrl = join(dataDir, 'sargalay.db')
  if (dialect === 'pg') {
    const database = await freshDatabaseUrl()
    cleanups.push(database.drop)
    databaseUrl = database.url
  }
  return {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: dataDir,
    DATA_DIR: dataDir,
    DATABASE_URL: databaseUrl,
    PORT: '0',
    HOST: '127.0.0.1',
    ADMIN_KEY,
    JWT_SECRET: 'process-jwt-secret-0123456789',
    UPSTREAM_BASE_URL: upstreamUrl,
    UPSTREAM_API_KEY: 'sk-or-v1-process-test-upstream-key',
    LEDGER_FLUSH_MS: '1000',
    SHUTDOWN_GRACE_MS: '10000',
  }
}

const asAdmin = (origin: string, method: string, path: string, body?: unknown) =>
  fetch(`${origin}${path}`, {
    method,
    headers: { authorization: `Bearer ${ADMIN_KEY}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  }).then((response) => response.json())

describe('bun src/index.ts as a process', () => {
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    test(`on ${signal} it shuts down in order, exits 0 and leaves its data behind`, async () => {
      const env = await serverEnv()
      const server = await startServer(['bun', 'src/index.ts'], env, root)
      cleanups.push(() => void server.process.kill('SIGKILL'))
      const user = await asAdmin(server.origin, 'POST', '/admin/users', { name: 'Thida' })
      await asAdmin(server.origin, 'POST', `/admin/users/${user.id}/credits`, {
        amount_mmk: 2500,
        reason: 'opening',
      })

      server.process.kill(signal)
      const exitCode = await server.process.exited
      const db = await openDatabase(env.DATABASE_URL)
      const stored = await db.orm.select().from(db.t.accounts)
      await db.close()

      expect(exitCode).toBe(0)
      expect(server.events.map((event) => event.event)).toEqual(
        expect.arrayContaining(['stopping', 'shutdown_started', 'shutdown_complete']),
      )
      expect(stored.map(({ name, balanceUnits }) => ({ name, balanceUnits }))).toEqual([
        { name: 'Thida', balanceUnits: 25_000_000 },
      ])
    }, 60_000)
  }
})

/** A funded account with a key, made through the admin API of the running server. */
async function customer(origin: string) {
  const user = await asAdmin(origin, 'POST', '/admin/users', { name: 'Streamer' })
  await asAdmin(origin, 'POST', `/admin/users/${user.id}/credits`, {
    amount_mmk: 5000,
    reason: 'x',
  })
  const key = await asAdmin(origin, 'POST', `/admin/users/${user.id}/keys`, { name: 'k' })
  return key.key as string
}

/** Starts a streamed chat request; resolves once its first chunk is in, with the rest to come. */
async function openStream(origin: string, key: string) {
  const response = await fetch(`${origin}/v1/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      model: MODEL,
      stream: true,
      messages: [{ role: 'user', content: 'hi' }],
    }),
  })
  const reader = response.body!.getReader()
  const decoder = new TextDecoder()
  let text = decoder.decode((await reader.read()).value)
  const rest = (async () => {
    for (;;) {
      const { value, done } = await reader.read().catch(() => ({ value: undefined, done: true }))
      if (done) return text
      text += decoder.decode(value)
    }
  })()
  return { status: response.status, rest }
}

/** What the stopped process left in its database. */
async function leftBehind(databaseUrl: string) {
  const db = await openDatabase(databaseUrl)
  const usage = await db.orm.select().from(db.t.usageRecords)
  const holds = await db.orm.select().from(db.t.holds)
  const { accounts, ledgerEntries } = db.t
  const [sums] = await db.orm
    .select({
      balances: sql<string>`(select sum(${accounts.balanceUnits}) from ${accounts})`,
      entries: sql<string>`(select sum(${ledgerEntries.amountUnits}) from ${ledgerEntries})`,
    })
    .from(db.t.accounts)
    .limit(1)
  await db.close()
  return {
    usage: usage.map((row) => ({
      completionTokens: row.completionTokens,
      charged: row.chargedUnits > 0,
    })),
    holds: holds.length,
    balanced: Number(sums!.balances) === Number(sums!.entries),
  }
}

async function stopAndWait(server: ServerProcess) {
  server.process.kill('SIGTERM')
  return server.process.exited
}

describe('bun src/index.ts with a stream in flight', () => {
  test(
    'on SIGTERM the stream finishes, ' + 'its charge is written, and the process exits 0',
    async () => {
      const upstream = slowUpstream(20, 50)
      cleanups.push(() => upstream.stop())
      const env = await serverEnv(upstream.baseUrl)
      const server = await startServer(['bun', 'src/index.ts'], env, root)
      cleanups.push(() => void server.process.kill('SIGKILL'))
      const stream = await openStream(server.origin, await customer(server.origin))

      const exitCode = await stopAndWait(server)
      const body = await stream.rest

      expect(stream.status).toBe(200)
      expect(exitCode).toBe(0)
      expect(body).toEndWith('data: [DONE]\n\n')
      expect(body.match(/zawgyi-free-word/g)!.length).toBe(20)
      expect(await leftBehind(env.DATABASE_URL)).toEqual({
        usage: [{ completionTokens: 20, charged: true }],
        holds: 0,
        balanced: true,
      })
    },
    60_000,
  )

  test(
    'past SHUTDOWN_GRACE_MS the stream is cut, ' + 'settled and the process still exits 0',
    async () => {
      const upstream = slowUpstream(Infinity, 50)
      cleanups.push(() => upstream.stop())
      const env = { ...(await serverEnv(upstream.baseUrl)), SHUTDOWN_GRACE_MS: '300' }
      const server = await startServer(['bun', 'src/index.ts'], env, root)
      cleanups.push(() => void server.process.kill('SIGKILL'))
      const stream = await openStream(server.origin, await customer(server.origin))

      const exitCode = await stopAndWait(server)
      await stream.rest
      const left = await leftBehind(env.DATABASE_URL)

      expect(exitCode).toBe(0)
      expect(server.events.find((event) => event.event === 'shutdown_complete')).toMatchObject({
        aborted: 1,
        unsettled: 0,
      })
      expect(left.usage.length).toBe(1)
      expect({ holds: left.holds, balanced: left.balanced }).toEqual({ holds: 0, balanced: true })
    },
    60_000,
  )
})
