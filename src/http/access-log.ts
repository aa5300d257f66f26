import type { Logger } from "../internal/logger.js";
import { urlPath } from "../internal/url-path.js";

/** What `@hono/node-server` passes beside the request: Node's parsed headers (read without building web `Headers`). */
interface NodeEnvLike {
  incoming?: { headers?: Record<string, string | string[] | undefined> };
}

type FetchHandler<E> = (request: Request, env?: E) => Promise<Response>;

/**
 * Wrap a `fetch` handler so that every request gets ONE access log line once its response is ready: method, path
 * (never the query, which may hold `?secret=`), status, `durationMs` (until the response starts; a live stream
 * goes on after it), and the delivery id (`x-hubhooks-delivery`) and `webhookId` when there are any. No header is
 * logged, so neither is `X-Webhook-Secret`. Level by status: info (debug for a successful GET or HEAD), warn for
 * 4xx, error for 5xx.
 * @example
 * const fetch = withAccessLog(() => logger, (request) => app.fetch(request));
 */
export function withAccessLog<E extends NodeEnvLike>(logger: () => Logger, handler: FetchHandler<E>): FetchHandler<E> {
  return async (request, env) => {
    const started = performance.now();
    let response: Response | undefined;
    try {
      response = await handler(request, env);
      return response;
    } finally {
      const log = logger();
      const status = response?.status ?? 500;
      if (log.isLevelEnabled(accessLevel(status, request.method))) { // the header reads below cost more than the check
        const fromNode = env?.incoming?.headers?.["webhook-id"];
        logAccess(log, request.method, urlPath(request.url), status, started,
          response?.headers.get("x-hubhooks-delivery") ?? null,
          fromNode === undefined ? request.headers.get("webhook-id") : String(fromNode));
      }
    }
  };
}

/**
 * Write one access line (the shape {@link withAccessLog} documents); also called by the Node fast path
 * (src/node/node-listener.ts), which has no web `Request` to wrap. `path` must not carry the query.
 * @example
 * logAccess(logger, "POST", "/webhooks/bot", 200, started, deliveryId, webhookId);
 */
export function logAccess(
  log: Logger,
  method: string,
  path: string,
  status: number,
  started: number,
  deliveryId: string | null | undefined,
  webhookId: string | null | undefined,
): void {
  const level = accessLevel(status, method);
  if (!log.isLevelEnabled(level)) return;
  log[level](
    {
      method,
      path,
      status,
      durationMs: Math.round((performance.now() - started) * 100) / 100,
      ...(deliveryId ? { deliveryId } : {}),
      ...(webhookId ? { webhookId } : {}),
    },
    "request",
  );
}

// A successful read (the dashboard's page, scripts, favicon, its live SSE stream, /healthz, /metrics) is debug: a
// page load is not an event. Deliveries, dashboard actions (POST) and every error stay visible.
const accessLevel = (status: number, method: string) =>
  status >= 500 ? "error" : status >= 400 ? "warn" : method === "GET" || method === "HEAD" ? "debug" : "info";
