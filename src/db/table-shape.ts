import { getTableColumns, getTableName, type Column, type Table } from 'drizzle-orm'

/** What the group commit's raw statements need of a Drizzle table: its name and columns. */
export interface TableShape {
  name: string
  /** By property name, in declaration order. */
  columns: [key: string, column: Column][]
}

const shapes = new WeakMap<Table, TableShape>()

export function shapeOf(table: Table): TableShape {
  let shape = shapes.get(table)
  if (!shape) {
    const columns = Object.entries(getTableColumns(table)) as [string, Column][]
    shape = { name: getTableName(table), columns }
    shapes.set(table, shape)
  }
  return shape
}

/** The SQL name of the column behind property `key`. */
export function columnName(shape: TableShape, key: string): string {
  const found = shape.columns.find(([name]) => name === key)
  if (!found) throw new Error(`${shape.name} has no column ${key}`)
  return found[1].name
}

/** A row's value as the driver takes it: a missing value becomes the column's default. */
export function driverValue(column: Column, value: unknown): unknown {
  if (value === undefined) value = column.hasDefault ? column.default : null
  if (value === null || value === undefined) return null
  return column.mapToDriverValue(value)
}
