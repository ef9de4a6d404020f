import type { Tables } from './database'

export type TableName = keyof Tables

/**
 * Writes that must land together in one transaction, as plain data: they cross to the
 * database thread (./database-thread.ts), so they cannot carry Drizzle objects or closures.
 */
export interface WritePlan {
  inserts: { table: TableName; rows: Record<string, unknown>[] }[]
  /** Rows removed by primary key. */
  deletes: { table: TableName; ids: string[] }[]
  /** `column = column + by` on the row with this primary key; a missing row fails the plan. */
  increments: { table: TableName; column: string; id: string; by: number }[]
}

/** An increment found no row: the plan fails whole rather than lose the change. */
export const missingRow = (table: string, id: string) =>
  new Error(`no row ${id} in ${table} to increment`)
