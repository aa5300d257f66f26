// `hubhooks/workers`: a Cloudflare Worker (`export default { fetch }`) around the web core.
import { HubhooksError, httpErrorResponse } from "./errors.js";
import { runAfterResponse } from "./http/after-response.js";
import { consoleLogger } from "./internal/console-logger.js";
import type { WebhooksServerOptions } from "./server/options.js";
import { WebhooksServer } from "./server/webhooks-server.js";

/** The part of a Worker's `ctx` (ExecutionContext) hubhooks uses. */
export interface WorkerExecutionContext {
  waitUntil(promise: Promise<unknown>): void;
}

/** Options of {@link hubhooksWorker}: the server's, without what a Worker has no use for. */
export type HubhooksWorkerOptions = Omit<WebhooksServerOptions, "env" | "handleSignals" | "port" | "host" | "durability" | "store" | "databaseSchema">;

/** What `export default` takes: a Worker's module-syntax handler. */
export interface HubhooksWorker<Env> {
  fetch(request: Request, env: Env, ctx: WorkerExecutionContext): Promise<Response>;
}

/**
 * A Cloudflare Worker serving hubhooks: the server is built on the first request, from the Worker's `env` bindings
 * (`WEBHOOK_SECRET` as a secret binding, `HUBHOOKS_DASHBOARD_TOKEN`, `LOG_LEVEL`…), with `database: false`: handlers
 * run in the request, as in the Python server; log lines go through `console`. An `"accepted"` endpoint answers 202
 * at once and runs its handler after the answer through `ctx.waitUntil`. A delivery log is refused in one line (a
 * SQLite file needs a disk; the Postgres log needs prom-client and pg's Node sockets, not tested in workerd).
 * @example
 * export default hubhooksWorker<{ WEBHOOK_SECRET: string }>((app, env) => {
 *   app.addWebhook("train", (payload) => ({ repo: payload.repo.name }));
 * });
 */
export function hubhooksWorker<Env extends object = Record<string, unknown>>(
  setup: (app: WebhooksServer, env: Env) => void | Promise<void>,
  options: HubhooksWorkerOptions = {},
): HubhooksWorker<Env> {
  if (options.database) refuseLog(options.database, "the database option");
  let server: Promise<WebhooksServer> | undefined;
  const build = async (env: Env): Promise<WebhooksServer> => {
    const vars = stringBindings(env);
    if (vars.HUBHOOKS_DATABASE) refuseLog(vars.HUBHOOKS_DATABASE, "HUBHOOKS_DATABASE");
    const app = new WebhooksServer({ logger: consoleLogger({ level: vars.LOG_LEVEL ?? "info" }), ...options, database: false, env: vars, handleSignals: false });
    await setup(app, env);
    return app;
  };
  return {
    async fetch(request, env, ctx) {
      let app: WebhooksServer;
      try {
        app = await (server ??= build(env));
      } catch (error) {
        server = undefined; // not kept: the next request tries again, and answers the same error while it stays
        console.error(error instanceof HubhooksError ? error.message : `[hubhooks] the Worker could not be set up: ${String(error)}`);
        return httpErrorResponse(error, []);
      }
      runAfterResponse(request, (task) => ctx.waitUntil(task));
      return app.fetch(request);
    },
  };
}

function refuseLog(database: string, from: string): never {
  throw new HubhooksError(
    "INVALID_OPTIONS",
    `A Worker keeps no delivery log: ${JSON.stringify(database)} (${from}) cannot be opened there (a SQLite file needs a disk; the Postgres log is not supported in Workers). Leave it unset: handlers run in the request.`,
  );
}

/** The Worker's text bindings (vars and secrets): the server's environment. KV, D1 and service bindings are objects. */
function stringBindings(env: object): Record<string, string> {
  return Object.fromEntries(Object.entries(env).filter((entry): entry is [string, string] => typeof entry[1] === "string"));
}
