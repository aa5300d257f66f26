import { Hono } from "hono";
import type { WebhooksServer } from "../server/webhooks-server.js";
import { checkAdapterApp } from "../server/check-adapter-app.js";

/**
 * A Hono sub-app handing every request to `app.fetch` unchanged (Hono's own `mount()` strips the prefix; this keeps
 * the URL as received). Route it at the server's `basePath`.
 * @example
 * const hooks = new WebhooksServer({ basePath: "/hooks" });
 * honoApp.route("/hooks", hubhooksHono(hooks));
 * await hooks.start();
 */
export function hubhooksHono(app: WebhooksServer): Hono {
  checkAdapterApp(app, "hubhooksHono()");
  const sub = new Hono();
  sub.all("/", (c) => app.fetch(c.req.raw));
  sub.all("/*", (c) => app.fetch(c.req.raw));
  return sub;
}
