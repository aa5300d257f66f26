import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import type { SqliteDatabase } from "kysely";
import { HubhooksError } from "../errors.js";
import { NodeSqliteDatabase, type NodeSqliteModule } from "./node-sqlite-database.js";
import { cacheStatements } from "./statement-cache.js";

/** Which SQLite binding opened the file. */
export type SqliteDriverName = "node:sqlite" | "better-sqlite3";

/** An open SQLite connection in the shape kysely's SqliteDialect expects, with the driver's name. */
export interface OpenSqlite {
  database: SqliteDatabase;
  driver: SqliteDriverName;
}

/** How long a writer waits for another connection's write lock before SQLITE_BUSY. */
export const SQLITE_BUSY_TIMEOUT_MS = 5_000;

/**
 * `node:sqlite` when this runtime has it (Node 22.13+ / 24), else undefined.
 * @example
 * loadNodeSqlite() ? "node:sqlite" : "better-sqlite3"; // the driver createSqliteStore will use
 */
export function loadNodeSqlite(): NodeSqliteModule | undefined {
  try {
    return process.getBuiltinModule("node:sqlite") as NodeSqliteModule | undefined;
  } catch {
    // Node 22.5-22.12 without --experimental-sqlite throws here; better-sqlite3 is the fallback.
    return undefined;
  }
}

/**
 * Open (creating if needed) a SQLite database with the built-in `node:sqlite` when present, else
 * `better-sqlite3` (an optional dependency, imported only here so Node 24 never loads its native module),
 * with a cache of prepared statements (see `cacheStatements`), and set the pragmas every connection needs.
 * @example
 * const { database, driver } = await openSqlite("/tmp/hubhooks.db"); // driver: "node:sqlite" on Node 24
 */
export async function openSqlite(path: string): Promise<OpenSqlite> {
  if (path !== ":memory:" && !path.startsWith("file:")) mkdirSync(dirname(path), { recursive: true });
  const nodeSqlite = loadNodeSqlite();
  const opened: OpenSqlite = nodeSqlite
    ? { database: cacheStatements(new NodeSqliteDatabase(new nodeSqlite.DatabaseSync(path))), driver: "node:sqlite" }
    : { database: cacheStatements(await openBetterSqlite3(path)), driver: "better-sqlite3" };
  applyPragmas(opened.database);
  return opened;
}

async function openBetterSqlite3(path: string): Promise<SqliteDatabase> {
  let Database: typeof import("better-sqlite3");
  try {
    Database = (await import("better-sqlite3")).default;
  } catch (error) {
    throw new HubhooksError(
      "STORE_UNAVAILABLE",
      "No SQLite driver: this Node.js has no built-in node:sqlite (Node >= 22.13 has it) and the optional " +
        "dependency better-sqlite3 could not be loaded. Upgrade Node.js or install better-sqlite3.",
      { cause: error },
    );
  }
  const raw = new Database(path);
  return {
    prepare: (sql) => raw.prepare(sql),
    // Idempotent: kysely and the store may both close it.
    close: () => {
      if (raw.open) raw.close();
    },
  };
}

/**
 * WAL lets readers (dashboard, metrics) run while a writer commits. synchronous=NORMAL in WAL mode
 * syncs at checkpoints, not at every commit: a committed transaction survives a crash of the process
 * (the WAL is in the OS page cache), and only an OS crash or power loss can drop the last commits.
 * Process crashes are what a webhook receiver meets (deploys, OOM kills, Space restarts), and that is
 * what the tests exercise; FULL would add an fsync to every delivery.
 */
function applyPragmas(database: SqliteDatabase): void {
  for (const pragma of ["journal_mode = WAL", "synchronous = NORMAL", `busy_timeout = ${SQLITE_BUSY_TIMEOUT_MS}`]) {
    const statement = database.prepare(`pragma ${pragma}`);
    if (statement.reader) statement.all([]);
    else statement.run([]);
  }
}
