/**
 * An upstream generation id as it appears in an answer's JSON text. A quote inside a JSON
 * string is escaped, so this cannot match content that merely quotes such an id.
 */
export const GENERATION_ID = /"id":"(gen-[^"\\]+)"/

/** The first generation id in an answer's text, for a lookup when its usage says too little. */
export function generationIdIn(text: string): string | null {
  return GENERATION_ID.exec(text)?.[1] ?? null
}
