import { readdirSync, readFileSync } from 'node:fs'

/** The command name and CPU seconds (user + system) in a `/proc/…/stat` file. */
export function readStat(path: string) {
  const stat = readFileSync(path, 'utf8')
  const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'))
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  return { name, seconds: (Number(fields[11]) + Number(fields[12])) / 100 }
}

/** CPU seconds of every thread of a process, by thread name and id (`name#tid`). */
export function threadTimes(pid: number): Map<string, number> {
  const times = new Map<string, number>()
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    const { name, seconds } = readStat(`/proc/${pid}/task/${tid}/stat`)
    times.set(`${name}#${tid}`, seconds)
  }
  return times
}

/** Each thread's CPU seconds between two readings of `threadTimes`. */
export function threadDeltas(before: Map<string, number>, after: Map<string, number>) {
  return [...after].map(([thread, seconds]) => ({
    thread,
    seconds: seconds - (before.get(thread) ?? 0),
  }))
}

/** Bun names its main thread after the executable (`bun`, or `bun.exe` when run as one). */
export const isMainThread = (thread: string) => /^bun(\.exe)?#/.test(thread)
