/**
 * The path of an absolute URL, without query or fragment: cheaper than `new URL` on the hot path, and never the
 * `?secret=` a query may hold.
 * @example
 * urlPath("http://127.0.0.1:7860/webhooks/bot?secret=s3cret"); // "/webhooks/bot"
 */
export function urlPath(url: string): string {
  const scheme = url.indexOf("//");
  const start = url.indexOf("/", scheme < 0 ? 0 : scheme + 2);
  if (start < 0) return "/";
  const query = url.indexOf("?", start);
  const hash = url.indexOf("#", start);
  const end = Math.min(query < 0 ? url.length : query, hash < 0 ? url.length : hash);
  return url.slice(start, end);
}
