import type { Kysely } from "kysely";
import type { StoreSchema } from "../schema.js";
import { assertSqliteLocation } from "../resolve-database-path.js";
import { openSqlite, waitForLock, type SqliteDurability } from "./open-sqlite.js";
import { SqliteDeliveryStore } from "./sqlite-delivery-store.js";

/** Options of `createSqliteStore`. */
export interface SqliteStoreOptions {
  /** A file path (parent directories are created) or `:memory:`; see `resolveDatabasePath`. */
  path: string;
  /** What an acknowledged delivery survives: `"normal"` (default) a process crash, `"full"` also power loss. */
  durability?: SqliteDurability;
  /**
   * Load kysely (the migrator and the dashboard's reads) on the first statement that needs it instead of now: the
   * server's own stores do, so a log that is already migrated starts without it (~65 ms). `store.db` then needs
   * `await store.kysely()` first. Default false.
   */
  loadKyselyOnFirstUse?: boolean;
}

/**
 * Open a SQLite delivery store (WAL mode) with Node's built-in `node:sqlite`. Opens the file but does NOT migrate:
 * call `migrate()` (the server does it at start).
 * @example
 * const store = await createSqliteStore({ path: resolveDatabasePath({ cwd: process.cwd() }) });
 * await store.migrate();
 * store.driver; // "node:sqlite"
 */
export async function createSqliteStore(options: SqliteStoreOptions): Promise<SqliteDeliveryStore> {
  assertSqliteLocation(options.path);
  // Opening sets WAL mode, which takes a lock: a fresh file opened by several processes at once waits its turn.
  const { raw, database } = await waitForLock(() => openSqlite(options.path, options.durability));
  const open = async (): Promise<Kysely<StoreSchema>> => {
    const { Kysely, SqliteDialect } = await import("kysely");
    return new Kysely<StoreSchema>({ dialect: new SqliteDialect({ database }) });
  };
  // kysely only closes a database it has used; close it ourselves in case no query ever ran.
  return new SqliteDeliveryStore(options.loadKyselyOnFirstUse ? open : await open(), raw, () => database.close());
}
