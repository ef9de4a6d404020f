import { count, sql } from 'drizzle-orm'
import { wantsJson } from '../../../src/http/error-handler'
import type { Services } from '../../../src/services'

/**
 * Every balance and the number of ledger entries and top-up orders: what "no money moved"
 * means.
 */
export async function moneySnapshot(services: Services) {
  await services.ledger.flush()
  const { accounts, ledgerEntries, topupOrders } = services.db.t
  const balances = await services.db.orm
    .select({ id: accounts.id, balance: accounts.balanceUnits })
    .from(accounts)
    .orderBy(accounts.id)
  const [entries] = await services.db.orm.select({ n: count() }).from(ledgerEntries)
  const [orders] = await services.db.orm.select({ n: count() }).from(topupOrders)
  return { balances, entries: Number(entries?.n ?? 0), orders: Number(orders?.n ?? 0) }
}

/** Charge references that occur more than once (a charge applied twice). */
export async function duplicateReferences(services: Services) {
  const { ledgerEntries } = services.db.t
  return services.db.orm
    .select({ reference: ledgerEntries.reference, n: count() })
    .from(ledgerEntries)
    .groupBy(ledgerEntries.reference)
    .having(sql`count(*) > 1`)
}

const internalDetail = new RegExp(
  [
    /\bat [\w.<>]+ \(|node_modules|\/src\/\w/,
    /TypeError|ReferenceError|SyntaxError|JSON Parse error|SQLITE_|PostgresError/,
  ]
    .map((part) => part.source)
    .join('|'),
)

/**
 * What any answer to a hostile request must be: no 5xx from us, nothing internal in the body,
 * and on JSON routes an OpenAI-style error body for every refusal. Returns what is wrong, if
 * anything, so a fuzz loop can report the first offender with its input.
 */
export function answerProblem(url: string, status: number, text: string): string | undefined {
  if (status >= 500) return `answered ${status}: ${text.slice(0, 300)}`
  if (internalDetail.test(text)) return `internal detail in ${status}: ${text.slice(0, 300)}`
  // Bun itself answers 431 with no body to headers over its limit, before the app runs.
  if (status < 400 || status === 431 || !wantsJson(new Request(url))) return undefined

  try {
    const body = JSON.parse(text)
    const error = body?.error
    const shaped =
      typeof error?.message === 'string' &&
      typeof error?.type === 'string' &&
      'param' in error &&
      'code' in error
    return shaped ? undefined : `${status} not an OpenAI-style error: ${text.slice(0, 300)}`
  } catch {
    return `${status} error body is not JSON: ${text.slice(0, 300)}`
  }
}
