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
      const status = response?.status ?? 500;
      const log = logger();
      // A successful read (the dashboard's page, scripts, favicon, its live SSE stream, /healthz, /metrics) is
      // debug: a page load is not an event. Deliveries, dashboard actions (POST) and every error stay visible.
      const read = request.method === "GET" || request.method === "HEAD";
      const level = status >= 500 ? "error" : status >= 400 ? "warn" : read ? "debug" : "info";
      if (log.isLevelEnabled(level)) {
        const deliveryId = response?.headers.get("x-hubhooks-delivery");
        const fromNode = env?.incoming?.headers?.["webhook-id"];
        const webhookId = fromNode === undefined ? request.headers.get("webhook-id") : String(fromNode);
        log[level](
          {
            method: request.method,
            path: urlPath(request.url),
            status,
            durationMs: Math.round((performance.now() - started) * 100) / 100,
            ...(deliveryId ? { deliveryId } : {}),
            ...(webhookId ? { webhookId } : {}),
          },
          "request",
        );
      }
    }
  };
}
