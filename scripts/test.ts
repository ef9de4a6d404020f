export {}

/**
 * The test command: format and type checks, then `bun test`, then one closing line
 * `N passed, N failed` that CI reads (bun prints its own summary only as ` N pass`/` N fail`).
 *
 *   bun scripts/test.ts [--no-checks] [bun test arguments…]
 */
const args = process.argv.slice(2)
const skipChecks = args.includes('--no-checks')
const testArgs = args.filter((arg) => arg !== '--no-checks')

// The browser tests drive Debian's Chromium and the metrics test runs promtool; a fresh machine
// gets them (and a Myanmar font) from Debian's packages, the same way CI does.
const missing = ['/usr/bin/chromium', 'promtool'].filter((tool) => !Bun.which(tool))
if (missing.length > 0) {
  console.error(`installing system packages for the tests (missing: ${missing.join(', ')})`)
  const install = Bun.spawnSync(['bash', 'scripts/ci-system-packages.sh'], {
    stdio: ['inherit', 'inherit', 'inherit'],
  })
  if (install.exitCode !== 0) console.error('could not install them; browser tests will fail')
}

if (!skipChecks) {
  const checks = Bun.spawnSync(['bun', 'scripts/check.ts'], {
    stdio: ['inherit', 'inherit', 'inherit'],
  })
  if (checks.exitCode !== 0) {
    console.log('0 passed, 1 failed')
    process.exit(1)
  }
}

// Browser and real-process tests need more than bun's 5 s default on a shared 2-core machine.
const run = Bun.spawn(['bun', 'test', '--timeout', '30000', ...testArgs], {
  stdio: ['inherit', 'inherit', 'pipe'],
})
let summary = ''
const decoder = new TextDecoder()
for await (const chunk of run.stderr as unknown as AsyncIterable<Uint8Array>) {
  const text = decoder.decode(chunk, { stream: true })
  process.stderr.write(text)
  summary = (summary + text).slice(-4000)
}
const exitCode = await run.exited

const count = (word: string) =>
  Number(new RegExp(`^\\s*(\\d+) ${word}$`, 'm').exec(summary)?.[1] ?? 0)
const passed = count('pass')
let failed = count('fail')
// A file that fails to load is not counted as a failed test by bun, only by its exit code.
if (exitCode !== 0 && failed === 0) failed = 1
console.log(`${passed} passed, ${failed} failed`)
process.exit(exitCode)
