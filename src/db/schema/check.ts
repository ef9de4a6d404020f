import type * as pg from './pg'
import type * as sqlite from './sqlite'

// Compile-time proof that both dialects' schemas produce the same row types, so the code above
// the data layer can use either through one set of table objects.

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false
type Row<T> = T extends { $inferSelect: infer R } ? R : never
type Tables = keyof typeof pg & keyof typeof sqlite

type Mismatched = {
  [K in Tables]: Same<Row<(typeof pg)[K]>, Row<(typeof sqlite)[K]>> extends true ? never : K
}[Tables]

type MissingInPg = Exclude<keyof typeof sqlite, keyof typeof pg>
type MissingInSqlite = Exclude<keyof typeof pg, keyof typeof sqlite>

export const schemasMatch: [Mismatched, MissingInPg, MissingInSqlite] extends [never, never, never]
  ? true
  : { mismatched: Mismatched; missingInPg: MissingInPg; missingInSqlite: MissingInSqlite } = true
