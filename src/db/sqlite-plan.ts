import type { Database as SqliteClient, Statement } from 'bun:sqlite'
import type { Table } from 'drizzle-orm'
import * as schema from './schema/sqlite'
import { preparedInserter } from './sqlite-insert'
import { columnName, shapeOf } from './table-shape'
import { missingRow, type TableName, type WritePlan } from './write-plan'

/**
 * Runs write plans on one SQLite connection, each in one transaction, through statements
 * prepared once. Synchronous: on the writer thread nothing else waits for it.
 */
export function sqlitePlanRunner(client: SqliteClient) {
  const insert = preparedInserter(client)
  const statements = new Map<string, Statement>()
  const prepared = (sql: string) => {
    let statement = statements.get(sql)
    if (!statement) statements.set(sql, (statement = client.prepare(sql)))
    return statement
  }

  return function run(plan: WritePlan) {
    client.exec('BEGIN IMMEDIATE')
    try {
      for (const { table, rows } of plan.inserts) insert(tableOf(table), rows)
      for (const { table, ids } of plan.deletes) {
        const statement = prepared(`DELETE FROM "${shapeOf(tableOf(table)).name}" WHERE "id" = ?`)
        for (const id of ids) statement.run(id)
      }
      for (const { table, column, id, by } of plan.increments) {
        const shape = shapeOf(tableOf(table))
        const name = columnName(shape, column)
        const sql = `UPDATE "${shape.name}" SET "${name}" = "${name}" + ? WHERE "id" = ?`
        if (prepared(sql).run(by, id).changes === 0) throw missingRow(shape.name, id)
      }
      client.exec('COMMIT')
    } catch (error) {
      client.exec('ROLLBACK')
      throw error
    }
  }
}

const tableOf = (name: TableName) => schema[name] as unknown as Table
