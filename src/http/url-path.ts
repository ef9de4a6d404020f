/**
 * Where the path begins in a request's absolute URL, found without parsing it: hooks that run
 * for every request (the gateway's included) only need to ask whether the path starts with a
 * prefix, which `url.startsWith(prefix, pathStart(url))` does without building a URL.
 */
export function pathStart(url: string): number {
  return url.indexOf('/', url.indexOf('//') + 2)
}
