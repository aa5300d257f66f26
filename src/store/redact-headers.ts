import { NEVER_STORED_HEADERS } from "../internal/never-stored-headers.js";

/**
 * Headers never stored: the webhook secret, plus credentials a proxy in front of us might forward.
 * @example
 * DROPPED_HEADERS.includes("x-webhook-secret"); // true
 */
export const DROPPED_HEADERS: readonly string[] = [...NEVER_STORED_HEADERS];

/**
 * Headers as stored with a delivery: lower-cased keys, the secret header and credentials removed, and a
 * `secret` query parameter removed from any URL-valued header (the Hub also accepts `?secret=`).
 * @example
 * redactHeaders({ "X-Webhook-Secret": "s3cr3t", "Content-Type": "application/json" });
 * // { "content-type": "application/json" }
 */
export function redactHeaders(headers: Headers | Record<string, string>): Record<string, string> {
  const entries: Iterable<[string, string]> = headers instanceof Headers ? headers.entries() : Object.entries(headers);
  const out: Record<string, string> = {};
  for (const [name, value] of entries) {
    const key = name.toLowerCase();
    if (NEVER_STORED_HEADERS.has(key) || typeof value !== "string") continue;
    out[key] = value.includes("secret=") ? redactUrl(value) : value;
  }
  return out;
}

/**
 * A URL (absolute or a path with a query) without its `secret` query parameter; other text unchanged.
 * @example
 * redactUrl("https://x.hf.space/webhooks/a?secret=abc&b=1"); // "https://x.hf.space/webhooks/a?b=1"
 * redactUrl("/webhooks/a?secret=abc"); // "/webhooks/a"
 */
export function redactUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url, "http://relative.invalid");
  } catch {
    return url;
  }
  if (!parsed.searchParams.has("secret")) return url;
  parsed.searchParams.delete("secret");
  if (/^[a-z][a-z0-9+.-]*:/i.test(url)) return parsed.toString();
  return parsed.pathname + parsed.search + parsed.hash;
}
