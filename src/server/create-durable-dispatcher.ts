import { systemClock } from "../internal/clock.js";
import type { Logger } from "../internal/logger.js";
import { observeStore } from "./observe-store.js";
import { databaseEngine, displayDatabase, resolveDatabasePath } from "../store/resolve-database-path.js";
import type { DeliveryStore } from "../store/types.js";
import { DurableDispatcher } from "./durable-dispatcher.js";
import type { ResolvedOptions } from "./options.js";
import { envLimits } from "./env-limits.js";
import { Telemetry } from "../telemetry/telemetry.js";
import type { Dispatcher, DispatcherInput } from "./dispatcher.js";

/** The delivery log (opened and migrated) with its queue started: createDispatcher's half for a log. */
export async function createDurableDispatcher(input: DispatcherInput): Promise<{ dispatcher: Dispatcher; store: DeliveryStore }> {
  const { options: o, logger } = input;
  const metrics = input.metrics;
  if (!metrics) throw new Error("createDurableDispatcher: the delivery log needs the server's metrics");
  const path = o.store ? undefined : resolveDatabasePath({ database: o.database === false ? undefined : o.database, env: o.env, cwd: process.cwd() });
  const opened = o.store ?? (await openStore(path!, o, logger));
  const store = observeStore(opened, input.emit);
  metrics.setStore(store);
  const dispatcher = new DurableDispatcher({
    store,
    endpoints: input.endpoints,
    clock: o.clock ?? systemClock,
    logger,
    metrics,
    secrets: o.secrets,
    hub: o.hub,
    leaseMs: o.leaseMs,
    concurrency: envLimits(o.env).concurrency,
    retention: o.retentionMs === false ? false : { succeededMaxAgeMs: o.retentionMs },
    hooks: o.hooks,
    telemetry: new Telemetry(o.tracerProvider),
  });
  // Other replicas' writes (Postgres LISTEN/NOTIFY): the dashboard shows them, queued work wakes this queue.
  const stopListening = opened.subscribe?.((notice) => {
    input.emit(notice.id ? { kind: notice.kind, id: notice.id } : { kind: notice.kind });
    if (notice.queued) dispatcher.queue.notify();
  });
  try {
    await dispatcher.start();
  } catch (error) {
    stopListening?.();
    // A migration that failed leaves an open connection behind; the caller may try again later.
    await Promise.resolve(store.close()).catch(() => {});
    throw error;
  }
  logger.info({ database: path ? displayDatabase(path) : store.engine, driver: store.driver }, "delivery log opened");
  return { dispatcher, store };
}


/** SQLite for a path, Postgres for a `postgres://` URL (each engine is loaded only then). */
async function openStore(location: string, o: ResolvedOptions, logger: Logger): Promise<DeliveryStore> {
  // node:sqlite loads only for a SQLite log: Bun and Deno run with database: false or Postgres.
  if (databaseEngine(location) === "sqlite") {
    const { createSqliteStore } = await import("../store/sqlite/create-sqlite-store.js");
    return createSqliteStore({ path: location, durability: o.durability, loadKyselyOnFirstUse: true });
  }
  const { createPostgresStore } = await import("../store/postgres/create-postgres-store.js");
  return createPostgresStore({ url: location, schema: o.databaseSchema, logger });
}
