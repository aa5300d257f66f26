import { displayDatabase, resolveDatabasePath } from "../store/resolve-database-path.js";
import type { ResolvedOptions } from "./options.js";

/**
 * Which delivery log this server uses, for the ready banner and the dashboard: the SQLite path or the Postgres URL
 * (password masked), the engine of a `store` passed in, or undefined with `database: false`. Apps started in the
 * same folder share the default `.hubhooks/hubhooks.db`; this line makes that visible.
 * @example
 * deliveryLogLabel(options); // "/home/me/app/.hubhooks/hubhooks.db" or "postgres://app:***@db:5432/hooks"
 */
export function deliveryLogLabel(o: Pick<ResolvedOptions, "database" | "store" | "env">): string | undefined {
  if (o.database === false) return undefined;
  if (o.store) return `${o.store.engine} (the store option)`;
  return displayDatabase(resolveDatabasePath({ database: o.database, env: o.env, cwd: process.cwd() }));
}
