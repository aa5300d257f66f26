// Small pieces of WebhooksServer's request handling, kept apart so the server class reads as its lifecycle.
import { HubhooksError, jsonResponse, toError } from "../errors.js";

// The Hub must get 503 (and retry) when the log cannot be opened, as when a write fails: the event is not lost.
export function storeUnavailable(error: unknown): HubhooksError {
  // A setting no engine understands is the operator's to fix, not a reason to answer 503 and retry for ever.
  if (error instanceof HubhooksError && (error.code === "INVALID_OPTIONS" || error.code === "METRICS_UNAVAILABLE")) return error;
  const reason = error instanceof HubhooksError ? error.publicMessage : toError(error).message;
  return new HubhooksError("STORE_UNAVAILABLE", `The delivery log could not be opened (${reason}); the delivery was not recorded. Retry later.`, {
    status: 503,
    cause: error,
  });
}

/**
 * prom-client could not load or set up (a runtime without Node's modules, a registry that already holds the names):
 * said as such, never as a delivery log that could not be opened. 503: a delivery that needed it is retried.
 */
export function metricsUnavailable(error: unknown): HubhooksError {
  return new HubhooksError("METRICS_UNAVAILABLE", `The metrics could not be set up (${toError(error).message}).`, { status: 503, cause: error });
}

/** What `@hono/node-server` passes as the second argument of `fetch`: the Node request the web one was built from. */
export interface NodeEnv {
  incoming?: { url?: string; method?: string; headers?: Record<string, string | string[] | undefined> };
}

/**
 * Node's already-parsed headers, when `request` is the one @hono/node-server built from `env.incoming` (same method
 * and path): reading them skips a web `Headers` per delivery. A request rewritten on the way (a host app's
 * middleware, a mount prefix) does not match and is read as a web Request.
 */
export function nodeHeadersOf(request: Request, url: URL, env?: NodeEnv): Record<string, string | string[] | undefined> | undefined {
  const incoming = env?.incoming;
  if (!incoming?.headers || incoming.method !== request.method || incoming.url !== url.pathname + url.search) return undefined;
  return incoming.headers;
}

// Clients percent-encode what `new URL` would (`/webhooks/café` arrives as `/webhooks/caf%C3%A9`); routes are kept
// decoded, as the names were given. decodeURI leaves `%2F` encoded, so a name cannot gain a `/`.
export function decodedPath(path: string): string {
  try {
    return decodeURI(path);
  } catch {
    return path; // malformed escapes: no route has them, so this ends in a 404
  }
}

/**
 * A 400 for a `Host` header that is no URL authority (`Host: x y`), else undefined. Checked before anything is
 * recorded: a delivery acknowledged with it could never be rebuilt, and no route may trust it.
 */
export function invalidHostResponse(request: Request): Response | undefined {
  const host = request.headers.get("host");
  if (host === null || isAuthority(host)) return undefined;
  return jsonResponse({ error: "Invalid Host header: it must be a host name or address with an optional port." }, 400);
}

/** Whether a `Host` header is a URL authority (a host name or address, an optional port). */
export function isAuthority(host: string): boolean {
  if (!/^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9._~%!$&'()*+,;=-]+)(:\d{1,5})?$/.test(host)) return false;
  return URL.canParse(`http://${host}/`);
}

/**
 * The request as the app mounted at `prefix` sees it: the same request with the prefix removed from its path (the
 * body is passed on unread). Only the dashboard and API routes are reached this way; webhooks read the original.
 */
export function mountedRequest(request: Request, url: URL, prefix: string): Request {
  const inner = new URL(url);
  inner.pathname = url.pathname.slice(prefix.length) || "/";
  const hasBody = request.method !== "GET" && request.method !== "HEAD" && request.body !== null;
  return new Request(inner, {
    method: request.method,
    headers: request.headers,
    signal: request.signal,
    ...(hasBody ? { body: request.body, duplex: "half" } : {}),
  } as RequestInit);
}
