import type { ThreadReply, ThreadRequest } from './database-thread'
import type { WritePlan } from './write-plan'

// A database thread: its own connection, so that the group commit's inserts (with, on SQLite,
// the fsync of each commit) and slow reads never stall the thread that serves requests.

declare const self: Worker

interface Connection {
  apply(plan: WritePlan): void | Promise<void>
  /** Rows as arrays, in the order of the query's columns. */
  read(text: string, params: unknown[]): unknown[][] | Promise<unknown[][]>
  close(): Promise<void>
}

let connection: Connection | undefined

// Only the dialect in use is loaded: the thread's memory is paid by every process.
async function open(url: string, isPostgres: boolean): Promise<Connection> {
  if (isPostgres) {
    const [{ default: postgres }, { pgPlanRunner }] = await Promise.all([
      import('postgres'),
      import('./pg-plan'),
    ])
    const sql = postgres(url, { max: 1, onnotice: () => {} })
    return {
      apply: pgPlanRunner(sql),
      read: (text, params) => sql.unsafe(text, params as never[]).values(),
      close: () => sql.end({ timeout: 5 }),
    }
  }
  const [{ openSqliteClient }, { sqlitePlanRunner }] = await Promise.all([
    import('./sqlite-client'),
    import('./sqlite-plan'),
  ])
  const client = openSqliteClient(url)
  return {
    apply: sqlitePlanRunner(client),
    read: (text, params) => client.query(text).values(...(params as never[])) as unknown[][],
    close: async () => client.close(),
  }
}

function opened(): Connection {
  if (!connection) throw new Error('the database thread has no connection open')
  return connection
}

// Requests are handled one after another, in the order they were sent.
let queue = Promise.resolve()

self.onmessage = (event: MessageEvent<ThreadRequest>) => {
  const request = event.data
  queue = queue.then(async () => {
    const reply: ThreadReply = { id: request.id }
    try {
      if (request.kind === 'open') connection = await open(request.url, request.isPostgres)
      else if (request.kind === 'apply') await opened().apply(JSON.parse(request.plan) as WritePlan)
      else if (request.kind === 'read')
        reply.rows = await opened().read(request.text, request.params)
      else {
        await connection?.close()
        connection = undefined
      }
    } catch (error) {
      reply.error = describe(error)
    }
    self.postMessage(reply)
  })
}

function describe(error: unknown): ThreadReply['error'] {
  if (!(error instanceof Error)) return { message: String(error) }
  const code = (error as { code?: unknown }).code
  return { message: error.message, code: typeof code === 'string' ? code : undefined }
}
