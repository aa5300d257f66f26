import { accessSync, constants } from "node:fs";
import { HubhooksError } from "../errors.js";
import { ensureDirectory } from "../internal/ensure-directory.js";
import { join } from "node:path";

/** Options of `resolveDatabasePath`. */
export interface ResolveDatabasePathOptions {
  /** Explicit path (or `:memory:`); wins over everything. */
  database?: string;
  env?: Record<string, string | undefined>;
  cwd: string;
  /** Persistent-storage mount of a Space; overridable for tests. */
  dataDir?: string;
}

/** Is this a Postgres connection URL (what `database` and `HUBHOOKS_DATABASE` accept besides a SQLite path)? */
export function isPostgresUrl(value: string | undefined): value is string {
  return typeof value === "string" && /^postgres(ql)?:\/\//i.test(value);
}

/**
 * Which engine a `database` setting names: a `postgres://` or `postgresql://` URL is Postgres; a path, `:memory:` or
 * a SQLite `file:` URI is SQLite; anything else that looks like a URL (`mysql://…`, `postgres:/db`, `sqlite://…`) is
 * refused with INVALID_OPTIONS rather than taken as a relative path (which would create a folder named `mysql:`).
 * A one-letter scheme is a Windows drive (`C:\\data\\x.db`), a path.
 * @example
 * databaseEngine("postgresql://app@db/hooks"); // "postgres"
 * databaseEngine("./hooks.db");                // "sqlite"
 * databaseEngine("mysql://db/hooks");          // throws: Unsupported database "mysql://db/hooks"…
 */
export function databaseEngine(location: string): "sqlite" | "postgres" {
  if (isPostgresUrl(location)) return "postgres";
  if (location === ":memory:" || /^file:/i.test(location) || !/^[a-z][a-z0-9+.-]+:/i.test(location)) return "sqlite";
  throw new HubhooksError(
    "INVALID_OPTIONS",
    `Unsupported database "${displayDatabase(location).replace(/\/\/[^@/]*@/, "//***@")}": use a SQLite file path, ":memory:" or a postgres:// URL.`,
    { status: 500 },
  );
}

/** Throws unless `location` is for the SQLite engine (see `databaseEngine`). */
export function assertSqliteLocation(location: string): void {
  if (databaseEngine(location) !== "sqlite") {
    throw new HubhooksError("INVALID_OPTIONS", `${displayDatabase(location)} is a Postgres URL: use createPostgresStore (hubhooks/postgres).`);
  }
}

/**
 * A database location fit for logs and banners: a connection URL's password is masked.
 * @example
 * displayDatabase("postgres://app:hunter2@db:5432/hooks"); // "postgres://app:***@db:5432/hooks"
 */
export function displayDatabase(location: string): string {
  if (!isPostgresUrl(location)) return location;
  try {
    const url = new URL(location);
    if (url.password) url.password = "***";
    return url.toString();
  } catch {
    return "postgres://…"; // unparsable: show nothing of it
  }
}

/**
 * Where the delivery log lives, needing no setup: the `database` option, else `HUBHOOKS_DATABASE`, else
 * `DATABASE_URL` when it is a Postgres URL, else `/data/hubhooks.db` inside a Space with persistent storage
 * (`SPACE_ID` set and `/data` writable), else `<cwd>/.hubhooks/hubhooks.db` (the directory is created).
 * @example
 * resolveDatabasePath({ cwd: process.cwd() }); // "/home/me/app/.hubhooks/hubhooks.db"
 * resolveDatabasePath({ database: ":memory:", cwd: "." }); // ":memory:"
 */
export function resolveDatabasePath(options: ResolveDatabasePathOptions): string {
  const env = options.env ?? process.env;
  if (options.database) return options.database;
  if (env.HUBHOOKS_DATABASE) return env.HUBHOOKS_DATABASE;
  if (isPostgresUrl(env.DATABASE_URL)) return env.DATABASE_URL;
  const dataDir = options.dataDir ?? "/data";
  if (env.SPACE_ID && isWritableDirectory(dataDir)) return join(dataDir, "hubhooks.db");
  const dir = join(options.cwd, ".hubhooks");
  ensureDirectory(dir);
  return join(dir, "hubhooks.db");
}

function isWritableDirectory(path: string): boolean {
  try {
    accessSync(path, constants.W_OK);
    return true;
  } catch {
    // Without persistent storage a Space has no /data: the disk is wiped on restart anyway.
    return false;
  }
}
