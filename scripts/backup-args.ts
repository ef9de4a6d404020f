/** `<file> [--database <path>]`, the arguments of scripts/backup.ts and scripts/restore.ts. */
export function fileAndDatabase(args: string[]) {
  const at = args.indexOf('--database')
  const database = at >= 0 ? args[at + 1] : undefined
  const rest = at >= 0 ? args.filter((_, i) => i !== at && i !== at + 1) : args
  return { file: rest[0], database }
}
