import { buildEmvPayload, EmvError, parseEmv, templateOf } from './emv'

/** What an MMQR look-alike carries that the gateway and the simulator care about. */
export interface MmqrFields {
  merchantGuid: string
  merchantId: string
  merchantName: string
  merchantCity: string
  amountMmk: number
  /** Tag 62/05, the reference label; our order id. */
  reference: string
  terminal?: string
}

const MMK_CURRENCY = '104'
const MCC_COMPUTER_SOFTWARE = '5734'

/** A dynamic (one-time) QR for one amount in kyat, payable once. */
export function buildMmqr(fields: MmqrFields): string {
  const additional = [{ id: '05', value: fields.reference }]
  if (fields.terminal) additional.push({ id: '07', value: fields.terminal })
  return buildEmvPayload([
    { id: '01', value: '12' },
    {
      id: '26',
      value: [
        { id: '00', value: fields.merchantGuid },
        { id: '01', value: fields.merchantId },
      ],
    },
    { id: '52', value: MCC_COMPUTER_SOFTWARE },
    { id: '53', value: MMK_CURRENCY },
    { id: '54', value: String(fields.amountMmk) },
    { id: '58', value: 'MM' },
    { id: '59', value: fields.merchantName },
    { id: '60', value: fields.merchantCity },
    { id: '62', value: additional },
  ])
}

export interface MmqrCheck {
  reference?: string
  amountMmk?: number
  problems: string[]
}

/**
 * Checks a provider-returned QR against the order it should pay. The provider is the authority,
 * so problems are reported for an alert, never used to refuse the QR.
 */
export function checkMmqr(payload: string, expectedAmountMmk: number): MmqrCheck {
  let root: Map<string, string>
  try {
    root = parseEmv(payload)
  } catch (error) {
    if (!(error instanceof EmvError)) throw error
    return { problems: [error.message] }
  }

  const problems: string[] = []
  if (root.get('01') !== '12') problems.push('not a dynamic QR (01 != 12)')
  if (root.get('53') !== MMK_CURRENCY) problems.push('currency is not MMK (53 != 104)')
  if (root.get('58') !== 'MM') problems.push('country is not MM (58)')
  const amountText = root.get('54')
  const amountMmk = amountText === undefined ? undefined : Number(amountText)
  if (amountMmk !== undefined && amountMmk !== expectedAmountMmk) {
    problems.push(`amount ${amountText} differs from the order's ${expectedAmountMmk}`)
  }
  return { reference: templateOf(root, '62').get('05'), amountMmk, problems }
}
