import { afterEach, describe, expect, test } from 'bun:test'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { openDatabase } from '../../src/db/database'
import { dialect, freshDatabaseUrl } from '../support/database'
import { startServer } from './process'

const root = join(import.meta.dir, '..', '..')
const ADMIN_KEY = 'process-admin-key-0123456789'
const cleanups: (() => Promise<void> | void)[] = []

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

async function serverEnv() {
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
    UPSTREAM_BASE_URL: 'http://127.0.0.1:9/api/v1',
    LEDGER_FLUSH_MS: '1000',
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
    }, 30_000)
  }
})
