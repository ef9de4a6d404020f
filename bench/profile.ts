import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'

/**
 * Sums a `.cpuprofile` written by `bun bench/run.ts --profile=DIR` by samples rather than by
 * time: on a shared machine a descheduled process charges its wait to whatever ran last, so
 * time deltas mislead and sample counts do not. `bun bench/profile.ts DIR [pattern]` prints the
 * functions with the most samples on the stack (inclusive) and at the top (self).
 */

interface ProfileNode {
  id: number
  callFrame: { functionName: string; url: string; lineNumber: number }
  hitCount?: number
  children?: number[]
}

const [dir, pattern = ''] = process.argv.slice(2)
if (!dir) throw new Error('usage: bun bench/profile.ts DIR [pattern]')

for (const file of readdirSync(dir).filter((name) => name.endsWith('.cpuprofile'))) {
  const profile = JSON.parse(readFileSync(join(dir, file), 'utf8')) as { nodes: ProfileNode[] }
  const { self, inclusive, total } = sums(profile.nodes)
  console.log(`\n${file}: ${total} samples`)
  print('inclusive', inclusive, total)
  print('self', self, total)
}

function sums(nodes: ProfileNode[]) {
  const byId = new Map(nodes.map((node) => [node.id, node]))
  const self = new Map<string, number>()
  const inclusive = new Map<string, number>()
  let total = 0

  const walk = (node: ProfileNode, onStack: Set<string>): number => {
    const name = label(node)
    const hits = node.hitCount ?? 0
    self.set(name, (self.get(name) ?? 0) + hits)
    total += hits
    const below = new Set(onStack).add(name)
    let sum = hits
    for (const child of node.children ?? []) sum += walk(byId.get(child)!, below)
    // A recursive function counts once per sample, at its outermost frame.
    if (!onStack.has(name)) inclusive.set(name, (inclusive.get(name) ?? 0) + sum)
    return sum
  }
  walk(nodes[0]!, new Set())
  return { self, inclusive, total }
}

function label(node: ProfileNode) {
  const { functionName, url, lineNumber } = node.callFrame
  const where = url.replace(/^.*\/work\/main\//, '').replace(/^.*node_modules\//, '~/')
  return `${functionName || '(anonymous)'} ${where ? `${where}:${lineNumber + 1}` : '[native]'}`
}

function print(title: string, counts: Map<string, number>, total: number) {
  const rows = [...counts]
    .filter(([name]) => name.includes(pattern))
    .sort((a, b) => b[1] - a[1])
    .slice(0, 30)
  console.log(`  ${title}:`)
  for (const [name, count] of rows) {
    console.log(
      `  ${((100 * count) / total).toFixed(1).padStart(5)}%  ${String(count).padStart(6)}  ${name}`,
    )
  }
}
