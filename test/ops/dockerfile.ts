import { cpSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'

export interface FinalStage {
  env: Record<string, string>
  cmd: string[]
  healthcheck: string[]
  user?: string
  volumes: string[]
}

/** The Dockerfile's instructions, one per line, continuations joined and comments dropped. */
function instructions(dockerfile: string) {
  return dockerfile
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#'))
    .map((line) => {
      const [, keyword = '', rest = ''] = /^(\w+)\s+(.*)$/.exec(line) ?? []
      return { keyword: keyword.toUpperCase(), rest }
    })
}

/** What the image's last stage sets, as `docker run` would use it. */
export function finalStage(dockerfile: string): FinalStage {
  const all = instructions(dockerfile)
  const last = all.findLastIndex(({ keyword }) => keyword === 'FROM')
  const stage: FinalStage = { env: {}, cmd: [], healthcheck: [], volumes: [] }
  for (const { keyword, rest } of all.slice(last)) {
    if (keyword === 'ENV') {
      for (const [, name, value] of rest.matchAll(/(\w+)=("[^"]*"|\S+)/g))
        stage.env[name!] = value!.replace(/^"|"$/g, '')
    }
    if (keyword === 'CMD') stage.cmd = JSON.parse(rest)
    if (keyword === 'HEALTHCHECK')
      stage.healthcheck = JSON.parse(rest.slice(rest.indexOf('CMD') + 3))
    if (keyword === 'USER') stage.user = rest
    if (keyword === 'VOLUME') stage.volumes.push(...JSON.parse(rest))
  }
  return stage
}

/** The build stage's dependency install, the one RUN that calls `bun install`. */
export function installCommand(dockerfile: string): string[] {
  const run = instructions(dockerfile).find(
    ({ keyword, rest }) => keyword === 'RUN' && rest.startsWith('bun install'),
  )
  if (!run) throw new Error('the Dockerfile installs no dependencies')
  return run.rest.split(/\s+/)
}

/**
 * Copies the build context as `COPY . .` would see it: every top-level entry except those
 * .dockerignore names (its patterns here are top-level names and `*` globs).
 */
export function copyContext(root: string, target: string) {
  const patterns = readFileSync(join(root, '.dockerignore'), 'utf8')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#'))
    .map((pattern) => new Bun.Glob(pattern))
  const kept = readdirSync(root).filter((name) => !patterns.some((glob) => glob.match(name)))
  for (const name of kept) cpSync(join(root, name), join(target, name), { recursive: true })
  return kept
}
