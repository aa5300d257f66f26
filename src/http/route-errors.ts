import type { Context } from "hono";
import { httpErrorResponse } from "../errors.js";
import type { Logger } from "../internal/logger.js";

/** What the Hono apps of the server (landing, API, dashboard) need to turn an error into a response. */
export interface RouteErrorDeps {
  logger?: Logger;
  /** The webhook secrets, removed from every message. */
  redact?: () => readonly string[];
}

/**
 * The `onError` of every Hono app of the server: `httpErrorResponse` with the secrets removed, 4xx answers logged
 * at warn (a dashboard POST that fails shows up in the log) and unexpected errors logged in full.
 * @example
 * app.onError(routeErrors(deps));
 */
export function routeErrors(deps: RouteErrorDeps): (error: Error, c: Context) => Response {
  return (error, c) =>
    httpErrorResponse(error, {
      redact: deps.redact?.() ?? [],
      logger: deps.logger,
      logRejections: true,
      context: { method: c.req.method, path: c.req.path },
    });
}
