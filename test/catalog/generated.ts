import type { UpstreamModel } from './fixtures'

export const PROVIDERS = ['acme', 'birch', 'cobalt', 'delta', 'ember', 'fjord', 'garnet', 'harbor']
const FAMILIES = ['nova', 'lumen', 'quill', 'orbit', 'sable']
const TOPICS = ['coding', 'translation into Burmese', 'long documents', 'chat']

/**
 * `count` OpenRouter-shaped models with known spreads: every 10th is free, every 13th (not a
 * 10th) has OpenRouter's "-1" variable price, the rest cost (i + 1) × 1e-8 USD per token.
 */
export function generatedModels(count = 400): UpstreamModel[] {
  return Array.from({ length: count }, (_, i) => {
    const provider = PROVIDERS[i % PROVIDERS.length]!
    const family = FAMILIES[i % FAMILIES.length]!
    const price = i % 10 === 0 ? '0' : i % 13 === 0 ? '-1' : ((i + 1) * 1e-8).toFixed(8)
    return {
      id: `${provider}/${family}-${i}`,
      name: `${provider[0]!.toUpperCase()}${provider.slice(1)}: ${family} ${i}`,
      created: 1_700_000_000 + i,
      description: `A ${(i % 7) + 1}0B model for ${TOPICS[i % TOPICS.length]}.`,
      context_length: 4096 * (1 + (i % 64)),
      architecture: {
        input_modalities: i % 3 === 0 ? ['text', 'image'] : ['text'],
        output_modalities: ['text'],
      },
      pricing: { prompt: price, completion: price === '0' || price === '-1' ? price : '0.00001' },
    }
  })
}
