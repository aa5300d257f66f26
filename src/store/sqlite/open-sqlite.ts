import { backoff } from "../../internal/backoff.js";
import { dirname } from "node:path";
import type { SqliteDatabase } from "kysely";
import { DEFAULTS } from "../../defaults.js";
import { HubhooksError } from "../../errors.js";
import { ensureDirectory } from "../../internal/ensure-directory.js";
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

/**
 * How long one statement waits, synchronously (the event loop stands still meanwhile), for another connection's
 * lock before SQLITE_BUSY: short, because the engine then waits asynchronously (`waitForLock`).
 */
export const SQLITE_BUSY_TIMEOUT_MS = DEFAULTS.sqliteBusyTimeoutMs;

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
  if (path !== ":memory:" && !path.startsWith("file:")) ensureDirectory(dirname(path));
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

/**
 * Whether a SQLite error is another connection holding the lock (SQLITE_BUSY or SQLITE_LOCKED, any extended code).
 * @example
 * try { raw.exec("BEGIN IMMEDIATE"); } catch (e) { if (isBusy(e)) retryLater(); }
 */
export function isBusy(error: unknown): boolean {
  const errcode = (error as { errcode?: unknown } | null)?.errcode;
  if (typeof errcode === "number") return (errcode & 0xff) === 5 || (errcode & 0xff) === 6;
  return /database is locked|database table is locked/i.test(error instanceof Error ? error.message : "");
}

/**
 * Run `attempt` until it succeeds, waiting asynchronously while another process holds the database's lock (the
 * event loop goes on: other requests, /healthz), 1 ms doubling to 50 ms between tries, for at most `waitMs` in all;
 * then the busy error is thrown as STORE_UNAVAILABLE (503 for a delivery: the Hub retries). `attempt` runs
 * synchronously on each try, so a transaction it begins is not interleaved with anything else on the connection.
 * @example
 * await waitForLock(() => { raw.exec("BEGIN IMMEDIATE"); return work(); });
 */
export async function waitForLock<T>(attempt: () => T, waitMs: number = DEFAULTS.sqliteLockWaitMs): Promise<T> {
  const deadline = Date.now() + waitMs;
  for (let tries = 1; ; tries++) {
    try {
      return attempt();
    } catch (error) {
      if (!isBusy(error)) throw error;
      if (Date.now() >= deadline) {
        throw new HubhooksError("STORE_UNAVAILABLE", `The delivery log is locked by another process (waited ${waitMs} ms).`, {
          status: 503,
          cause: error,
        });
      }
    }
    await new Promise((resolve) => setTimeout(resolve, backoff(tries, LOCK_WAIT)));
  }
}

const LOCK_WAIT = { initialDelayMs: 1, maxDelayMs: 50 };
