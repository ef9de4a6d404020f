import { join } from 'node:path'
import { eq, getTableColumns, inArray, sql, type Column } from 'drizzle-orm'
import { drizzle as drizzleSqlite } from 'drizzle-orm/bun-sqlite'
import { migrate as migrateSqlite } from 'drizzle-orm/bun-sqlite/migrator'
import { drizzle as drizzlePg, type PostgresJsDatabase } from 'drizzle-orm/postgres-js'
import { migrate as migratePg } from 'drizzle-orm/postgres-js/migrator'
import postgres from 'postgres'
import * as pgSchema from './schema/pg'
import * as sqliteSchema from './schema/sqlite'
import { Mutex } from './mutex'
import { openSqliteClient } from './sqlite-client'
import { preparedInserter } from './sqlite-insert'
import { sqlitePlanRunner } from './sqlite-plan'
import { WriterThread } from './writer-thread'
import type { WritePlan } from './write-plan'

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
  /**
   * Runs a plan in one transaction; the ledger's group commit uses it. On a SQLite file the
   * plan runs on a writer thread with its own connection, so that the inserts and the fsync
   * of each commit stall no request.
   */
  applyPlan(plan: WritePlan): Promise<void>
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
  const client = openSqliteClient(path)
  const orm = drizzleSqlite(client, { schema: sqliteSchema }) as unknown as Orm
  const mutex = new Mutex()
  const insert = preparedInserter(client)
  // An in-memory database exists only on this connection, so its plans run here.
  const writer = path === ':memory:' ? null : new WriterThread(path, false)
  const runHere = sqlitePlanRunner(client)

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
    applyPlan: (plan) => (writer ? writer.apply(plan) : mutex.run(async () => runHere(plan))),
    ping: async () => client.query('SELECT 1 AS ok').get() !== null,
    migrate: async () =>
      migrateSqlite(orm as never, { migrationsFolder: join(migrationsRoot, 'sqlite') }),
    close: async () => {
      await writer?.close()
      await mutex.run(async () => client.close())
    },
  }
}

function openPostgres(url: string): Database & { migrate(): Promise<void> } {
  const client = postgres(url, { max: 10, onnotice: () => {} })
  const writer = new WriterThread(url, true)
  const orm = drizzlePg(client, { schema: pgSchema })

  const insertMany = async (tx: Orm, table: AnyTable, rows: Record<string, unknown>[]) => {
    for (let i = 0; i < rows.length; i += PG_ROWS_PER_INSERT) {
      await tx.insert(table).values(rows.slice(i, i + PG_ROWS_PER_INSERT) as never)
    }
  }

  return {
    dialect: 'pg',
    orm,
    t: pgSchema,
    write: (work) => orm.transaction((tx) => work(tx as unknown as Orm)),
    insertMany,
    applyPlan: (plan) => writer.apply(plan),
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
