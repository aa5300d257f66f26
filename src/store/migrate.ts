import { Migrator, type Kysely, type Migration } from "kysely";
import { HubhooksError } from "../errors.js";
import { migration001Initial } from "./migrations/001-initial.js";
import { migration002DueOrderAndScopeIndexes } from "./migrations/002-due-order-and-scope-indexes.js";
import { migration003DeliveryUrl } from "./migrations/003-delivery-url.js";
import { migration004ActiveDueIndex } from "./migrations/004-active-due-index.js";
import { migration005CompletedSteps } from "./migrations/005-completed-steps.js";
import { migration006TraceContext } from "./migrations/006-trace-context.js";
import { migration007TriggerSchedules } from "./migrations/007-trigger-schedules.js";
import { migration008RetryingStatus } from "./migrations/008-retrying-status.js";
import type { StoreSchema } from "./schema.js";

/**
 * Numbered migrations, applied in name order. Add the next number here; never edit an applied one.
 * @example
 * Object.keys(MIGRATIONS); // ["001-initial", …, "007-trigger-schedules", "008-retrying-status"]
 */
export const MIGRATIONS: Readonly<Record<string, Migration>> = {
  "001-initial": migration001Initial,
  "002-due-order-and-scope-indexes": migration002DueOrderAndScopeIndexes,
  "003-delivery-url": migration003DeliveryUrl,
  "004-active-due-index": migration004ActiveDueIndex,
  "005-completed-steps": migration005CompletedSteps,
  "006-trace-context": migration006TraceContext,
  "007-trigger-schedules": migration007TriggerSchedules,
  "008-retrying-status": migration008RetryingStatus,
};

/**
 * Apply pending migrations with kysely's Migrator (bookkeeping in `hubhooks_migration`).
 * @example
 * await migrateStore(db); // no-op when up to date
 */
export async function migrateStore(db: Kysely<StoreSchema>, options: { schema?: string } = {}): Promise<void> {
  const migrator = new Migrator({
    db,
    ...(options.schema ? { migrationTableSchema: options.schema } : {}),
    // Migrations are bundled code, not files looked up at run time.
    provider: { getMigrations: async () => ({ ...MIGRATIONS }) },
    migrationTableName: "hubhooks_migration",
    migrationLockTableName: "hubhooks_migration_lock",
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error !== undefined) {
    const failed = results?.find((r) => r.status === "Error")?.migrationName;
    throw new HubhooksError(
      "STORE_UNAVAILABLE",
      `Database migration ${failed ?? ""} failed: ${error instanceof Error ? error.message : String(error)}`.replace("  ", " "),
      { cause: error },
    );
  }
}
