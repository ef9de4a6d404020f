import { readFileSync } from 'node:fs'
import { availableParallelism, totalmem } from 'node:os'

/** What the numbers were measured on. */
export function machine() {
  const cpuinfo = readFileSync('/proc/cpuinfo', 'utf8')
  return {
    cpus: availableParallelism(),
    cpuModel: /model name\s*:\s*(.*)/.exec(cpuinfo)?.[1]?.trim() ?? 'unknown',
    memoryGb: Math.round(totalmem() / 2 ** 30),
    bun: Bun.version,
    os:
      readFileSync('/etc/os-release', 'utf8').match(/PRETTY_NAME="(.*)"/)?.[1] ?? process.platform,
  }
}
