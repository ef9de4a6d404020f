import { lt } from 'drizzle-orm'
import type { Database } from '../db/database'
import type { Clock } from '../lib/clock'

/**
 * Session tokens ended by signing out. A token is a signed JWT that would otherwise stay good
 * until it expires, so a copy taken before sign-out (a shared computer, a leaked cookie) would
 * still open the account. Ended ids are held in memory for the check on every page and written
 * through, so a restart does not bring them back; each is forgotten once its token expires.
 */
export class SessionRevocations {
  private readonly ended = new Map<string, number>()

  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
  ) {}

  async load() {
    const t = this.db.t.revokedSessions
    const now = this.clock.now()
    await this.db.write((tx) => tx.delete(t).where(lt(t.expiresAt, now)))

    const rows = await this.db.orm.select().from(t)
    for (const row of rows) this.ended.set(row.id, row.expiresAt)
  }

  isEnded(id: string): boolean {
    const expiresAt = this.ended.get(id)
    if (expiresAt === undefined) return false
    if (expiresAt > this.clock.now()) return true

    this.ended.delete(id)
    return false
  }

  /** Ends a session for good; durable before it returns, like a credit. */
  async end(id: string, expiresAt: number) {
    if (expiresAt <= this.clock.now()) return
    const t = this.db.t.revokedSessions
    await this.db.write((tx) => tx.insert(t).values({ id, expiresAt }).onConflictDoNothing())
    this.ended.set(id, expiresAt)
  }
}
