import type { WebhooksServer } from "../server/webhooks-server.js";
import { checkAdapterApp } from "../server/check-adapter-app.js";
import { checkOptions } from "../server/check-options.js";
import { runAfterResponse } from "../http/after-response.js";

/** Options of {@link nextRouteHandler}. */
export interface NextRouteHandlerOptions {
  /**
   * Next's `after` (from `next/server`): given, the function stays alive after the answer until the deliveries it
   * received have run (an "accepted" endpoint answers 202 first, then works; with the log or without).
   */
  after?: (task: () => Promise<unknown>) => void;
}

/**
 * Route handlers for the Next.js App Router: `app/<basePath>/[[...path]]/route.ts` exports them. The log starts
 * with the first request unless you `await app.start()` at boot (e.g. in `instrumentation.ts`).
 * @example
 * // app/api/hooks/[[...path]]/route.ts
 * import { after } from "next/server";
 * const hooks = new WebhooksServer({ basePath: "/api/hooks", database: process.env.DATABASE_URL });
 * hooks.addWebhook("train", async (payload) => ({ ok: true }));
 * export const { GET, POST, HEAD } = nextRouteHandler(hooks, { after });
 */
export function nextRouteHandler(app: WebhooksServer, options: NextRouteHandlerOptions = {}) {
  checkAdapterApp(app, "nextRouteHandler()");
  checkOptions("nextHandler", "nextRouteHandler()", options);
  const handle = async (request: Request): Promise<Response> => {
    const after = options.after;
    // Without a log (`database: false`, e.g. the Edge runtime), an "accepted" endpoint answers 202 and runs in after().
    if (after) runAfterResponse(request, (task) => after(() => task));
    const response = await app.fetch(request);
    if (options.after && request.method === "POST") options.after(() => app.queue?.drain().catch(() => {}) ?? Promise.resolve());
    return response;
  };
  return { GET: handle, POST: handle, HEAD: handle };
}
