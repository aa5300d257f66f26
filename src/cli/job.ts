import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { Command } from "commander";
import { HubhooksError } from "../errors.js";
import type { CliIo, SetExit } from "./main.js";
import { registerTypeScript } from "./register-ts.js";
import { isPostgresUrl } from "../store/resolve-database-path.js";
import type { DeliveryStore } from "../store/types.js";

const EXAMPLES = `
Examples:
  $ WEBHOOK_PAYLOAD="$(cat payload.json)" hubhooks job app.ts
  $ hubhooks job app.ts --endpoint train --database "$DATABASE_URL"

In a Hugging Face Job started by a Hub webhook (hubhooks webhooks create --job-id <id>), the Hub sets
WEBHOOK_PAYLOAD, WEBHOOK_ID, WEBHOOK_REPO_ID, WEBHOOK_REPO_TYPE and WEBHOOK_SECRET. The endpoint's handler and
routes run once on that delivery, with the server's validation, filters, ctx.hub (HF_TOKEN) and logs; the exit code
says how it went (0: succeeded, skipped or a duplicate; 1: the reason on the last line). With a database
(--database, HUBHOOKS_DATABASE, or DATABASE_URL when it is a Postgres URL) the run is recorded like any delivery and
a WEBHOOK_ID that already ran does not run again.
`;

/**
 * `hubhooks job <file>`: run the module's endpoint on the delivery a Hugging Face Job receives in its environment.
 * @example
 * program.addCommand(jobCommand(io, setExit)); // WEBHOOK_PAYLOAD=… hubhooks job app.ts
 */
export function jobCommand(io: CliIo, _setExit: SetExit): Command {
  return new Command("job")
    .description("run a module's endpoint once on the webhook delivery in the environment (a Hugging Face Job)")
    .argument("<file>", "module registering endpoints with webhookEndpoint() (the same one `serve` runs)")
    .option("--endpoint <name>", "which endpoint, when the module registers several (env HUBHOOKS_ENDPOINT)")
    .option("--database <path|url>", "record the run and dedupe on WEBHOOK_ID (env HUBHOOKS_DATABASE, or a Postgres DATABASE_URL)")
    .addHelpText("after", EXAMPLES)
    .action(async (file: string, opts: { endpoint?: string; database?: string }) => {
      const path = resolve(io.cwd, file);
      if (!existsSync(path)) throw new HubhooksError("INVALID_OPTIONS", `No such file: ${file}`);
      const { jobEnvironment, runJobDelivery } = await import("../triggers/job-delivery.js");
      const job = jobEnvironment(io.env); // before loading anything: a Job without a payload is a setup error
      const endpoint = await loadEndpoint(path, file, opts.endpoint ?? io.env.HUBHOOKS_ENDPOINT);
      const { createLogger } = await import("../internal/logger.js");
      const { HubClient } = await import("../hub/hub-client.js");
      const { systemClock } = await import("../internal/clock.js");
      const logger = createLogger({ level: io.env.LOG_LEVEL ?? "info" });
      const store = await openStore(io, opts.database);
      try {
        const outcome = await runJobDelivery({
          endpoint, job, logger, clock: systemClock, store,
          hub: io.env.HF_TOKEN ? HubClient.fromEnv(io.env) : undefined,
          secrets: [io.env.WEBHOOK_SECRET ?? "", io.env.HF_TOKEN ?? ""].filter(Boolean),
        });
        if (outcome.code !== 0) throw new HubhooksError("HANDLER_FAILED", outcome.line);
        const value = outcome.value === undefined || outcome.value instanceof Response ? "" : ` ${JSON.stringify(outcome.value)}`;
        const id = outcome.deliveryId && outcome.status !== "duplicate" ? ` (${outcome.deliveryId})` : "";
        io.stdout(`${endpoint.name}: ${outcome.line}${id}${value}\n`);
      } finally {
        await store?.close();
      }
    });
}

async function loadEndpoint(path: string, file: string, name: string | undefined) {
  registerTypeScript();
  const { peekImplicitServer, cancelAutoStart, presetImplicitServer } = await import("../server/webhook-endpoint.js");
  // No "Webhook secret is not defined…" banner on stdout: a Job gets its payload from the Hub in WEBHOOK_PAYLOAD and
  // checks no secret (stdout is the run's result).
  presetImplicitServer({ print: () => {} });
  const { WebhooksServer } = await import("../server/webhooks-server.js");
  let module: Record<string, unknown>;
  try {
    module = (await import(pathToFileURL(path).href)) as Record<string, unknown>;
  } catch (error) {
    const message = error instanceof Error ? error.message.replace(/^\[hubhooks\] /, "") : String(error).split("\n")[0];
    throw new HubhooksError("INVALID_OPTIONS", `Cannot load ${file}: ${message}`, { cause: error });
  }
  cancelAutoStart(); // a Job runs one delivery; it serves nothing
  const exported = [module.default, module.app].find((v): v is InstanceType<typeof WebhooksServer> => v instanceof WebhooksServer);
  const app = peekImplicitServer() ?? exported;
  const routes = app?.routes ?? [];
  if (!app || routes.length === 0) {
    throw new HubhooksError("INVALID_OPTIONS", `${file} registers no endpoint: use webhookEndpoint(), or export the WebhooksServer as app`);
  }
  if (name === undefined && routes.length > 1) {
    const names = routes.map((r) => app.endpoint(r)!.name).join(", ");
    throw new HubhooksError("INVALID_OPTIONS", `${file} registers several endpoints (${names}): pick one with --endpoint`);
  }
  const endpoint = app.endpoint(name ?? routes[0]!);
  if (!endpoint) throw new HubhooksError("INVALID_OPTIONS", `${file} has no endpoint ${JSON.stringify(name)}`);
  return endpoint;
}

/** A database only when one is configured: a Job's disk is not kept between runs, so there is no default file. */
async function openStore(io: CliIo, flag: string | undefined): Promise<DeliveryStore | undefined> {
  const env = io.env;
  const location = flag ?? env.HUBHOOKS_DATABASE ?? (env.DATABASE_URL && isPostgresUrl(env.DATABASE_URL) ? env.DATABASE_URL : undefined);
  if (!location) return undefined;
  let store: DeliveryStore;
  if (isPostgresUrl(location)) {
    const { createPostgresStore } = await import("../store/postgres/create-postgres-store.js");
    store = await createPostgresStore({ url: location, ...(env.HUBHOOKS_DATABASE_SCHEMA ? { schema: env.HUBHOOKS_DATABASE_SCHEMA } : {}) });
  } else {
    const { createSqliteStore } = await import("../store/sqlite/create-sqlite-store.js");
    store = await createSqliteStore({ path: location === ":memory:" ? location : resolve(io.cwd, location) });
  }
  await store.migrate();
  return store;
}
