import { createHash } from 'node:crypto'
import { decimalToScaled } from '../../ledger/money'
import type { DemoModel } from './models'

// Deterministic stand-ins for a model: the same request always gets the same reply, token
// counts and cost, so tests and the portal's demo can predict them.

const FEMTO_DIGITS = 15

/** A rough, stable token count: one token per four characters, at least one. */
export function countTokens(text: string): number {
  return Math.max(1, Math.ceil(text.length / 4))
}

type Json = Record<string, unknown>

function contentText(content: unknown): string {
  if (typeof content === 'string') return content
  if (!Array.isArray(content)) return ''
  return content
    .map((part) => (typeof part === 'object' && part && 'text' in part ? String(part.text) : ''))
    .join(' ')
}

/** Prompt tokens of a chat request: each message's text plus a small per-message overhead. */
export function chatPromptTokens(messages: Json[]): number {
  return messages.reduce((sum, message) => sum + countTokens(contentText(message.content)) + 3, 3)
}

export function lastUserText(messages: Json[]): string {
  const user = messages.findLast((message) => message.role === 'user')
  return user ? contentText(user.content) : ''
}

/** The reply, as the pieces a stream sends one by one, cut to `maxTokens` pieces. */
export function replyPieces(prompt: string, maxTokens: number | undefined) {
  const echoed = prompt.split(/\s+/).filter(Boolean).slice(0, 8).join(' ')
  const text =
    'Mingalabar! This is a synthetic reply from the Sargalay demo upstream; no model ran. ' +
    `You wrote: "${echoed}".`
  const pieces = text.split(' ').map((word, i) => (i === 0 ? word : ` ${word}`))
  const limit = maxTokens ?? pieces.length
  const cut = pieces.length > limit
  return { pieces: cut ? pieces.slice(0, limit) : pieces, finishReason: cut ? 'length' : 'stop' }
}

/** Exact USD cost, returned as the JSON number the upstream would send. */
export function costUsd(model: DemoModel, promptTokens: number, completionTokens: number) {
  const prices = model.billed ?? model
  const scaled = (price: string) => decimalToScaled(price, FEMTO_DIGITS) ?? 0n
  const request = model.billed ? 0n : scaled(model.request)
  const femto =
    BigInt(promptTokens) * scaled(prices.prompt) +
    BigInt(completionTokens) * scaled(prices.completion) +
    request
  return Number(femtoToText(femto))
}

function femtoToText(femto: bigint): string {
  const digits = femto.toString().padStart(FEMTO_DIGITS + 1, '0')
  const whole = digits.slice(0, -FEMTO_DIGITS)
  const fraction = digits.slice(-FEMTO_DIGITS).replace(/0+$/, '')
  return fraction ? `${whole}.${fraction}` : whole
}

/** A unit vector of 16 float32 values derived from the text. */
export function embeddingOf(text: string): number[] {
  const bytes = createHash('sha256').update(text).digest()
  const raw = Array.from({ length: 16 }, (_, i) => (bytes[i]! - 127.5) / 127.5)
  const norm = Math.hypot(...raw) || 1
  return raw.map((value) => Math.fround(value / norm))
}

export function embeddingBase64(vector: number[]): string {
  return Buffer.from(new Float32Array(vector).buffer).toString('base64')
}
