import type { Database as SqliteClient } from 'bun:sqlite'
import { join } from 'node:path'
import { sql } from 'drizzle-orm'
import { drizzle as drizzleSqlite } from 'drizzle-orm/bun-sqlite'
import { migrate as migrateSqlite } from 'drizzle-orm/bun-sqlite/migrator'
import { drizzle as drizzlePg, type PostgresJsDatabase } from 'drizzle-orm/postgres-js'
import { migrate as migratePg } from 'drizzle-orm/postgres-js/migrator'
import postgres from 'postgres'
import * as pgSchema from './schema/pg'
import * as sqliteSchema from './schema/sqlite'
import { Mutex } from './mutex'
import { BUSY_TIMEOUT_MS, openSqliteClient } from './sqlite-client'
import { sqlitePlanRunner } from './sqlite-plan'
import { DatabaseThread } from './database-thread'
import type { WritePlan } from './write-plan'

/**
 * Both dialects behind one handle. Queries are written once against `db.orm` and `db.t`;
 * the pg types stand for both, which ./schema/check.ts makes safe at the row level.
 */
export type Orm = PostgresJsDatabase<typeof pgSchema>
export type Tables = typeof pgSchema
export type Dialect = 'sqlite' | 'pg'

export interface Database {
  readonly dialect: Dialect
  readonly orm: Orm
  readonly t: Tables
  /** Runs `work` in one transaction; writes never interleave with another `write`. */
  write<T>(work: (tx: Orm) => Promise<T>): Promise<T>
  /**
   * Runs a plan in one transaction; the ledger's group commit uses it. The plan runs on a
   * writer thread with its own connection (./database-thread.ts), so that its inserts and the
   * fsync of each commit stall no request; only an in-memory SQLite database runs it here.
   */
  applyPlan(plan: WritePlan): Promise<void>
  /**
   * Runs a slow read (an aggregate over many rows) where it stalls no request: on SQLite, whose
   * queries run synchronously, on a reader thread started at the first such read. Rows come back
   * as arrays in the order of the query's columns.
   */
  readAside(query: BuiltQuery): Promise<unknown[][]>
  /** True when a trivial query answers. */
  ping(): Promise<boolean>
  close(): Promise<void>
}

const migrationsRoot = join(import.meta.dir, '..', '..', 'drizzle')

export function isPostgresUrl(url: string) {
  return /^postgres(ql)?:\/\//.test(url)
}

/** A Drizzle query, built but not run. */
export interface BuiltQuery {
  toSQL(): { sql: string; params: unknown[] }
}

type Opening = Database & { migrate(): Promise<void>; writerReady(): Promise<void> }

export async function openDatabase(url: string): Promise<Database> {
  const db = isPostgresUrl(url) ? openPostgres(url) : openSqlite(url)
  await db.migrate()
  // Serving before the writer thread is up would leave the first charges in memory longer.
  await db.writerReady()
  return db
}

function openSqlite(path: string): Opening {
  const client = openSqliteClient(path)
  const orm = drizzleSqlite(client, { schema: sqliteSchema }) as unknown as Orm
  const mutex = new Mutex()
  // An in-memory database exists only on this connection, so its plans and reads run here.
  const inMemory = path === ':memory:'
  const writer = inMemory ? null : new DatabaseThread(path, false)
  const runHere = sqlitePlanRunner(client)
  let reader: DatabaseThread | undefined

  // bun:sqlite runs statements synchronously on one connection, so a transaction is an
  // explicit BEGIN/COMMIT around awaited statements, kept exclusive by the mutex.
  const write = <T>(work: (tx: Orm) => Promise<T>) =>
    mutex.run(async () => {
      await beginImmediate(client)
      try {
        const result = await work(orm)
        client.exec('COMMIT')
        return result
      } catch (error) {
        client.exec('ROLLBACK')
        throw error
      }
    })

  return {
    dialect: 'sqlite',
    orm,
    t: sqliteSchema as unknown as Tables,
    write,
    applyPlan: (plan) => (writer ? writer.apply(plan) : mutex.run(async () => runHere(plan))),
    writerReady: async () => writer?.ready(),
    readAside: async (query) => {
      const { sql: text, params } = query.toSQL()
      if (inMemory) return client.query(text).values(...(params as never[]))
      reader ??= new DatabaseThread(path, false)
      return reader.read(text, params)
    },
    ping: async () => client.query('SELECT 1 AS ok').get() !== null,
    migrate: async () =>
      migrateSqlite(orm as never, { migrationsFolder: join(migrationsRoot, 'sqlite') }),
    close: async () => {
      await Promise.all([writer?.close(), reader?.close()])
      await mutex.run(async () => client.close())
    },
  }
}

/** How long a write on the main thread waits for the writer thread's transaction to end. */
const WRITE_LOCK_WAIT_MS = 5000

/**
 * Takes the write lock without blocking the event loop: SQLite's own busy handler would sleep
 * the whole thread (requests included) while the writer thread commits, so here a busy lock
 * is retried after an asynchronous pause instead.
 */
async function beginImmediate(client: SqliteClient) {
  const deadline = performance.now() + WRITE_LOCK_WAIT_MS
  client.exec('PRAGMA busy_timeout = 0')
  try {
    for (let pause = 1; ; pause = Math.min(pause * 2, 16)) {
      try {
        client.exec('BEGIN IMMEDIATE')
        return
      } catch (error) {
        if ((error as { code?: string }).code !== 'SQLITE_BUSY') throw error
        if (performance.now() > deadline) throw error
      }
      await Bun.sleep(pause)
    }
  } finally {
    client.exec(`PRAGMA busy_timeout = ${BUSY_TIMEOUT_MS}`)
  }
}

function openPostgres(url: string): Opening {
  const client = postgres(url, { max: 10, onnotice: () => {} })
  const writer = new DatabaseThread(url, true)
  const orm = drizzlePg(client, { schema: pgSchema })

  return {
    dialect: 'pg',
    orm,
    t: pgSchema,
    write: (work) => orm.transaction((tx) => work(tx as unknown as Orm)),
    applyPlan: (plan) => writer.apply(plan),
    writerReady: () => writer.ready(),
    // postgres.js waits on the network, not the thread: a slow read stalls nothing here.
    readAside: async (query) => {
      const { sql: text, params } = query.toSQL()
      return client.unsafe(text, params as never[]).values()
    },
    ping: async () => {
      await orm.execute(sql`select 1`)
      return true
    },
    migrate: async () => migratePg(orm, { migrationsFolder: join(migrationsRoot, 'pg') }),
    close: async () => {
      await writer.close()
      await client.end({ timeout: 5 })
    },
  }
}
