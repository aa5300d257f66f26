import { Kysely, SqliteDialect } from "kysely";
import { KyselyDeliveryStore } from "./kysely-delivery-store.js";
import { openSqlite, type SqliteDriverName } from "./open-sqlite.js";
import type { StoreSchema } from "./schema.js";
import type { DeliveryStore } from "./types.js";

/** Options of `createSqliteStore`. */
export interface SqliteStoreOptions {
  /** A file path (parent directories are created) or `:memory:`; see `resolveDatabasePath`. */
  path: string;
}

/** A SQLite-backed store; `driver` says which binding opened the file. */
export type SqliteDeliveryStore = DeliveryStore & { readonly driver: SqliteDriverName };

/**
 * Open a SQLite delivery store (WAL mode) with the built-in `node:sqlite` where the runtime has it, else
 * `better-sqlite3`. Opens the file but does NOT migrate: call `migrate()` (the server does it at launch).
 * @example
 * const store = await createSqliteStore({ path: resolveDatabasePath({ cwd: process.cwd() }) });
 * await store.migrate();
 * store.driver; // "node:sqlite" on Node 24, "better-sqlite3" on Node 20
 */
export async function createSqliteStore(options: SqliteStoreOptions): Promise<SqliteDeliveryStore> {
  const { database, driver } = await openSqlite(options.path);
  const db = new Kysely<StoreSchema>({ dialect: new SqliteDialect({ database }) });
  // kysely only closes a database it has used; close it ourselves in case no query ever ran.
  return new KyselyDeliveryStore(db, driver, () => database.close()) as SqliteDeliveryStore;
}
