import type { Database as SqliteClient, Statement } from 'bun:sqlite'
import type { Table } from 'drizzle-orm'
import { driverValue, shapeOf } from './table-shape'

/**
 * Inserts through statements prepared once per table. The ledger's group commit
 * inserts the same few shapes thousands of times a second; building Drizzle's SQL text and
 * compiling it again for every batch cost more than the writes themselves.
 */
export function preparedInserter(client: SqliteClient) {
  const prepared = new Map<Table, Statement>()

  const prepare = (table: Table) => {
    let statement = prepared.get(table)
    if (statement) return statement
    const { name, columns } = shapeOf(table)
    const names = columns.map(([, column]) => `"${column.name}"`).join(', ')
    const slots = columns.map(() => '?').join(', ')
    statement = client.prepare(`INSERT INTO "${name}" (${names}) VALUES (${slots})`)
    prepared.set(table, statement)
    return statement
  }

  return (table: Table, rows: Record<string, unknown>[]) => {
    const statement = prepare(table)
    const { columns } = shapeOf(table)
    for (const row of rows) {
      const values = columns.map(([key, column]) => driverValue(column, row[key]))
      statement.run(...(values as never[]))
    }
  }
}
