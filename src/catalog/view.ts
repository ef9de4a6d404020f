import type { PriceFactors } from '../ledger/money'
import { pricingInMmk, type MmkPricing } from './mmk'
import { isFree } from './prices'
import type { CatalogModel } from './types'

/** A model with what every read needs precomputed: MMK prices and lowercase search text. */
export interface PricedModel {
  model: CatalogModel
  mmk: MmkPricing
  free: boolean
  /** Prompt plus completion MMK per 1M tokens; Infinity when either is unknown. */
  pricePer1M: number
  idText: string
  nameText: string
  descriptionText: string
}

/** The priced list for one list version and one rate and markup; rebuilt when either changes. */
export class CatalogView {
  readonly entries: PricedModel[]
  private listBody?: string
  private index?: Map<string, PricedModel>

  constructor(
    models: CatalogModel[],
    readonly version: number,
    readonly factors: PriceFactors,
  ) {
    this.entries = models.map((model) => pricedModel(model, factors))
  }

  matches(version: number, factors: PriceFactors) {
    return (
      version === this.version &&
      factors.usdToMmkRate === this.factors.usdToMmkRate &&
      factors.priceMarkup === this.factors.priceMarkup
    )
  }

  get(id: string): PricedModel | undefined {
    this.index ??= new Map(this.entries.map((entry) => [entry.model.id, entry]))
    return this.index.get(id)
  }

  /** The `/v1/models` body as JSON text, built once per view. */
  listJson(): string {
    this.listBody ??= JSON.stringify({ object: 'list', data: this.entries.map(openAiModel) })
    return this.listBody
  }
}

function pricedModel(model: CatalogModel, factors: PriceFactors): PricedModel {
  const mmk = pricingInMmk(model.pricing, factors)
  const bothKnown = mmk.promptPer1M !== null && mmk.completionPer1M !== null
  return {
    model,
    mmk,
    free: isFree(model.pricing),
    pricePer1M: bothKnown ? mmk.promptPer1M! + mmk.completionPer1M! : Infinity,
    idText: model.id.toLowerCase(),
    nameText: model.name.toLowerCase(),
    descriptionText: model.description.toLowerCase(),
  }
}

/** OpenAI's model object with our extensions, as `/v1/models` lists it. */
export function openAiModel({ model, mmk }: PricedModel) {
  return {
    id: model.id,
    object: 'model' as const,
    created: model.created ?? 0,
    owned_by: model.provider,
    name: model.name,
    kind: model.kind,
    context_length: model.contextLength,
    input_modalities: model.inputModalities,
    output_modalities: model.outputModalities,
    pricing_mmk: {
      prompt_per_1m: mmk.promptPer1M,
      completion_per_1m: mmk.completionPer1M,
      request: mmk.request,
      image: mmk.image,
    },
  }
}

/** One model for `/v1/models/:id`: the listed fields plus the description. */
export function openAiModelDetail(entry: PricedModel) {
  return { ...openAiModel(entry), description: entry.model.description }
}
