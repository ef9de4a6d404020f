import { desc, eq, or, sql, type AnyColumn } from 'drizzle-orm'
import type { Account } from '../../auth/accounts'
import type { Database } from '../../db/database'

/** Accounts whose name, email, GitHub login or id contains the text, newest first. */
export async function searchAccounts(db: Database, text: string, limit = 50): Promise<Account[]> {
  const t = db.t.accounts
  const query = db.orm.select().from(t).orderBy(desc(t.createdAt)).limit(limit)
  const needle = text.trim().toLowerCase()
  if (!needle) return query
  // LIKE wildcards typed by the admin are matched literally.
  const pattern = `%${needle.replace(/[\\%_]/g, (c) => `\\${c}`)}%`
  const like = (column: AnyColumn) =>
    sql`lower(coalesce(${column}, '')) like ${pattern} escape '\\'`
  return query.where(or(like(t.name), like(t.email), like(t.githubLogin), eq(t.id, text.trim())))
}

export async function countAccounts(db: Database): Promise<number> {
  const [row] = await db.orm.select({ n: sql<string>`count(*)` }).from(db.t.accounts)
  return Number(row?.n ?? 0)
}

export type LedgerRow = Database['t']['ledgerEntries']['$inferSelect']

/** An account's latest ledger entries, over the (account, created_at) index. */
export async function latestEntries(
  db: Database,
  accountId: string,
  limit = 100,
): Promise<LedgerRow[]> {
  const t = db.t.ledgerEntries
  return db.orm
    .select()
    .from(t)
    .where(eq(t.accountId, accountId))
    .orderBy(desc(t.createdAt), desc(t.id))
    .limit(limit)
}
