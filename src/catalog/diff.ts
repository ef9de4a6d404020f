import { samePricing } from './prices'
import type { CatalogModel } from './types'
import type { FetchedModel } from './upstream-model'

/** What a refresh must write: only rows that differ from what is stored. */
export interface CatalogChanges {
  inserted: FetchedModel[]
  updated: FetchedModel[]
  removed: string[]
  /** New models and models whose price moved: each gets a price history row. */
  repriced: CatalogModel[]
}

export function hasChanges(changes: CatalogChanges): boolean {
  return changes.inserted.length + changes.updated.length + changes.removed.length > 0
}

const sameList = (a: string[], b: string[]) =>
  a.length === b.length && a.every((value, i) => value === b[i])

export function sameModel(a: CatalogModel, b: CatalogModel): boolean {
  return (
    a.kind === b.kind &&
    a.name === b.name &&
    a.description === b.description &&
    a.contextLength === b.contextLength &&
    a.created === b.created &&
    sameList(a.inputModalities, b.inputModalities) &&
    sameList(a.outputModalities, b.outputModalities) &&
    samePricing(a.pricing, b.pricing)
  )
}

/** Compares a fetched list with the stored one; `next` must hold each id once. */
export function diffModels(
  stored: ReadonlyMap<string, CatalogModel>,
  next: FetchedModel[],
): CatalogChanges {
  const changes: CatalogChanges = { inserted: [], updated: [], removed: [], repriced: [] }
  const seen = new Set<string>()

  for (const fetched of next) {
    const { model } = fetched
    seen.add(model.id)
    const old = stored.get(model.id)
    if (!old) {
      changes.inserted.push(fetched)
      changes.repriced.push(model)
    } else if (!sameModel(old, model)) {
      changes.updated.push(fetched)
      if (!samePricing(old.pricing, model.pricing)) changes.repriced.push(model)
    }
  }
  for (const id of stored.keys()) if (!seen.has(id)) changes.removed.push(id)
  return changes
}
