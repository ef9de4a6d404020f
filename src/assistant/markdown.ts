/**
 * The small part of Markdown that models write in answers: fenced code, headings, lists,
 * tables, paragraphs, inline code and bold. It is parsed into plain data for the templates to
 * render with every piece of text escaped, so no HTML a model writes ever reaches the page.
 * Links keep their text and show their address after it, never as a link.
 */

export interface Inline {
  kind: 'text' | 'code' | 'strong'
  text: string
}

export type Block =
  | { kind: 'code'; text: string }
  | { kind: 'heading'; inline: Inline[] }
  | { kind: 'list'; ordered: boolean; items: Inline[][] }
  | { kind: 'table'; header: Inline[][]; rows: Inline[][][] }
  | { kind: 'paragraph'; lines: Inline[][] }

const FENCE = /^\s*(```|~~~)/
const HEADING = /^\s{0,3}#{1,6}\s+(.*)$/
const BULLET = /^\s*[-*+]\s+(.*)$/
const NUMBERED = /^\s*\d{1,3}[.)]\s+(.*)$/
const TABLE_RULE = /^\s*\|?\s*:?-+:?\s*(\|\s*:?-+:?\s*)*\|?\s*$/
const INLINE = /`([^`\n]+)`|\*\*([^*\n]+?)\*\*|__([^_\n]+?)__/g
// Bounded, so that a long line of unclosed brackets stays linear.
const LINK = /\[([^\]\n]{1,500})\]\((\S{1,2000}?)\)/g

export function parseMarkdown(text: string): Block[] {
  const lines = text.replace(/\r\n?/g, '\n').split('\n')
  const blocks: Block[] = []
  let at = 0

  while (at < lines.length) {
    const line = lines[at]!
    if (line.trim() === '') {
      at++
    } else if (FENCE.test(line)) {
      at = readFence(lines, at, blocks)
    } else if (HEADING.test(line)) {
      blocks.push({ kind: 'heading', inline: parseInline(HEADING.exec(line)![1]!.trim()) })
      at++
    } else if (BULLET.test(line) || NUMBERED.test(line)) {
      at = readList(lines, at, blocks)
    } else if (line.includes('|') && TABLE_RULE.test(lines[at + 1] ?? '')) {
      at = readTable(lines, at, blocks)
    } else {
      at = readParagraph(lines, at, blocks)
    }
  }
  return blocks
}

/** A fenced block runs to its closing fence, or to the end of an answer cut short. */
function readFence(lines: string[], start: number, blocks: Block[]): number {
  const fence = FENCE.exec(lines[start]!)![1]!
  const body: string[] = []
  let at = start + 1
  while (at < lines.length && !lines[at]!.trimStart().startsWith(fence)) body.push(lines[at++]!)
  blocks.push({ kind: 'code', text: body.join('\n') })
  return at + 1
}

function readList(lines: string[], start: number, blocks: Block[]): number {
  const ordered = !BULLET.test(lines[start]!)
  const marker = ordered ? NUMBERED : BULLET
  const items: Inline[][] = []
  let at = start
  for (; at < lines.length; at++) {
    const item = marker.exec(lines[at]!)
    if (!item) break
    items.push(parseInline(item[1]!))
  }
  blocks.push({ kind: 'list', ordered, items })
  return at
}

function readTable(lines: string[], start: number, blocks: Block[]): number {
  const header = cellsOf(lines[start]!)
  const rows: Inline[][][] = []
  let at = start + 2
  for (; at < lines.length && lines[at]!.includes('|'); at++) rows.push(cellsOf(lines[at]!))
  blocks.push({ kind: 'table', header, rows })
  return at
}

function cellsOf(line: string): Inline[][] {
  return line
    .trim()
    .replace(/^\|/, '')
    .replace(/\|$/, '')
    .split('|')
    .map((cell) => parseInline(cell.trim()))
}

/** Lines up to a blank one or the start of another kind of block. */
function readParagraph(lines: string[], start: number, blocks: Block[]): number {
  const paragraph: Inline[][] = []
  let at = start
  while (at < lines.length) {
    const line = lines[at]!
    const other = FENCE.test(line) || HEADING.test(line) || BULLET.test(line) || NUMBERED.test(line)
    if (line.trim() === '' || (at > start && other)) break
    paragraph.push(parseInline(line))
    at++
  }
  blocks.push({ kind: 'paragraph', lines: paragraph })
  return at
}

export function parseInline(text: string): Inline[] {
  const parts: Inline[] = []
  let last = 0
  for (const match of text.matchAll(INLINE)) {
    if (match.index > last) parts.push(plain(text.slice(last, match.index)))
    if (match[1] !== undefined) parts.push({ kind: 'code', text: match[1] })
    else parts.push({ kind: 'strong', text: unlinked(match[2] ?? match[3]!) })
    last = match.index + match[0].length
  }
  if (last < text.length) parts.push(plain(text.slice(last)))
  return parts
}

const plain = (text: string): Inline => ({ kind: 'text', text: unlinked(text) })

const unlinked = (text: string) => text.replace(LINK, '$1 ($2)')
