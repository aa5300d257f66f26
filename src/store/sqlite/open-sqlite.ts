import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import type { SqliteDatabase } from "kysely";
import { HubhooksError } from "../../errors.js";
import { NodeSqliteDatabase, type NodeDatabaseSync, type NodeSqliteModule } from "./node-sqlite-database.js";
import { cacheStatements } from "./statement-cache.js";

/** The SQLite binding: Node's built-in `node:sqlite` (Node >= 22.13), the only one. */
export type SqliteDriverName = "node:sqlite";

/**
 * What an acknowledged delivery survives, as SQLite's `synchronous` pragma in WAL mode.
 * `"normal"`: a crash of the process (the commit is in the WAL, in the OS page cache); an OS crash or power
 * loss may drop the last commits. `"full"`: also an OS crash or power loss (an fsync of the WAL per commit).
 */
export type SqliteDurability = "normal" | "full";

/** An open connection: the raw driver for the hot statements and the kysely-shaped view of the same one. */
export interface OpenSqlite {
  raw: NodeDatabaseSync;
  database: SqliteDatabase;
  driver: SqliteDriverName;
}

/** How long a writer waits for another connection's write lock before SQLITE_BUSY. */
export const SQLITE_BUSY_TIMEOUT_MS = 5_000;

let nodeSqlite: NodeSqliteModule | undefined;

/**
 * `node:sqlite`, loaded once. Node 22 announces it with an ExperimentalWarning on stderr; that warning is about
 * Node's API, not something a hubhooks user can act on, so it is kept out of their output (only that one).
 * @example
 * const { DatabaseSync } = loadNodeSqlite();
 */
export function loadNodeSqlite(): NodeSqliteModule {
  if (nodeSqlite) return nodeSqlite;
  const emitWarning = process.emitWarning;
  process.emitWarning = ((warning: string | Error, ...rest: unknown[]) => {
    const text = typeof warning === "string" ? warning : warning.message;
    const type = typeof rest[0] === "string" ? rest[0] : (rest[0] as { type?: string } | undefined)?.type;
    if (type === "ExperimentalWarning" && /sqlite/i.test(text)) return;
    return (emitWarning as (...args: unknown[]) => void).call(process, warning, ...rest);
  }) as typeof process.emitWarning;
  try {
    nodeSqlite = process.getBuiltinModule("node:sqlite") as NodeSqliteModule | undefined;
  } catch (error) {
    throw noDriver(error);
  } finally {
    process.emitWarning = emitWarning;
  }
  if (!nodeSqlite) throw noDriver();
  return nodeSqlite;
}

function noDriver(cause?: unknown): HubhooksError {
  return new HubhooksError(
    "STORE_UNAVAILABLE",
    `This Node.js (${process.version}) has no built-in node:sqlite: hubhooks needs Node.js >= 22.13.`,
    { cause },
  );
}

/**
 * Open (creating if needed) a SQLite database with `node:sqlite`, with a cache of prepared statements for
 * kysely's queries (see `cacheStatements`), and set the pragmas every connection needs.
 * @example
 * const { raw, database } = openSqlite("/tmp/hubhooks.db"); // raw: DatabaseSync, database: for kysely
 */
export function openSqlite(path: string, durability: SqliteDurability = "normal"): OpenSqlite {
  if (path !== ":memory:" && !path.startsWith("file:")) mkdirSync(dirname(path), { recursive: true });
  const raw = new (loadNodeSqlite().DatabaseSync)(path);
  try {
    applyPragmas(raw, durability);
  } catch (error) {
    raw.close();
    throw error;
  }
  return { raw, database: cacheStatements(new NodeSqliteDatabase(raw)), driver: "node:sqlite" };
}

/**
 * WAL lets readers (dashboard, metrics) run while a writer commits. With `synchronous=NORMAL` in WAL mode a
 * commit is not fsynced (checkpoints are): see `SqliteDurability` for what that means for a delivery.
 */
function applyPragmas(raw: NodeDatabaseSync, durability: SqliteDurability): void {
  raw.exec(`pragma journal_mode = WAL; pragma synchronous = ${durability === "full" ? "FULL" : "NORMAL"}; ` +
    `pragma busy_timeout = ${SQLITE_BUSY_TIMEOUT_MS}`);
}
