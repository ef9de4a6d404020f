import { eq } from 'drizzle-orm'
import type { Database, Tables } from '../db/database'
import type { Clock } from '../lib/clock'
import { newId } from '../lib/ids'
import type { Ledger } from '../ledger/ledger'

export type Account = Tables['accounts']['$inferSelect']

export interface NewAccount {
  name: string
  email?: string | null
  githubId?: string | null
  githubLogin?: string | null
  localName?: string | null
  isAdmin?: boolean
  locale?: string
}

/** Account records: who someone is. Their money lives in the ledger, which opens it here. */
export class Accounts {
  constructor(
    private readonly db: Database,
    private readonly ledger: Ledger,
    private readonly clock: Clock,
  ) {}

  async create(input: NewAccount): Promise<Account> {
    const now = this.clock.now()
    const account: Account = {
      id: newId('acc', now),
      name: input.name,
      email: input.email ?? null,
      githubId: input.githubId ?? null,
      githubLogin: input.githubLogin ?? null,
      localName: input.localName ?? null,
      isAdmin: input.isAdmin ?? false,
      locale: input.locale ?? 'en',
      balanceUnits: 0,
      createdAt: now,
      updatedAt: now,
    }
    await this.db.write((tx) => tx.insert(this.db.t.accounts).values(account))
    this.ledger.openAccount(account.id)
    return account
  }

  async get(id: string): Promise<Account | undefined> {
    const t = this.db.t.accounts
    const [row] = await this.db.orm.select().from(t).where(eq(t.id, id)).limit(1)
    return row
  }

  async findByGithubId(githubId: string): Promise<Account | undefined> {
    const t = this.db.t.accounts
    const [row] = await this.db.orm.select().from(t).where(eq(t.githubId, githubId)).limit(1)
    return row
  }

  async update(
    id: string,
    changes: Partial<Pick<Account, 'name' | 'email' | 'locale' | 'isAdmin' | 'githubLogin'>>,
  ): Promise<Account | undefined> {
    const t = this.db.t.accounts
    const [row] = await this.db.write((tx) =>
      tx
        .update(t)
        .set({ ...changes, updatedAt: this.clock.now() })
        .where(eq(t.id, id))
        .returning(),
    )
    return row
  }
}
