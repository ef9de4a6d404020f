import { streamBody } from './lib/bench'
import { streams, type StreamSample } from './lib/clients'
import { spawnServer } from './lib/processes'
import { quantile } from './lib/stats'

/**
 * What the form of a stream relay costs a streamed answer, apart from anything the relay does
 * with the bytes: `bun bench/relay-forms.ts [--rounds=10]`. The suite's upstream streams 20
 * stamped chunks 5 ms apart; each form of `bench/servers/relay-forms.ts` relays 100 of them,
 * ten at a time, in rotated order each round. Prints, per form, the median and p99 time from
 * the upstream's stamp to the client for the first chunk and for the later ones.
 */

const rounds = Number(/--rounds=(\d+)/.exec(process.argv.join(' '))?.[1] ?? 10)
const forms = ['direct-upstream', 'pass', 'pulled', 'direct', 'transform']

const upstream = await spawnServer({
  cmd: [process.execPath, 'bench/servers/upstream.ts'],
  readyPath: '/models',
})
const relays = await spawnServer({
  cmd: [process.execPath, 'bench/servers/relay-forms.ts'],
  env: { TARGET: upstream.url },
  readyPath: '/ready',
})

try {
  const seen = new Map(forms.map((form) => [form, [] as StreamSample[]]))
  for (let round = 0; round < rounds; round++) {
    for (let i = 0; i < forms.length; i++) {
      const form = forms[(i + round) % forms.length]!
      const url =
        form === 'direct-upstream'
          ? `${upstream.url}/chat/completions`
          : `${relays.url}/${form}/chat/completions`
      seen.get(form)!.push(...(await streams({ url, method: 'POST', body: streamBody }, 100, 10)))
    }
  }

  const ms = (value: number) => value.toFixed(3).padStart(7)
  console.log('form              first chunk p50    p99   later chunks p50    p99')
  for (const [form, samples] of seen) {
    const first = samples.map((s) => s.transitMs[0]!)
    const later = samples.flatMap((s) => s.transitMs.slice(1))
    const row = [quantile(first, 0.5), quantile(first, 0.99), quantile(later, 0.5)]
    console.log(`${form.padEnd(16)} ${row.map(ms).join(' ')} ${ms(quantile(later, 0.99))}`)
  }
} finally {
  await relays.stop()
  await upstream.stop()
}
