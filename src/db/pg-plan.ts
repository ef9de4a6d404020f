import type { Column, Table } from 'drizzle-orm'
import type postgres from 'postgres'
import type { Sql } from 'postgres'
import * as schema from './schema/pg'
import { columnName, driverValue, shapeOf } from './table-shape'
import { missingRow, type TableName, type WritePlan } from './write-plan'

const ROWS_PER_STATEMENT = 1000

/**
 * Runs write plans on PostgreSQL, each in one transaction, as multi-row inserts straight
 * through postgres.js: Drizzle's query builder cost more than the rows it wrote.
 */
export function pgPlanRunner(sql: Sql) {
  return async function run(plan: WritePlan) {
    await sql.begin(async (tx) => {
      for (const { table, rows } of plan.inserts) {
        const { name, columns } = shapeOf(tableOf(table))
        const records = rows.map((row) => driverRecord(columns, row))
        const names = columns.map(([, column]) => column.name)
        for (let i = 0; i < records.length; i += ROWS_PER_STATEMENT) {
          const chunk = records.slice(i, i + ROWS_PER_STATEMENT)
          await tx`insert into ${tx(name)} ${tx(chunk, names)}`
        }
      }
      for (const { table, ids } of plan.deletes) {
        const { name } = shapeOf(tableOf(table))
        for (let i = 0; i < ids.length; i += ROWS_PER_STATEMENT) {
          await tx`delete from ${tx(name)} where id in ${tx(ids.slice(i, i + ROWS_PER_STATEMENT))}`
        }
      }
      for (const { table, column, id, by } of plan.increments) {
        const shape = shapeOf(tableOf(table))
        const target = columnName(shape, column)
        const name = shape.name
        const updated =
          await tx`update ${tx(name)} set ${tx(target)} = ${tx(target)} + ${by} where id = ${id}`
        if (updated.count === 0) throw missingRow(name, id)
      }
    })
  }
}

const tableOf = (name: TableName) => schema[name] as unknown as Table

// postgres.js takes parameters as its own serializable types; the column's mapping made them so.
type Serializable = postgres.ParameterOrJSON<never>

function driverRecord(columns: [string, Column][], row: Record<string, unknown>) {
  const record: Record<string, Serializable> = {}
  for (const [key, column] of columns) {
    record[column.name] = driverValue(column, row[key]) as Serializable
  }
  return record
}
