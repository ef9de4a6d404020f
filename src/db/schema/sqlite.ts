import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core'

// Mirrors ./pg.ts column for column; ./check.ts fails to compile when the two drift apart.
// Times are epoch milliseconds and money is integer ledger units in both dialects.

const money = (name: string) => integer(name, { mode: 'number' })
const time = (name: string) => integer(name, { mode: 'number' })
const flag = (name: string) => integer(name, { mode: 'boolean' })

export const accounts = sqliteTable(
  'accounts',
  {
    id: text('id').primaryKey(),
    name: text('name').notNull(),
    email: text('email'),
    githubId: text('github_id'),
    githubLogin: text('github_login'),
    // Set only on accounts made by local sign-in, the one name that sign-in may claim.
    localName: text('local_name'),
    isAdmin: flag('is_admin').notNull().default(false),
    locale: text('locale').notNull().default('en'),
    balanceUnits: money('balance_units').notNull().default(0),
    createdAt: time('created_at').notNull(),
    updatedAt: time('updated_at').notNull(),
  },
  (t) => [
    uniqueIndex('accounts_github_id').on(t.githubId),
    uniqueIndex('accounts_local_name').on(t.localName),
    index('accounts_email').on(t.email),
  ],
)

export const apiKeys = sqliteTable(
  'api_keys',
  {
    id: text('id').primaryKey(),
    accountId: text('account_id')
      .notNull()
      .references(() => accounts.id),
    name: text('name').notNull(),
    prefix: text('prefix').notNull(),
    hash: text('hash').notNull(),
    dailyCapUnits: money('daily_cap_units'),
    monthlyCapUnits: money('monthly_cap_units'),
    createdAt: time('created_at').notNull(),
    lastUsedAt: time('last_used_at'),
    revokedAt: time('revoked_at'),
  },
  (t) => [uniqueIndex('api_keys_hash').on(t.hash), index('api_keys_account').on(t.accountId)],
)

export const ledgerEntries = sqliteTable(
  'ledger_entries',
  {
    id: text('id').primaryKey(),
    accountId: text('account_id')
      .notNull()
      .references(() => accounts.id),
    amountUnits: money('amount_units').notNull(),
    balanceAfterUnits: money('balance_after_units').notNull(),
    reason: text('reason').notNull(),
    reference: text('reference').notNull(),
    note: text('note'),
    createdAt: time('created_at').notNull(),
  },
  (t) => [
    uniqueIndex('ledger_entries_reference').on(t.reference),
    index('ledger_entries_account').on(t.accountId, t.createdAt),
  ],
)

export const holds = sqliteTable(
  'holds',
  {
    id: text('id').primaryKey(),
    accountId: text('account_id')
      .notNull()
      .references(() => accounts.id),
    amountUnits: money('amount_units').notNull(),
    createdAt: time('created_at').notNull(),
  },
  (t) => [index('holds_account').on(t.accountId)],
)

export const usageRecords = sqliteTable(
  'usage_records',
  {
    id: text('id').primaryKey(),
    accountId: text('account_id')
      .notNull()
      .references(() => accounts.id),
    keyId: text('key_id'),
    endpoint: text('endpoint').notNull(),
    model: text('model').notNull(),
    promptTokens: integer('prompt_tokens').notNull().default(0),
    completionTokens: integer('completion_tokens').notNull().default(0),
    upstreamCostNanoUsd: money('upstream_cost_nano_usd'),
    usdToMmkRate: text('usd_to_mmk_rate').notNull(),
    priceMarkup: text('price_markup').notNull(),
    chargedUnits: money('charged_units').notNull(),
    status: text('status').notNull(),
    latencyMs: integer('latency_ms').notNull(),
    ttfbMs: integer('ttfb_ms'),
    generationId: text('generation_id'),
    createdAt: time('created_at').notNull(),
  },
  (t) => [
    index('usage_records_account').on(t.accountId, t.createdAt),
    index('usage_records_created').on(t.createdAt),
    // The usage page filters one account's log by key or by model, newest first.
    index('usage_records_account_key').on(t.accountId, t.keyId, t.createdAt),
    index('usage_records_account_model').on(t.accountId, t.model, t.createdAt),
  ],
)

export const usageDaily = sqliteTable(
  'usage_daily',
  {
    accountId: text('account_id').notNull(),
    day: text('day').notNull(),
    model: text('model').notNull(),
    requests: integer('requests').notNull(),
    promptTokens: integer('prompt_tokens').notNull(),
    completionTokens: integer('completion_tokens').notNull(),
    chargedUnits: money('charged_units').notNull(),
  },
  (t) => [primaryKey({ columns: [t.accountId, t.day, t.model] })],
)

/** Sessions ended by signing out before they expire; a row can go once `expires_at` passes. */
export const revokedSessions = sqliteTable('revoked_sessions', {
  id: text('id').primaryKey(),
  expiresAt: time('expires_at').notNull(),
})

export const settings = sqliteTable('settings', {
  key: text('key').primaryKey(),
  value: text('value').notNull(),
  updatedAt: time('updated_at').notNull(),
})

export const models = sqliteTable('models', {
  id: text('id').primaryKey(),
  kind: text('kind').notNull(),
  name: text('name').notNull(),
  description: text('description').notNull().default(''),
  contextLength: integer('context_length'),
  inputModalities: text('input_modalities').notNull(),
  outputModalities: text('output_modalities').notNull(),
  promptUsd: text('prompt_usd'),
  completionUsd: text('completion_usd'),
  requestUsd: text('request_usd'),
  imageUsd: text('image_usd'),
  created: integer('created'),
  raw: text('raw').notNull(),
  updatedAt: time('updated_at').notNull(),
})

export const modelPrices = sqliteTable(
  'model_prices',
  {
    id: text('id').primaryKey(),
    modelId: text('model_id').notNull(),
    promptUsd: text('prompt_usd'),
    completionUsd: text('completion_usd'),
    requestUsd: text('request_usd'),
    imageUsd: text('image_usd'),
    observedAt: time('observed_at').notNull(),
  },
  (t) => [index('model_prices_model').on(t.modelId, t.observedAt)],
)

export const topupOrders = sqliteTable(
  'topup_orders',
  {
    id: text('id').primaryKey(),
    accountId: text('account_id')
      .notNull()
      .references(() => accounts.id),
    amountMmk: integer('amount_mmk').notNull(),
    status: text('status').notNull(),
    provider: text('provider').notNull(),
    providerRef: text('provider_ref'),
    idempotencyKey: text('idempotency_key'),
    qrPayload: text('qr_payload'),
    wallet: text('wallet'),
    paidAmountMmk: integer('paid_amount_mmk'),
    reviewReason: text('review_reason'),
    expiresAt: time('expires_at').notNull(),
    paidAt: time('paid_at'),
    createdAt: time('created_at').notNull(),
    updatedAt: time('updated_at').notNull(),
  },
  (t) => [
    uniqueIndex('topup_orders_idempotency').on(t.accountId, t.idempotencyKey),
    index('topup_orders_account').on(t.accountId, t.createdAt),
    index('topup_orders_status').on(t.status),
  ],
)

export const paymentEvents = sqliteTable(
  'payment_events',
  {
    id: text('id').primaryKey(),
    orderId: text('order_id'),
    kind: text('kind').notNull(),
    detail: text('detail').notNull(),
    createdAt: time('created_at').notNull(),
  },
  (t) => [index('payment_events_order').on(t.orderId)],
)

export const conversations = sqliteTable(
  'conversations',
  {
    id: text('id').primaryKey(),
    accountId: text('account_id')
      .notNull()
      .references(() => accounts.id),
    summary: text('summary').notNull().default(''),
    summarizedTurns: integer('summarized_turns').notNull().default(0),
    createdAt: time('created_at').notNull(),
    updatedAt: time('updated_at').notNull(),
  },
  (t) => [index('conversations_account').on(t.accountId)],
)

export const conversationMessages = sqliteTable(
  'conversation_messages',
  {
    id: text('id').primaryKey(),
    conversationId: text('conversation_id')
      .notNull()
      .references(() => conversations.id),
    role: text('role').notNull(),
    content: text('content').notNull(),
    createdAt: time('created_at').notNull(),
  },
  (t) => [index('conversation_messages_conversation').on(t.conversationId, t.createdAt)],
)
