/**
 * The names of the delivery log's migrations, in order, without loading them (or kysely): a store checks with its own
 * driver whether all are applied before it loads the migrator. `test/unit/migration-names.test.ts` keeps this list
 * equal to `MIGRATIONS` in migrate.ts.
 * @example
 * MIGRATION_NAMES.at(-1); // "008-retrying-status"
 */
export const MIGRATION_NAMES: readonly string[] = [
  "001-initial",
  "002-due-order-and-scope-indexes",
  "003-delivery-url",
  "004-active-due-index",
  "005-completed-steps",
  "006-trace-context",
  "007-trigger-schedules",
  "008-retrying-status",
];
