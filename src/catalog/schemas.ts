import { t } from 'elysia'

export const pricingMmk = t.Object(
  {
    prompt_per_1m: t.Union([t.Number(), t.Null()], { description: 'MMK per 1M prompt tokens' }),
    completion_per_1m: t.Union([t.Number(), t.Null()], {
      description: 'MMK per 1M completion tokens',
    }),
    request: t.Union([t.Number(), t.Null()], { description: 'MMK per request' }),
    image: t.Union([t.Number(), t.Null()], { description: 'MMK per input image' }),
  },
  { description: 'Prices in kyat at the rate and markup in force; null means unknown' },
)

export const model = t.Object({
  id: t.String({ examples: ['anthropic/claude-sonnet-4'] }),
  object: t.Literal('model'),
  created: t.Number({ description: 'Unix seconds' }),
  owned_by: t.String({ description: 'The author prefix of the id' }),
  name: t.String(),
  kind: t.Union([t.Literal('chat'), t.Literal('embedding')]),
  context_length: t.Union([t.Number(), t.Null()], { description: 'Tokens' }),
  input_modalities: t.Array(t.String()),
  output_modalities: t.Array(t.String()),
  pricing_mmk: pricingMmk,
})

export const modelDetail = t.Composite([model, t.Object({ description: t.String() })])

export const modelList = t.Object({ object: t.Literal('list'), data: t.Array(model) })

export { adminError as apiError } from '../admin/schemas'
