/**
 * `base` + `path`, with exactly one `/` between them: the public URL of a local path for providers that forward HTTP.
 * @example
 * joinUrlPath("https://x.trycloudflare.com/", "webhooks/train"); // "https://x.trycloudflare.com/webhooks/train"
 */
export function joinUrlPath(base: string, path: string): string {
  return `${base.replace(/\/+$/, "")}/${path.replace(/^\/+/, "")}`;
}
