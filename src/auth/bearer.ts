/** The token in `Authorization: Bearer …`, or an empty string when none was sent. */
export function bearerToken(request: Request): string {
  const header = request.headers.get('authorization') ?? ''
  return /^bearer /i.test(header) ? header.slice(7).trim() : ''
}
