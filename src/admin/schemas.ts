import { t } from 'elysia'

export const adminError = t.Object(
  {
    error: t.Object({
      message: t.String(),
      type: t.String(),
      param: t.Union([t.String(), t.Null()]),
      code: t.Union([t.String(), t.Null()]),
    }),
  },
  { description: 'An OpenAI-style error' },
)

export const errors = { 400: adminError, 401: adminError, 404: adminError }

export const userId = t.Object({ id: t.String({ maxLength: 64 }) })

export const newUser = t.Object(
  {
    name: t.String({ minLength: 1, maxLength: 100 }),
    email: t.Optional(t.String({ format: 'email', maxLength: 200 })),
  },
  { additionalProperties: false },
)

export const user = t.Object({
  id: t.String(),
  name: t.String(),
  email: t.Union([t.String(), t.Null()]),
  balance_mmk: t.Number(),
})

export const userWithHolds = t.Composite([user, t.Object({ held_mmk: t.Number() })])

export const creditBody = t.Object(
  {
    amount_mmk: t.Number({ description: 'MMK to add; negative for a debit adjustment' }),
    reason: t.String({ minLength: 1, maxLength: 500 }),
  },
  { additionalProperties: false },
)

export const balance = t.Object({ balance_mmk: t.Number() })

export const newKey = t.Object(
  { name: t.String({ minLength: 1, maxLength: 100 }) },
  { additionalProperties: false },
)

export const createdKey = t.Object({ id: t.String(), key: t.String() })

export const usageQuery = t.Object({
  limit: t.Optional(t.Numeric({ minimum: 1, maximum: 1000, multipleOf: 1 })),
})

export const usageList = t.Object({
  data: t.Array(
    t.Object({
      id: t.String(),
      model: t.String(),
      prompt_tokens: t.Integer(),
      completion_tokens: t.Integer(),
      charged_mmk: t.Number(),
      status: t.String(),
      created_at: t.String({ format: 'date-time' }),
    }),
  ),
})

export const settings = t.Object({ usd_to_mmk_rate: t.Number(), price_markup: t.Number() })

export const settingsPatch = t.Object(
  {
    usd_to_mmk_rate: t.Optional(t.Number({ exclusiveMinimum: 0, maximum: 1_000_000 })),
    price_markup: t.Optional(t.Number({ minimum: 1, maximum: 100 })),
  },
  { additionalProperties: false, minProperties: 1 },
)

export const nothing = t.Void({ description: 'No content' })

const cap = t.Union([t.Number({ exclusiveMinimum: 0 }), t.Null()], {
  description: 'MMK a key may spend per Myanmar day or month; null removes the cap',
})

export const keyCaps = t.Object(
  { daily_cap_mmk: t.Optional(cap), monthly_cap_mmk: t.Optional(cap) },
  { additionalProperties: false, minProperties: 1 },
)

export const keyCapsAnswer = t.Object({
  id: t.String(),
  daily_cap_mmk: t.Union([t.Number(), t.Null()]),
  monthly_cap_mmk: t.Union([t.Number(), t.Null()]),
})
