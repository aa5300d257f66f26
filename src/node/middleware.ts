import type { IncomingMessage, ServerResponse } from "node:http";
import { checkOptions } from "../server/check-options.js";
import { checkAdapterApp } from "../server/check-adapter-app.js";
import type { WebhooksServer } from "../server/webhooks-server.js";
import { nodeListener } from "./node-listener.js";
import { bufferedBody, readNodeBody } from "./read-node-body.js";

/** Options of {@link createNodeMiddleware}. */
export interface NodeMiddlewareOptions {
  /**
   * The path prefix it handles. Default: the server's `basePath` (all paths when that is `""`). A server without a
   * `basePath` takes this one (before its first request); a different `basePath` is refused.
   */
  path?: string;
}

type NodeRequest = IncomingMessage & { originalUrl?: string; rawBody?: unknown; body?: unknown; _body?: boolean };

/**
 * A Node middleware (Express, Connect, `node:http`) in the octokit style: it answers the requests under its path
 * through `app.fetch` and calls `next()` for the others (or answers 404 without a `next`). A body parser that ran
 * before it (`express.json()`) leaves the raw bytes in `req.rawBody` when asked to (see the example); without them
 * the delivery is answered 500 with a one-line error naming the fix, never checked against a re-serialised body.
 * @example
 * const hooks = new WebhooksServer(); // or { basePath: "/api/hooks" } and no path below
 * expressApp.use(express.json({ verify: (req, _res, buf) => { (req as any).rawBody = buf; } }));
 * expressApp.use(createNodeMiddleware(hooks, { path: "/api/hooks" }));
 * await hooks.start();
 */
export function createNodeMiddleware(app: WebhooksServer, options: NodeMiddlewareOptions = {}) {
  checkAdapterApp(app, "createNodeMiddleware()");
  checkOptions("nodeMiddleware", "createNodeMiddleware()", options);
  if (options.path !== undefined) app.mountAt(options.path, "createNodeMiddleware()");
  const path = app.basePath;
  // Webhook POSTs take the Node fast path (node-listener.ts); bytes a body parser kept in req.rawBody are used as is.
  const listener = nodeListener(app, (req: NodeRequest) => (Buffer.isBuffer(req.rawBody) ? bufferedBody(req.rawBody) : readNodeBody(req)));
  return async function hubhooksMiddleware(req: NodeRequest, res: ServerResponse, next?: (error?: unknown) => void): Promise<void> {
    const url = req.originalUrl ?? req.url ?? "/";
    const pathname = url.split("?")[0]!;
    if (path && pathname !== path && !pathname.startsWith(`${path}/`)) {
      if (next) return next();
      res.writeHead(404, { "content-type": "application/json; charset=utf-8" }).end(JSON.stringify({ error: `Not found: ${pathname}` }));
      return;
    }
    const method = req.method ?? "GET";
    if (method !== "GET" && method !== "HEAD") {
      if (typeof req.rawBody === "string" || req.rawBody instanceof Uint8Array) {
        req.rawBody = Buffer.isBuffer(req.rawBody) ? req.rawBody : Buffer.from(req.rawBody as string | Uint8Array);
      } else if (req._body || req.readableEnded || req.readableDidRead) {
        // Read by someone else, to its end or in part (body-parser's `_body`, any parser that drained the stream, one
        // that stopped halfway): what is left can never be the delivery, and waiting for it would hang the request.
        const error =
          "[hubhooks] The request body was already read by a body parser (express.json(), Fastify's or Koa's) before hubhooks' middleware: mount createNodeMiddleware() before it, or keep the raw bytes in req.rawBody (express.json({ verify: (req, _res, buf) => { req.rawBody = buf } })).";
        app.logger.error({ path: pathname }, error);
        res.writeHead(500, { "content-type": "application/json; charset=utf-8" }).end(JSON.stringify({ error }));
        return;
      }
    }
    // The app reads the URL as received (Express strips a mount path from req.url; originalUrl keeps it).
    if (req.originalUrl) req.url = req.originalUrl;
    await listener(req, res);
  };
}
