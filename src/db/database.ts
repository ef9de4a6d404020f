import { Database as SqliteClient } from 'bun:sqlite'
import { mkdirSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { sql } from 'drizzle-orm'
import { drizzle as drizzleSqlite } from 'drizzle-orm/bun-sqlite'
import { migrate as migrateSqlite } from 'drizzle-orm/bun-sqlite/migrator'
import { drizzle as drizzlePg, type PostgresJsDatabase } from 'drizzle-orm/postgres-js'
import { migrate as migratePg } from 'drizzle-orm/postgres-js/migrator'
import postgres from 'postgres'
import * as pgSchema from './schema/pg'
import * as sqliteSchema from './schema/sqlite'
import { Mutex } from './mutex'
import { preparedInserter } from './sqlite-insert'

/**
 * Both dialects behind one handle. Queries are written once against `db.orm` and `db.t`;
 * the pg types stand for both, which ./schema/check.ts makes safe at the row level.
 */
export type Orm = PostgresJsDatabase<typeof pgSchema>
export type Tables = typeof pgSchema
export type Dialect = 'sqlite' | 'pg'
type AnyTable = Tables[keyof Tables]

const PG_ROWS_PER_INSERT = 500

export interface Database {
  readonly dialect: Dialect
  readonly orm: Orm
  readonly t: Tables
  /** Runs `work` in one transaction; writes never interleave with another `write`. */
  write<T>(work: (tx: Orm) => Promise<T>): Promise<T>
  /**
   * Inserts many rows of one table inside `write`, by the fastest way the dialect has; the
   * ledger's group commit uses it.
   */
  insertMany<T extends AnyTable>(tx: Orm, table: T, rows: T['$inferInsert'][]): Promise<void>
  /** True when a trivial query answers. */
  ping(): Promise<boolean>
  close(): Promise<void>
}

const migrationsRoot = join(import.meta.dir, '..', '..', 'drizzle')

export function isPostgresUrl(url: string) {
  return /^postgres(ql)?:\/\//.test(url)
}

export async function openDatabase(url: string): Promise<Database> {
  const db = isPostgresUrl(url) ? openPostgres(url) : openSqlite(url)
  await db.migrate()
  return db
}

function openSqlite(path: string): Database & { migrate(): Promise<void> } {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true })
  const client = new SqliteClient(path, { create: true, strict: true })
  client.exec('PRAGMA journal_mode = WAL')
  // FULL: a commit acknowledged to a user (a top-up, a credit) survives a power loss too. The
  // group commit keeps the fsyncs to one per batch.
  client.exec('PRAGMA synchronous = FULL')
  client.exec('PRAGMA foreign_keys = ON')
  client.exec('PRAGMA busy_timeout = 5000')
  const orm = drizzleSqlite(client, { schema: sqliteSchema }) as unknown as Orm
  const mutex = new Mutex()
  const insert = preparedInserter(client)

  // bun:sqlite runs statements synchronously on one connection, so a transaction is an
  // explicit BEGIN/COMMIT around awaited statements, kept exclusive by the mutex.
  const write = <T>(work: (tx: Orm) => Promise<T>) =>
    mutex.run(async () => {
      client.exec('BEGIN IMMEDIATE')
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
    insertMany: async (_tx, table, rows) => insert(table, rows),
    ping: async () => client.query('SELECT 1 AS ok').get() !== null,
    migrate: async () =>
      migrateSqlite(orm as never, { migrationsFolder: join(migrationsRoot, 'sqlite') }),
    close: async () => {
      await mutex.run(async () => client.close())
    },
  }
}

function openPostgres(url: string): Database & { migrate(): Promise<void> } {
  const client = postgres(url, { max: 10, onnotice: () => {} })
  const orm = drizzlePg(client, { schema: pgSchema })

  return {
    dialect: 'pg',
    orm,
    t: pgSchema,
    write: (work) => orm.transaction((tx) => work(tx as unknown as Orm)),
    insertMany: async (tx, table, rows) => {
      for (let i = 0; i < rows.length; i += PG_ROWS_PER_INSERT) {
        await tx.insert(table).values(rows.slice(i, i + PG_ROWS_PER_INSERT) as never)
      }
    },
    ping: async () => {
      await orm.execute(sql`select 1`)
      return true
    },
    migrate: async () => migratePg(orm, { migrationsFolder: join(migrationsRoot, 'pg') }),
    close: async () => {
      await client.end({ timeout: 5 })
    },
  }
}
