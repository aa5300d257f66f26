import { HubhooksError } from "../errors.js";

/** Query parameter that carries the local endpoint path through a relay channel (smee has one URL per channel). */
export const RELAY_PATH_PARAM = "path";

// Not forwarded: hop-by-hop headers (RFC 9110 §7.6.1), and those describing the original transfer, which the
// replay redoes (new host, new length, body re-serialized uncompressed).
const DROPPED_HEADERS = new Set([
  "connection",
  "keep-alive",
  "proxy-authenticate",
  "proxy-authorization",
  "proxy-connection",
  "te",
  "trailer",
  "transfer-encoding",
  "upgrade",
  "http2-settings",
  "host",
  "content-length",
  "content-encoding",
  "expect",
]);
const RESERVED_KEYS = new Set(["body", "query", "timestamp"]);
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9a-z-]+$/i;
const SAFE_PATH = /^\/(?!\/)[A-Za-z0-9\-._~!$&'()*+,;=:@%/]*$/;

/**
 * The public URL of a local path behind a relay channel: `<channel>?path=<path>`. Any other query parameters
 * (the Hub's `?secret=`) may be appended and reach the local server unchanged.
 * @example
 * relayPublicUrl("https://smee.io/abc", "/webhooks/train"); // "https://smee.io/abc?path=/webhooks/train"
 */
export function relayPublicUrl(channelUrl: string, path: string): string {
  const separator = channelUrl.includes("?") ? "&" : "?";
  const value = encodeURIComponent(path.startsWith("/") ? path : `/${path}`).replace(/%2F/gi, "/");
  return `${channelUrl}${separator}${RELAY_PATH_PARAM}=${value}`;
}

/** The local POST a relay message turns into. */
export interface RelayedRequest {
  /** Local path (no query: the query may hold `?secret=`, so only the path is safe to log). */
  path: string;
  /** True when the message carried no `path` parameter (someone used the bare channel URL). */
  pathMissing: boolean;
  url: string;
  headers: Record<string, string>;
  body: string | undefined;
}

/**
 * Turn the `data` of a smee.io message (`{...originalHeaders, body, query, timestamp}`) into the POST to replay
 * on the local server: same headers minus hop-by-hop ones, body re-serialized as JSON, `path` taken from the query.
 * @example
 * relayedRequest({ "x-webhook-secret": "s", body: { a: 1 }, query: { path: "/webhooks/x" } }, "http://127.0.0.1:7860");
 * // { path: "/webhooks/x", url: "http://127.0.0.1:7860/webhooks/x", headers: {...}, body: '{"a":1}', ... }
 */
export function relayedRequest(data: unknown, localUrl: string): RelayedRequest {
  if (typeof data !== "object" || data === null || Array.isArray(data)) {
    throw new HubhooksError("TUNNEL", "relay message is not a JSON object");
  }
  const record = data as Record<string, unknown>;
  const headers: Record<string, string> = {};
  const connectionListed = new Set(
    headerValue(record.connection)
      ?.split(",")
      .map((name) => name.trim().toLowerCase()) ?? [],
  );
  for (const [key, raw] of Object.entries(record)) {
    const name = key.toLowerCase();
    if (RESERVED_KEYS.has(name) || DROPPED_HEADERS.has(name) || connectionListed.has(name)) continue;
    if (!HEADER_NAME.test(name)) continue;
    const value = headerValue(raw);
    if (value !== undefined && !/[\r\n\0]/.test(value)) headers[name] = value;
  }
  const body = record.body === undefined ? undefined : JSON.stringify(record.body);
  if (body !== undefined && !headers["content-type"]) headers["content-type"] = "application/json";

  const query = typeof record.query === "object" && record.query !== null ? (record.query as Record<string, unknown>) : {};
  const requested = query[RELAY_PATH_PARAM];
  const path = typeof requested === "string" ? requested : "/";
  if (!SAFE_PATH.test(path) || path.split("/").includes("..")) {
    throw new HubhooksError("TUNNEL", "relay message has an invalid path parameter");
  }
  const target = new URL(localUrl);
  target.pathname = target.pathname.replace(/\/+$/, "") + path;
  target.search = "";
  for (const [key, value] of Object.entries(query)) {
    if (key === RELAY_PATH_PARAM) continue;
    for (const item of Array.isArray(value) ? value : [value]) {
      if (typeof item === "string") target.searchParams.append(key, item);
    }
  }
  return { path, pathMissing: typeof requested !== "string", url: target.toString(), headers, body };
}

function headerValue(raw: unknown): string | undefined {
  if (typeof raw === "string") return raw;
  if (typeof raw === "number") return String(raw);
  if (Array.isArray(raw) && raw.every((item) => typeof item === "string")) return raw.join(", ");
  return undefined;
}
