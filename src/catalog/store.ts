import { asc, eq, inArray } from 'drizzle-orm'
import type { Database } from '../db/database'
import { newId } from '../lib/ids'
import type { CatalogChanges } from './diff'
import { providerOf, type FetchedModel } from './upstream-model'
import type { CatalogModel, ModelKind, ModelPricing } from './types'

/** A price as it was from `observedAt` on; prices are USD decimal text, null when unknown. */
export interface PricePoint {
  observedAt: number
  pricing: ModelPricing
}

// Keeps each statement well under SQLite's bound-parameter limit.
const CHUNK = 200

const chunks = <T>(items: T[]) =>
  Array.from({ length: Math.ceil(items.length / CHUNK) }, (_, i) =>
    items.slice(i * CHUNK, (i + 1) * CHUNK),
  )

/** The stored list and when it was last written; `writtenAt` is null for an empty table. */
export async function loadModels(db: Database) {
  const rows = await db.orm.select().from(db.t.models).orderBy(asc(db.t.models.id))
  const models = rows.map((row): CatalogModel => ({
    id: row.id,
    kind: row.kind as ModelKind,
    name: row.name,
    description: row.description,
    provider: providerOf(row.id),
    contextLength: row.contextLength,
    inputModalities: JSON.parse(row.inputModalities) as string[],
    outputModalities: JSON.parse(row.outputModalities) as string[],
    created: row.created,
    pricing: {
      prompt: row.promptUsd,
      completion: row.completionUsd,
      request: row.requestUsd,
      image: row.imageUsd,
    },
  }))
  const writtenAt = rows.length > 0 ? Math.max(...rows.map((row) => row.updatedAt)) : null
  return { models, writtenAt }
}

function toRow({ model, raw }: FetchedModel, now: number) {
  return {
    id: model.id,
    kind: model.kind,
    name: model.name,
    description: model.description,
    contextLength: model.contextLength,
    inputModalities: JSON.stringify(model.inputModalities),
    outputModalities: JSON.stringify(model.outputModalities),
    promptUsd: model.pricing.prompt,
    completionUsd: model.pricing.completion,
    requestUsd: model.pricing.request,
    imageUsd: model.pricing.image,
    created: model.created,
    raw,
    updatedAt: now,
  }
}

/** Writes exactly the changed rows, and a price history row per new or repriced model. */
export async function writeChanges(db: Database, changes: CatalogChanges, now: number) {
  const { models, modelPrices } = db.t
  await db.write(async (tx) => {
    for (const part of chunks(changes.inserted)) {
      await tx.insert(models).values(part.map((fetched) => toRow(fetched, now)))
    }
    for (const fetched of changes.updated) {
      const { id, ...values } = toRow(fetched, now)
      await tx.update(models).set(values).where(eq(models.id, id))
    }
    for (const part of chunks(changes.removed)) {
      await tx.delete(models).where(inArray(models.id, part))
    }
    for (const part of chunks(changes.repriced)) {
      await tx.insert(modelPrices).values(part.map((model) => priceRow(model, now)))
    }
  })
}

function priceRow(model: CatalogModel, now: number) {
  return {
    id: newId('mpr', now),
    modelId: model.id,
    promptUsd: model.pricing.prompt,
    completionUsd: model.pricing.completion,
    requestUsd: model.pricing.request,
    imageUsd: model.pricing.image,
    observedAt: now,
  }
}

/** Every price a model has had, oldest first. */
export async function readPriceHistory(db: Database, modelId: string): Promise<PricePoint[]> {
  const t = db.t.modelPrices
  const rows = await db.orm
    .select()
    .from(t)
    .where(eq(t.modelId, modelId))
    .orderBy(asc(t.observedAt), asc(t.id))
  return rows.map((row) => ({
    observedAt: row.observedAt,
    pricing: {
      prompt: row.promptUsd,
      completion: row.completionUsd,
      request: row.requestUsd,
      image: row.imageUsd,
    },
  }))
}
