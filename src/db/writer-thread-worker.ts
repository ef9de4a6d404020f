import type { WriterReply, WriterRequest } from './writer-thread'
import type { WritePlan } from './write-plan'

// The writer thread: its own connection to the database, so the group commit's inserts, and
// on SQLite the fsync of each commit, never stall the thread that serves requests.

declare const self: Worker

let run: ((plan: WritePlan) => void | Promise<void>) | undefined
let close: (() => Promise<void>) | undefined

// Only the dialect in use is loaded: the thread's memory is paid by every process.
async function open(url: string, isPostgres: boolean) {
  if (isPostgres) {
    const [{ default: postgres }, { pgPlanRunner }] = await Promise.all([
      import('postgres'),
      import('./pg-plan'),
    ])
    const sql = postgres(url, { max: 1, onnotice: () => {} })
    run = pgPlanRunner(sql)
    close = () => sql.end({ timeout: 5 })
    return
  }
  const [{ openSqliteClient }, { sqlitePlanRunner }] = await Promise.all([
    import('./sqlite-client'),
    import('./sqlite-plan'),
  ])
  const client = openSqliteClient(url)
  run = sqlitePlanRunner(client)
  close = async () => client.close()
}

// Requests are handled one after another, in the order they were sent.
let queue = Promise.resolve()

self.onmessage = (event: MessageEvent<WriterRequest>) => {
  const request = event.data
  queue = queue.then(async () => {
    const reply: WriterReply = { id: request.id }
    try {
      if (request.kind === 'open') await open(request.url, request.isPostgres)
      else if (request.kind === 'apply') {
        if (!run) throw new Error('the writer thread has no database open')
        await run(JSON.parse(request.plan) as WritePlan)
      } else {
        await close?.()
        run = close = undefined
      }
    } catch (error) {
      reply.error = describe(error)
    }
    self.postMessage(reply)
  })
}

function describe(error: unknown): WriterReply['error'] {
  if (!(error instanceof Error)) return { message: String(error) }
  const code = (error as { code?: unknown }).code
  return { message: error.message, code: typeof code === 'string' ? code : undefined }
}
