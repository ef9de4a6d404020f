import type { Database as SqliteClient } from 'bun:sqlite'
import { openSqliteClient } from './sqlite-client'
import { sqlitePlanRunner } from './sqlite-plan'
import type { WriterReply, WriterRequest } from './sqlite-writer'
import type { WritePlan } from './write-plan'

// The writer thread: its own connection to the file, so the group commit's inserts and its
// fsync never stall the thread that serves requests.

declare const self: Worker

let client: SqliteClient | undefined
let run: ReturnType<typeof sqlitePlanRunner> | undefined

self.onmessage = (event: MessageEvent<WriterRequest>) => {
  const request = event.data
  const reply: WriterReply = { id: request.id }
  try {
    if (request.kind === 'open') {
      client = openSqliteClient(request.path)
      run = sqlitePlanRunner(client)
    } else if (request.kind === 'apply') {
      if (!run) throw new Error('the writer thread has no database open')
      run(JSON.parse(request.plan) as WritePlan)
    } else {
      client?.close()
      client = run = undefined
    }
  } catch (error) {
    reply.error = describe(error)
  }
  self.postMessage(reply)
}

function describe(error: unknown): WriterReply['error'] {
  if (!(error instanceof Error)) return { message: String(error) }
  const code = (error as { code?: unknown }).code
  return { message: error.message, code: typeof code === 'string' ? code : undefined }
}
