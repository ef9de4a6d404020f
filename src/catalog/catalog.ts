import type { Database } from '../db/database'
import type { Clock } from '../lib/clock'
import type { Logger } from '../ops/logger'
import type { UpstreamTarget } from '../services'
import type { PricingSettings } from '../settings/pricing-settings'
import { diffModels, hasChanges } from './diff'
import { CatalogFetchError, fetchCatalog, mergeLists } from './fetch'
import { searchModels, type ModelSearchQuery, type ModelSearchResult } from './search'
import { loadModels, readPriceHistory, writeChanges, type PricePoint } from './store'
import type { CatalogModel, CatalogReader } from './types'
import type { FetchedModel } from './upstream-model'
import { CatalogView, type PricedModel } from './view'

export interface CatalogOptions {
  ttlMs: number
  /** How long a cold start waits for the first list, and how long one fetch may take. */
  coldStartTimeoutMs: number
  /** First retry delay after a failed refresh; doubles per failure up to `retryMaxMs`. */
  retryBaseMs?: number
  retryMaxMs?: number
}

export interface CatalogDeps {
  db: Database
  clock: Clock
  logger: Logger
  pricing: Pick<PricingSettings, 'current'>
  upstream: UpstreamTarget
}

type ReadyWaiter = (ready: boolean) => void

/** For health checks: whether a copy exists and how its refreshing goes. */
export interface CatalogStatus {
  ready: boolean
  models: number
  /** When the upstream last confirmed the list (epoch ms), or it was last written. */
  checkedAt: number | null
  refreshing: boolean
  retryScheduled: boolean
  /** Failed refreshes in a row. */
  failures: number
}

/**
 * The upstream's models, in memory and in the `models` table. Reads never wait on the network
 * while any copy exists: a stale copy is served and one background refresh starts.
 */
export class Catalog implements CatalogReader {
  private byId = new Map<string, CatalogModel>()
  private models: CatalogModel[] = []
  private version = 0
  /** When the copy was last confirmed by the upstream (or written); null: no copy yet. */
  private checkedAt: number | null = null
  private refreshing: Promise<boolean> | null = null
  private retryTimer: ReturnType<typeof setTimeout> | null = null
  private failures = 0
  private embeddingsFailing = false
  private stopped = false
  private readonly abort = new AbortController()
  private readonly waiters = new Set<ReadyWaiter>()
  private view?: CatalogView

  constructor(
    private readonly deps: CatalogDeps,
    private readonly options: CatalogOptions,
  ) {}

  /** Loads the stored list; with none, starts the first fetch without waiting for it. */
  async start() {
    const { models, writtenAt } = await loadModels(this.deps.db)
    if (models.length > 0) {
      this.replace(models)
      this.checkedAt = writtenAt
    } else {
      void this.refresh()
    }
  }

  /** Stops the retry timer and any fetch in flight; waiters hear "not ready". */
  async stop() {
    this.stopped = true
    this.cancelRetry()
    this.abort.abort()
    for (const waiter of [...this.waiters]) waiter(false)
    await this.refreshing
  }

  /** True once a list exists, from the database or the upstream. */
  get ready() {
    return this.checkedAt !== null
  }

  status(): CatalogStatus {
    return {
      ready: this.ready,
      models: this.models.length,
      checkedAt: this.checkedAt,
      refreshing: this.refreshing !== null,
      retryScheduled: this.retryTimer !== null,
      failures: this.failures,
    }
  }

  get(id: string): CatalogModel | undefined {
    this.refreshIfStale()
    return this.byId.get(id)
  }

  /** Like `get`, but on a cold start waits up to the cold-start timeout for the first list. */
  async resolve(id: string): Promise<CatalogModel | undefined> {
    if (!this.ready) await this.whenReady()
    return this.get(id)
  }

  /** Every model, sorted by id. */
  list(): readonly CatalogModel[] {
    this.refreshIfStale()
    return this.models
  }

  /** Every model with its MMK prices at the rate and markup in force now. */
  priced(): readonly PricedModel[] {
    return this.currentView().entries
  }

  search(query: ModelSearchQuery): ModelSearchResult {
    return searchModels(this.currentView().entries, query)
  }

  /** The `/v1/models` body, rebuilt only when the list, rate or markup changed. */
  listJson(): string {
    return this.currentView().listJson()
  }

  /** The priced model for one id, at the rate and markup in force now. */
  pricedModel(id: string): PricedModel | undefined {
    return this.currentView().get(id)
  }

  priceHistory(modelId: string): Promise<PricePoint[]> {
    return readPriceHistory(this.deps.db, modelId)
  }

  /** Resolves true once a list exists, or false after `timeoutMs` or at shutdown. */
  whenReady(timeoutMs = this.options.coldStartTimeoutMs): Promise<boolean> {
    if (this.ready) return Promise.resolve(true)
    if (this.stopped) return Promise.resolve(false)
    this.refreshIfStale()
    return new Promise((resolve) => {
      const timer = setTimeout(() => waiter(false), timeoutMs)
      const waiter: ReadyWaiter = (ready) => {
        clearTimeout(timer)
        this.waiters.delete(waiter)
        resolve(ready)
      }
      this.waiters.add(waiter)
    })
  }

  /** Fetches now; joins the refresh in flight instead of starting a second. */
  refresh(): Promise<boolean> {
    if (this.stopped) return Promise.resolve(false)
    if (this.refreshing) return this.refreshing
    this.cancelRetry()
    this.refreshing = this.runRefresh().then((ok) => {
      // Cleared before anyone hears the outcome, so a read right after may start the next one.
      this.refreshing = null
      if (ok) this.notifyReady()
      else if (!this.stopped) this.scheduleRetry()
      return ok
    })
    return this.refreshing
  }

  private refreshIfStale() {
    if (this.refreshing || this.retryTimer || this.stopped) return
    const age = this.checkedAt === null ? Infinity : this.deps.clock.now() - this.checkedAt
    if (age >= this.options.ttlMs) void this.refresh()
  }

  private currentView(): CatalogView {
    this.refreshIfStale()
    const factors = this.deps.pricing.current()
    if (!this.view?.matches(this.version, factors)) {
      this.view = new CatalogView(this.models, this.version, { ...factors })
    }
    return this.view
  }

  private async runRefresh(): Promise<boolean> {
    try {
      const fetched = await this.fetchAll()
      if (this.stopped) return false
      await this.apply(fetched)
      this.succeeded(fetched.length)
      return true
    } catch (error) {
      if (!this.stopped) this.failed(error)
      return false
    }
  }

  private async fetchAll(): Promise<FetchedModel[]> {
    const options = { timeoutMs: this.options.coldStartTimeoutMs, signal: this.abort.signal }
    const { models, embeddingsError } = await fetchCatalog(this.deps.upstream, options)
    const wasFailing = this.embeddingsFailing
    this.embeddingsFailing = embeddingsError !== null
    if (!embeddingsError) return models

    // One flaky endpoint must not empty the embedding models we already have.
    if (!wasFailing) {
      this.deps.logger.warn('catalog_embeddings_failed', describeFailure(embeddingsError))
    }
    const kept = this.models
      .filter((model) => model.kind === 'embedding')
      .map((model) => ({ model, raw: JSON.stringify(model) }))
    return mergeLists(models, kept)
  }

  private async apply(fetched: FetchedModel[]) {
    const now = this.deps.clock.now()
    const changes = diffModels(this.byId, fetched)
    if (hasChanges(changes)) {
      await writeChanges(this.deps.db, changes, now)
      this.replace(fetched.map((item) => item.model))
      this.deps.logger.info('catalog_updated', {
        models: fetched.length,
        inserted: changes.inserted.length,
        updated: changes.updated.length,
        removed: changes.removed.length,
        repriced: changes.repriced.length,
      })
    }
    this.checkedAt = now
  }

  private replace(models: CatalogModel[]) {
    this.models = models
    this.byId = new Map(models.map((model) => [model.id, model]))
    this.version++
  }

  private succeeded(count: number) {
    if (this.failures > 0) {
      this.deps.logger.info('catalog_refresh_recovered', { failures: this.failures, count })
    }
    this.failures = 0
  }

  /** Logs the first failure of a run of failures only; the rest go to debug. */
  private failed(error: unknown) {
    this.failures++
    const fields = describeFailure(error)
    if (this.failures === 1) {
      this.deps.logger.warn('catalog_refresh_failed', fields)
    } else {
      this.deps.logger.debug('catalog_refresh_retry_failed', { ...fields, attempt: this.failures })
    }
  }

  private cancelRetry() {
    if (this.retryTimer) clearTimeout(this.retryTimer)
    this.retryTimer = null
  }

  private notifyReady() {
    for (const waiter of [...this.waiters]) waiter(true)
  }

  /** Retries with a delay that doubles per failure in a row, up to `retryMaxMs`. */
  private scheduleRetry() {
    const base = this.options.retryBaseMs ?? 2_000
    const delay = Math.min(base * 2 ** (this.failures - 1), this.options.retryMaxMs ?? 300_000)
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null
      void this.refresh()
    }, delay)
    this.retryTimer.unref?.()
  }
}

function describeFailure(error: unknown) {
  if (error instanceof CatalogFetchError) {
    return { reason: error.reason, status: error.status, message: error.message }
  }
  return { reason: 'store', message: error instanceof Error ? error.message : String(error) }
}
