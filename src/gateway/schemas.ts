import { t } from 'elysia'

// OpenAPI descriptions of the proxied bodies. The gateway parses these bodies itself (see
// parse-request.ts), since Elysia's validation would cost time on the hot path and answer in
// its own error shape; these schemas document, they do not validate.

const message = t.Object(
  {
    role: t.String({ examples: ['system', 'user', 'assistant', 'tool'] }),
    content: t.Union([t.String(), t.Array(t.Object({}, { additionalProperties: true })), t.Null()]),
  },
  { additionalProperties: true },
)

const generation = {
  model: t.String({ examples: ['demo/swift-chat'] }),
  stream: t.Optional(t.Boolean()),
  stream_options: t.Optional(
    t.Object({
      include_usage: t.Optional(
        t.Boolean({ description: 'Send a final usage chunk, with `cost_mmk`' }),
      ),
    }),
  ),
  max_tokens: t.Optional(
    t.Integer({ minimum: 1, description: 'Completion cap; absent, the default allowance' }),
  ),
  max_completion_tokens: t.Optional(t.Integer({ minimum: 1 })),
}

export const chatRequest = t.Object(
  { ...generation, messages: t.Array(message, { minItems: 1 }) },
  { additionalProperties: true, description: 'OpenAI chat completion request' },
)

export const completionRequest = t.Object(
  { ...generation, prompt: t.Union([t.String(), t.Array(t.String(), { minItems: 1 })]) },
  { additionalProperties: true, description: 'OpenAI legacy completion request' },
)

export const embeddingRequest = t.Object(
  {
    model: t.String({ examples: ['demo/embed-small'] }),
    input: t.Union([t.String(), t.Array(t.Unknown(), { minItems: 1 })]),
    encoding_format: t.Optional(t.Union([t.Literal('float'), t.Literal('base64')])),
    dimensions: t.Optional(t.Integer({ minimum: 1 })),
  },
  { additionalProperties: true, description: 'OpenAI embeddings request' },
)

const usage = t.Object(
  {
    prompt_tokens: t.Integer(),
    completion_tokens: t.Optional(t.Integer()),
    total_tokens: t.Integer(),
    cost_mmk: t.Number({ description: 'What this request was charged, in kyat' }),
  },
  { additionalProperties: true },
)

export const proxiedAnswer = t.Object(
  { id: t.Optional(t.String()), object: t.String(), usage: t.Optional(usage) },
  { additionalProperties: true, description: 'The OpenAI-shaped answer; streams are SSE' },
)

export const keyInfo = t.Object({
  data: t.Object({
    name: t.String({ description: 'The key’s name' }),
    balance_mmk: t.Number(),
    available_mmk: t.Number({ description: 'Balance less the holds of requests in flight' }),
    spend_today_mmk: t.Number({ description: 'Charged to this key today (Myanmar time)' }),
    spend_month_mmk: t.Number({ description: 'Charged to this key this calendar month' }),
  }),
})
