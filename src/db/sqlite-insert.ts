import type { Database as SqliteClient, Statement } from 'bun:sqlite'
import { getTableColumns, getTableName, type Column, type Table } from 'drizzle-orm'

/**
 * Multi-row inserts through statements prepared once per table. The ledger's group commit
 * inserts the same few shapes thousands of times a second; building Drizzle's SQL text and
 * compiling it again for every batch cost more than the writes themselves.
 */
export function preparedInserter(client: SqliteClient) {
  const prepared = new Map<Table, { statement: Statement; columns: [string, Column][] }>()

  const prepare = (table: Table) => {
    let entry = prepared.get(table)
    if (entry) return entry
    const columns = Object.entries(getTableColumns(table)) as [string, Column][]
    const names = columns.map(([, column]) => `"${column.name}"`).join(', ')
    const slots = columns.map(() => '?').join(', ')
    const sql = `INSERT INTO "${getTableName(table)}" (${names}) VALUES (${slots})`
    entry = { statement: client.prepare(sql), columns }
    prepared.set(table, entry)
    return entry
  }

  return (table: Table, rows: Record<string, unknown>[]) => {
    const { statement, columns } = prepare(table)
    for (const row of rows) {
      const values = columns.map(([key, column]) => driverValue(column, row[key]))
      statement.run(...(values as never[]))
    }
  }
}

function driverValue(column: Column, value: unknown) {
  if (value === undefined) value = column.hasDefault ? column.default : null
  if (value === null || value === undefined) return null
  return column.mapToDriverValue(value)
}
