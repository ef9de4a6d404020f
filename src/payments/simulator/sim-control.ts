import { EmvError, parseEmv, templateOf } from '../emv'
import { paymentMethods, type PaymentMethod, type PaymentStatus, wallets } from '../types'
import { deliveryFaults, wireFaults, type FaultRoute } from './sim-faults'
import type { Simulator } from './simulator'
import { getShape, type SimOrder } from './sim-store'

const json = (status: number, body: unknown) => Response.json(body, { status })
const problem = (status: number, message: string) => json(status, { error: message })

/** The `/__sim/*` test-control endpoints of PROTOCOLS.md §2.7; never part of real MMPay. */
export async function handleControl(sim: Simulator, request: Request, path: string) {
  if (!path.startsWith('/__sim/')) return undefined
  const body = request.method === 'POST' ? await readBody(request) : {}
  const route = `${request.method} ${path.replace(/\/orders\/[^/]+/, '/orders/:id')}`
  const orderId = decodeURIComponent(/\/orders\/([^/]+)/.exec(path)?.[1] ?? '')

  switch (route) {
    case 'GET /__sim/orders/:id':
      return withOrder(sim, orderId, (order) => json(200, getShape(order)))
    case 'POST /__sim/orders/:id/pay':
      return withOrder(sim, orderId, (order) => pay(sim, order, body))
    case 'POST /__sim/orders/:id/fail':
      return withOrder(sim, orderId, (order) => move(sim, order, ['PENDING'], 'FAILED'))
    case 'POST /__sim/orders/:id/expire':
      return withOrder(sim, orderId, (order) => move(sim, order, ['PENDING'], 'EXPIRED'))
    case 'POST /__sim/orders/:id/refund':
      return withOrder(sim, orderId, (order) => move(sim, order, ['SUCCESS'], 'REFUNDED'))
    case 'POST /__sim/orders/:id/redeliver':
      return withOrder(sim, orderId, (order) => redeliver(sim, order))
    case 'POST /__sim/scan':
      return scan(sim, body)
    case 'GET /__sim/deliveries':
      return json(200, { data: sim.deliverer.log })
    case 'POST /__sim/clock':
      return advance(sim, body)
    case 'POST /__sim/faults':
      return setFault(sim, body)
    case 'POST /__sim/reset':
      sim.reset()
      return json(200, { ok: true })
  }
  return problem(404, `no control route ${route}`)
}

async function withOrder(
  sim: Simulator,
  orderId: string,
  work: (order: SimOrder) => Response | Promise<Response>,
) {
  const order = sim.store.orders.get(orderId)
  return order ? work(order) : problem(404, `no order ${orderId}`)
}

async function pay(sim: Simulator, order: SimOrder, body: Record<string, unknown>) {
  const vendor = typeof body.vendor === 'string' ? body.vendor : 'KBZPay'
  const method = (body.method ?? 'QR') as PaymentMethod
  if (!(wallets as readonly string[]).includes(vendor)) return problem(400, `unknown wallet`)
  if (!paymentMethods.includes(method)) return problem(400, 'unknown method')
  const late = order.status === 'EXPIRED' || order.status === 'CANCELLED'
  if (order.status !== 'PENDING' && !(late && body.force === true)) {
    return problem(409, `order is ${order.status}`)
  }

  const amount = typeof body.amount === 'number' ? body.amount : undefined
  sim.store.pay(order, vendor, method, amount)
  await sim.announce(order)
  return json(200, getShape(order))
}

async function move(sim: Simulator, order: SimOrder, from: PaymentStatus[], to: PaymentStatus) {
  if (!from.includes(order.status)) return problem(409, `order is ${order.status}`)
  order.status = to
  if (to === 'EXPIRED') order.condition = 'EXPIRED'
  await sim.announce(order)
  return json(200, getShape(order))
}

async function redeliver(sim: Simulator, order: SimOrder) {
  order.condition = 'TOUCHED'
  await sim.announce(order)
  return json(200, getShape(order))
}

/** A wallet's view: read the QR, find the order by its reference label, pay it. */
async function scan(sim: Simulator, body: Record<string, unknown>) {
  if (typeof body.qr !== 'string') return problem(400, 'qr is required')
  let reference: string | undefined
  let amountText: string | undefined
  try {
    const root = parseEmv(body.qr)
    reference = templateOf(root, '62').get('05')
    amountText = root.get('54')
  } catch (error) {
    if (!(error instanceof EmvError)) throw error
    return problem(400, `not a valid QR payload: ${error.message}`)
  }

  const order = reference ? sim.store.orders.get(reference) : undefined
  if (!order) return problem(404, 'no order for this QR')
  if (amountText !== undefined && Number(amountText) !== order.amount) {
    return problem(400, 'QR amount does not match the order')
  }
  return pay(sim, order, { vendor: body.vendor })
}

async function advance(sim: Simulator, body: Record<string, unknown>) {
  const advanceMs = body.advanceMs
  if (typeof advanceMs !== 'number' || advanceMs < 0) return problem(400, 'advanceMs >= 0')
  sim.offsetMs += advanceMs
  await sim.expireOverdue()
  return json(200, { now: sim.now() })
}

function setFault(sim: Simulator, body: Record<string, unknown>) {
  const route = body.route as FaultRoute
  const mode = String(body.mode)
  const known =
    route === 'callback'
      ? [...deliveryFaults, 'none'].includes(mode)
      : ['handshake', 'create', 'get', 'cancel'].includes(route) &&
        [...wireFaults, 'none'].includes(mode)
  if (!known) return problem(400, 'unknown route or mode')
  sim.faults.set(route, mode, typeof body.times === 'number' ? body.times : undefined)
  return json(200, { route, mode })
}

async function readBody(request: Request): Promise<Record<string, unknown>> {
  const text = await request.text()
  if (!text) return {}
  try {
    const value: unknown = JSON.parse(text)
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {}
  } catch {
    return {}
  }
}
