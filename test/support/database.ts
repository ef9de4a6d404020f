import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import postgres from 'postgres'
import { isPostgresUrl, openDatabase, type Database } from '../../src/db/database'

/**
 * Which database the suite runs against: PostgreSQL when DATABASE_URL names a server, else
 * SQLite. Every call makes a fresh, migrated database that `drop()` removes.
 */
export const serverUrl = process.env.DATABASE_URL
export const dialect = serverUrl && isPostgresUrl(serverUrl) ? 'pg' : 'sqlite'

export interface TestDatabase {
  url: string
  db: Database
  /** Opens the same database again, as a restarted process would. */
  reopen(): Promise<Database>
  drop(): Promise<void>
}

export async function freshDatabaseUrl(): Promise<{ url: string; drop: () => Promise<void> }> {
  if (dialect === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'sargalay-test-'))
    return {
      url: join(dir, 'test.db'),
      drop: async () => rmSync(dir, { recursive: true, force: true }),
    }
  }
  const name = `sargalay_test_${process.pid}_${Math.random().toString(36).slice(2, 10)}`
  const admin = postgres(serverUrl!, { max: 1, onnotice: () => {} })
  await admin.unsafe(`create database ${name}`)
  await admin.end()
  const url = new URL(serverUrl!)
  url.pathname = `/${name}`
  return {
    url: url.toString(),
    drop: async () => {
      const again = postgres(serverUrl!, { max: 1, onnotice: () => {} })
      await again.unsafe(`drop database if exists ${name} with (force)`)
      await again.end()
    },
  }
}

export async function testDatabase(): Promise<TestDatabase> {
  const { url, drop } = await freshDatabaseUrl()
  const opened: Database[] = []
  const open = async () => {
    const db = await openDatabase(url)
    opened.push(db)
    return db
  }
  const db = await open()
  return {
    url,
    db,
    reopen: open,
    drop: async () => {
      for (const handle of opened) await handle.close().catch(() => {})
      await drop()
    },
  }
}

/** A fresh database holding one account row, for tests of the layers below the ledger. */
export async function testDatabaseWithAccount(id: string, balanceUnits = 0) {
  const test = await testDatabase()
  const now = Date.now()
  await test.db.orm
    .insert(test.db.t.accounts)
    .values({ id, name: id, balanceUnits, createdAt: now, updatedAt: now })
  return test
}
