import { Database as SqliteClient } from 'bun:sqlite'
import { afterAll, describe, expect, test } from 'bun:test'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { openDatabase } from '../../src/db/database'
import { systemClock } from '../../src/lib/clock'
import { newId } from '../../src/lib/ids'
import { memoryLogger } from '../../src/ops/logger'
import { createServices, stopServices, type Services } from '../../src/services'
import { testConfig } from '../support/app'
import { audit, usageRow } from '../support/ledger'

// Backups are of the SQLite file, so this file uses SQLite whichever database the suite names.
const root = join(import.meta.dir, '..', '..')
const dir = mkdtempSync(join(tmpdir(), 'sargalay-backup-'))
const live = join(dir, 'live.db')

afterAll(() => rmSync(dir, { recursive: true, force: true }))

async function open(path: string) {
  const db = await openDatabase(path)
  const config = testConfig({ DATABASE_URL: path, LEDGER_FLUSH_MS: '1' })
  const services = await createServices({
    config,
    db,
    clock: systemClock,
    logger: memoryLogger().logger,
  })
  return services
}

async function close(services: Services) {
  await stopServices(services)
  await services.db.close()
}

function run(script: string, ...args: string[]) {
  const child = Bun.spawn(['bun', `scripts/${script}.ts`, ...args], {
    cwd: root,
    stdout: 'pipe',
    stderr: 'pipe',
  })
  return (async () => ({
    exitCode: await child.exited,
    stdout: await new Response(child.stdout).text(),
    stderr: await new Response(child.stderr).text(),
  }))()
}

/** Charges and credits without pause until stopped; answers how many rounds ran. */
function keepWriting(services: Services, accountId: string) {
  let stopped = false
  let rounds = 0
  const done = (async () => {
    while (!stopped) {
      const hold = services.ledger.placeHold(accountId, 500)
      services.ledger.settle(hold.id, 100 + (rounds % 300), usageRow({ accountId }))
      if (rounds % 5 === 0) {
        await services.ledger.credit({
          accountId,
          amountUnits: 1000,
          reason: 'topup',
          reference: newId('t'),
        })
      }
      await services.ledger.flush()
      // SQLite answers synchronously, so without this the loop would never let the event
      // loop notice the backup process ending.
      await new Promise((resolve) => setImmediate(resolve))
      rounds++
    }
    return rounds
  })()
  return { stop: () => ((stopped = true), done), rounds: () => rounds }
}

const entries = async (services: Services) =>
  (
    await services.db.orm
      .select({ id: services.db.t.ledgerEntries.id })
      .from(services.db.t.ledgerEntries)
  ).length

function entriesIn(file: string) {
  const client = new SqliteClient(file, { readonly: true })
  const row = client.query('SELECT count(*) AS n FROM ledger_entries').get() as { n: number }
  client.close()
  return row.n
}

describe('scripts/backup.ts and scripts/restore.ts', () => {
  const copy = join(dir, 'copy.db')

  test(
    'back up while the ledger is written, restore, ' + 'and the restored ledger audits clean',
    async () => {
      const services = await open(live)
      const account = await services.accounts.create({ name: 'Busy' })
      await services.ledger.credit({
        accountId: account.id,
        amountUnits: 10_000_000,
        reason: 'topup',
        reference: 'start',
      })
      const writer = keepWriting(services, account.id)

      const roundsBefore = writer.rounds()
      const backup = await run('backup', copy, '--database', live)
      const roundsDuring = writer.rounds() - roundsBefore
      await writer.stop()
      const liveEntries = await entries(services)
      await close(services)
      const restored = await run('restore', copy, '--database', join(dir, 'restored.db'))
      const again = await open(join(dir, 'restored.db'))
      const problems = await audit(again)
      const restoredEntries = await entries(again)
      await close(again)

      expect(backup.stderr).toBe('')
      expect(backup.exitCode).toBe(0)
      expect(JSON.parse(backup.stdout)).toMatchObject({ target: copy, accounts: 1 })
      expect(roundsDuring).toBeGreaterThan(0)
      expect(restored.exitCode).toBe(0)
      expect(problems).toEqual([])
      expect(restoredEntries).toBe(JSON.parse(backup.stdout).ledgerEntries)
      expect(restoredEntries).toBeLessThanOrEqual(liveEntries)
    },
    60_000,
  )

  test('refuses to overwrite an existing backup', async () => {
    const result = await run('backup', copy, '--database', live)

    expect(result.exitCode).toBe(1)
    expect(result.stderr).toContain('exists; choose a new file')
  })

  test(
    'restoring over a database puts the backup ' + 'in place and keeps the replaced one',
    async () => {
      const result = await run('restore', copy, '--database', live)
      const services = await open(live)
      const restoredEntries = await entries(services)
      await close(services)

      expect(result.exitCode).toBe(0)
      const keptAs = JSON.parse(result.stdout).keptAs as string
      expect(keptAs).toStartWith(`${live}.before-restore-`)
      expect(existsSync(keptAs)).toBe(true)
      expect(restoredEntries).toBe(entriesIn(copy))
    },
  )

  test('points PostgreSQL users to pg_dump', async () => {
    const result = await run('backup', join(dir, 'pg.db'), '--database', 'postgres://127.0.0.1/x')

    expect(result).toEqual({
      exitCode: 2,
      stdout: '',
      stderr: 'DATABASE_URL is PostgreSQL: back it up with pg_dump --format=custom.\n',
    })
  })
})
