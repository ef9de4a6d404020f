import postgres from 'postgres'

export const POSTGRES_SERVER = 'postgres://postgres@127.0.0.1:5432/postgres'

/** A fresh, empty database on the local server, and the way to drop it afterwards. */
export async function freshPostgres(server = POSTGRES_SERVER) {
  const name = `sargalay_bench_${process.pid}_${Date.now().toString(36)}`
  const admin = postgres(server, { max: 1, onnotice: () => {} })
  await admin.unsafe(`create database ${name}`)
  await admin.end()
  const url = new URL(server)
  url.pathname = `/${name}`
  return {
    url: url.toString(),
    drop: async () => {
      const again = postgres(server, { max: 1, onnotice: () => {} })
      await again.unsafe(`drop database if exists ${name} with (force)`)
      await again.end()
    },
  }
}
