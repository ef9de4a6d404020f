import { and, asc, eq, gt, inArray, isNull } from 'drizzle-orm'
import type { Database, Tables } from '../db/database'
import type { Clock } from '../lib/clock'
import { sha256Hex } from '../lib/crypto'
import { newId } from '../lib/ids'
import { generateApiKey } from './api-keys'

const LOAD_PAGE = 10_000

export type ApiKeyRow = Tables['apiKeys']['$inferSelect']

export interface ActiveKey {
  id: string
  accountId: string
  dailyCapUnits: number | null
  monthlyCapUnits: number | null
}

/**
 * Every live API key by the SHA-256 of its text, in memory, so authenticating a request costs
 * one hash and one map lookup. Last-used times are collected here and written in batches
 * rather than once per request.
 *
 * Memory is kept to what authentication needs, since it holds every key: no name, the
 * account id shared with the ledger (`sharedId`), and no second map by id. The rare lookups
 * by id (revoking, caps) walk the index instead: about a millisecond for 100,000 keys.
 */
export class KeyIndex {
  private readonly byHash = new Map<string, ActiveKey>()
  private lastUsed = new Map<string, number>()

  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    private readonly sharedId: (accountId: string) => string = (id) => id,
  ) {}

  /** Loads live keys in pages of only the columns kept, so start-up memory stays flat. */
  async load() {
    const t = this.db.t.apiKeys
    const columns = {
      id: t.id,
      accountId: t.accountId,
      hash: t.hash,
      dailyCapUnits: t.dailyCapUnits,
      monthlyCapUnits: t.monthlyCapUnits,
    }
    let after = ''
    for (;;) {
      const page = await this.db.orm
        .select(columns)
        .from(t)
        .where(and(isNull(t.revokedAt), gt(t.id, after)))
        .orderBy(asc(t.id))
        .limit(LOAD_PAGE)
      for (const row of page) this.remember(row)
      if (page.length < LOAD_PAGE) return
      after = page[page.length - 1]!.id
    }
  }

  /** The live key behind a raw bearer token, or undefined. Marks it used. */
  authenticate(rawKey: string): ActiveKey | undefined {
    const key = this.byHash.get(sha256Hex(rawKey))
    if (key) this.lastUsed.set(key.id, this.clock.now())
    return key
  }

  async create(accountId: string, name: string) {
    const { key, hash, prefix } = generateApiKey()
    const row: ApiKeyRow = {
      id: newId('key', this.clock.now()),
      accountId,
      name,
      prefix,
      hash,
      dailyCapUnits: null,
      monthlyCapUnits: null,
      createdAt: this.clock.now(),
      lastUsedAt: null,
      revokedAt: null,
    }
    await this.db.write((tx) => tx.insert(this.db.t.apiKeys).values(row))
    this.remember(row)
    return { id: row.id, key, row }
  }

  /** Revokes a key; when `accountId` is given, only that account's key. False if none. */
  async revoke(id: string, accountId?: string): Promise<boolean> {
    const t = this.db.t.apiKeys
    const owner = accountId ? eq(t.accountId, accountId) : undefined
    const rows = await this.db.write((tx) =>
      tx
        .update(t)
        .set({ revokedAt: this.clock.now() })
        .where(and(eq(t.id, id), isNull(t.revokedAt), owner))
        .returning({ id: t.id }),
    )
    const hash = this.hashOf(id)
    if (rows.length > 0 && hash) this.byHash.delete(hash)
    return rows.length > 0
  }

  /** A live key's caps, or undefined. */
  capsOf(id: string): Pick<ActiveKey, 'dailyCapUnits' | 'monthlyCapUnits'> | undefined {
    const hash = this.hashOf(id)
    const key = hash ? this.byHash.get(hash) : undefined
    return key && { dailyCapUnits: key.dailyCapUnits, monthlyCapUnits: key.monthlyCapUnits }
  }

  /** Sets a live key's spend caps; false when there is no such live key. */
  async setCaps(
    id: string,
    caps: { dailyCapUnits: number | null; monthlyCapUnits: number | null },
  ): Promise<boolean> {
    const t = this.db.t.apiKeys
    const rows = await this.db.write((tx) =>
      tx
        .update(t)
        .set(caps)
        .where(and(eq(t.id, id), isNull(t.revokedAt)))
        .returning({ id: t.id }),
    )
    const hash = this.hashOf(id)
    const key = hash ? this.byHash.get(hash) : undefined
    if (key) Object.assign(key, caps)
    return rows.length > 0
  }

  async listForAccount(accountId: string): Promise<ApiKeyRow[]> {
    const t = this.db.t.apiKeys
    const rows = await this.db.orm.select().from(t).where(eq(t.accountId, accountId))
    return rows.map((row) => ({ ...row, lastUsedAt: this.lastUsed.get(row.id) ?? row.lastUsedAt }))
  }

  /** Writes the collected last-used times; called on a timer and at shutdown. */
  async flushLastUsed() {
    if (this.lastUsed.size === 0) return
    const batch = this.lastUsed
    this.lastUsed = new Map()
    const t = this.db.t.apiKeys
    const byTime = new Map<number, string[]>()
    for (const [id, at] of batch) byTime.set(at, [...(byTime.get(at) ?? []), id])
    await this.db.write(async (tx) => {
      for (const [at, ids] of byTime) {
        await tx.update(t).set({ lastUsedAt: at }).where(inArray(t.id, ids))
      }
    })
  }

  get size() {
    return this.byHash.size
  }

  /** A key's name, read from the database: the index does not keep names. */
  async nameOf(id: string): Promise<string | undefined> {
    const t = this.db.t.apiKeys
    const [row] = await this.db.orm.select({ name: t.name }).from(t).where(eq(t.id, id))
    return row?.name
  }

  private hashOf(id: string): string | undefined {
    for (const [hash, key] of this.byHash) if (key.id === id) return hash
    return undefined
  }

  private remember(row: ActiveKey & { hash: string }) {
    this.byHash.set(row.hash, {
      id: row.id,
      accountId: this.sharedId(row.accountId),
      dailyCapUnits: row.dailyCapUnits,
      monthlyCapUnits: row.monthlyCapUnits,
    })
  }
}
