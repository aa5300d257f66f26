import { Kysely, PostgresDialect } from "kysely";
import type { Pool, PoolConfig } from "pg";
import { HubhooksError } from "../../errors.js";
import type { StoreSchema } from "../schema.js";
import { checkSchemaName } from "./hot-sql.js";
import { PostgresDeliveryStore } from "./postgres-delivery-store.js";

/** Options of `createPostgresStore`: a connection URL, pool options, or a `pg.Pool` of your own. */
export interface PostgresStoreOptions {
  /** `postgres://user:pass@host:5432/db` (or `postgresql://`). */
  url?: string;
  /** A pool the application already has; the store does not close it. */
  pool?: Pool;
  /** Pool options (`max`, `ssl`, …) when the store builds the pool. `max` defaults to 10. */
  poolOptions?: PoolConfig;
  /** Where the tables live, apart from the application's. Default `hubhooks`. */
  schema?: string;
  logger?: { warn(obj: object, msg: string): void; info(obj: object, msg: string): void };
}

/**
 * A Postgres delivery store, for several replicas behind one URL. Loads the optional peer dependency `pg` (install it
 * next to hubhooks). Opens no connection until used; call `migrate()` (the server does it at start).
 * @example
 * import { createPostgresStore } from "hubhooks/postgres";
 * const app = new WebhooksServer({ store: await createPostgresStore({ url: process.env.DATABASE_URL }) });
 */
export async function createPostgresStore(options: PostgresStoreOptions): Promise<PostgresDeliveryStore> {
  const schema = checkSchemaName(options.schema ?? "hubhooks");
  if (!options.pool && !options.url && !options.poolOptions) {
    throw new HubhooksError("INVALID_OPTIONS", "createPostgresStore needs a url, poolOptions or a pool.");
  }
  let pool = options.pool;
  if (!pool) {
    let PgPool: typeof Pool;
    try {
      const pg = await import("pg");
      PgPool = (pg.default ?? pg).Pool;
    } catch (error) {
      throw new HubhooksError(
        "STORE_UNAVAILABLE",
        "A Postgres database needs the pg package: npm install pg (it is an optional peer dependency of hubhooks).",
        { cause: error },
      );
    }
    pool = new PgPool({ max: 10, ...options.poolOptions, ...(options.url ? { connectionString: options.url } : {}) });
  }
  // An idle connection that drops (a restarted server, a network cut) is an error event on the pool: without a
  // listener it would crash the process. The next query gets a fresh connection.
  pool.on("error", (error) => options.logger?.warn({ err: error }, "a Postgres connection of the delivery log failed"));
  // A connection that drops while checked out (between two statements of a transaction, or before kysely's query)
  // emits "error" on the client itself, and an unheard "error" event ends the process. Heard here, for every
  // connection the pool opens: the statement that needed it fails instead (a 503, a logged settle), and the pool
  // does not hand the broken connection out again.
  pool.on("connect", (client) => {
    client.on("error", (error) => options.logger?.warn({ err: error }, "a Postgres connection in use by the delivery log dropped"));
  });
  const db = new Kysely<StoreSchema>({ dialect: new PostgresDialect({ pool }) }).withSchema(schema);
  return new PostgresDeliveryStore({
    db,
    pool,
    schema,
    connect: () => pool.connect(),
    ownsPool: !options.pool,
    ...(options.logger ? { logger: options.logger } : {}),
  });
}
