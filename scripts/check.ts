export {}

/** Formatting, types and template escaping; run by the test command and by CI. */
const steps: [string, string[]][] = [
  ['format', ['bunx', 'prettier', '--check', '--log-level', 'warn', '.']],
  ['types', ['bunx', 'tsc', '--noEmit', '-p', '.']],
  ['templates', ['bunx', 'xss-scan', '--simplified']],
]

let failed = false
for (const [name, command] of steps) {
  const result = Bun.spawnSync(command, { stdio: ['inherit', 'inherit', 'inherit'] })
  if (result.exitCode !== 0) {
    console.error(`check failed: ${name} (${command.join(' ')})`)
    failed = true
  }
}
process.exit(failed ? 1 : 0)
