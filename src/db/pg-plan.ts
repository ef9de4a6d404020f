import { getTableColumns, getTableName, type Column, type Table } from 'drizzle-orm'
import type postgres from 'postgres'
import type { Sql } from 'postgres'
import * as schema from './schema/pg'
import type { TableName, WritePlan } from './write-plan'

const ROWS_PER_STATEMENT = 1000

/**
 * Runs write plans on PostgreSQL, each in one transaction, as multi-row inserts straight
 * through postgres.js: Drizzle's query builder cost more than the rows it wrote.
 */
export function pgPlanRunner(sql: Sql) {
  return async function run(plan: WritePlan) {
    await sql.begin(async (tx) => {
      for (const { table, rows } of plan.inserts) {
        const { name, columns } = shapeOf(table)
        const records = rows.map((row) => driverRecord(columns, row))
        const names = columns.map(([, column]) => column.name)
        for (let i = 0; i < records.length; i += ROWS_PER_STATEMENT) {
          const chunk = records.slice(i, i + ROWS_PER_STATEMENT)
          await tx`insert into ${tx(name)} ${tx(chunk, names)}`
        }
      }
      for (const { table, ids } of plan.deletes) {
        const { name } = shapeOf(table)
        for (let i = 0; i < ids.length; i += ROWS_PER_STATEMENT) {
          await tx`delete from ${tx(name)} where id in ${tx(ids.slice(i, i + ROWS_PER_STATEMENT))}`
        }
      }
      for (const { table, column, id, by } of plan.increments) {
        const { name, columns } = shapeOf(table)
        const target = columns.find(([key]) => key === column)?.[1].name
        if (!target) throw new Error(`${table} has no column ${column}`)
        await tx`update ${tx(name)} set ${tx(target)} = ${tx(target)} + ${by} where id = ${id}`
      }
    })
  }
}

const shapes = new Map<TableName, { name: string; columns: [string, Column][] }>()

function shapeOf(table: TableName) {
  let shape = shapes.get(table)
  if (!shape) {
    const definition = schema[table] as unknown as Table
    const columns = Object.entries(getTableColumns(definition)) as [string, Column][]
    shape = { name: getTableName(definition), columns }
    shapes.set(table, shape)
  }
  return shape
}

// postgres.js takes parameters as its own serializable types; the column's mapping made them so.
type Serializable = postgres.ParameterOrJSON<never>

function driverRecord(columns: [string, Column][], row: Record<string, unknown>) {
  const record: Record<string, Serializable> = {}
  for (const [key, column] of columns) {
    let value = row[key]
    if (value === undefined) value = column.hasDefault ? column.default : null
    const driven = value === null || value === undefined ? null : column.mapToDriverValue(value)
    record[column.name] = driven as Serializable
  }
  return record
}
