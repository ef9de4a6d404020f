import { asc, desc, eq, max } from 'drizzle-orm'
import type { Database, Tables } from '../db/database'
import type { Clock } from '../lib/clock'
import { newId } from '../lib/ids'

export type Conversation = Tables['conversations']['$inferSelect']
export type StoredMessage = Tables['conversationMessages']['$inferSelect']
export type MessageRole = 'user' | 'assistant'

/**
 * Each account's conversation with the assistant, kept in the database so a reload (or another
 * device) continues where the user left off. An account uses its most recent conversation.
 */
export class ConversationStore {
  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
  ) {}

  async current(accountId: string): Promise<Conversation | undefined> {
    const t = this.db.t.conversations
    const [row] = await this.db.orm
      .select()
      .from(t)
      .where(eq(t.accountId, accountId))
      .orderBy(desc(t.updatedAt), desc(t.id))
      .limit(1)
    return row
  }

  async currentOrNew(accountId: string): Promise<Conversation> {
    const existing = await this.current(accountId)
    if (existing) return existing

    const now = this.clock.now()
    const conversation: Conversation = {
      id: newId('conv', now),
      accountId,
      summary: '',
      summarizedTurns: 0,
      createdAt: now,
      updatedAt: now,
    }
    await this.db.write((tx) => tx.insert(this.db.t.conversations).values(conversation))
    return conversation
  }

  /** The messages of a conversation in the order they were written. */
  async messages(conversationId: string): Promise<StoredMessage[]> {
    const t = this.db.t.conversationMessages
    return this.db.orm
      .select()
      .from(t)
      .where(eq(t.conversationId, conversationId))
      .orderBy(asc(t.createdAt), asc(t.id))
  }

  /**
   * Appends messages after every earlier one. Times are made strictly increasing within the
   * conversation because two messages written in the same millisecond must keep their order.
   */
  async append(conversationId: string, entries: { role: MessageRole; content: string }[]) {
    const t = this.db.t.conversationMessages
    await this.db.write(async (tx) => {
      const [last] = await tx
        .select({ at: max(t.createdAt) })
        .from(t)
        .where(eq(t.conversationId, conversationId))
      let at = Math.max(this.clock.now(), (last?.at ?? 0) + 1)
      const rows = entries.map((entry) => ({
        id: newId('msg', at),
        conversationId,
        role: entry.role,
        content: entry.content,
        createdAt: at++,
      }))
      await tx.insert(t).values(rows)
      const conversations = this.db.t.conversations
      await tx
        .update(conversations)
        .set({ updatedAt: at - 1 })
        .where(eq(conversations.id, conversationId))
    })
  }

  /** Stores a new rolling summary and how many turns it now covers. */
  async saveSummary(conversationId: string, summary: string, summarizedTurns: number) {
    const t = this.db.t.conversations
    await this.db.write((tx) =>
      tx
        .update(t)
        .set({ summary, summarizedTurns, updatedAt: this.clock.now() })
        .where(eq(t.id, conversationId)),
    )
  }
}
