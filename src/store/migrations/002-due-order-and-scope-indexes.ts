import type { Kysely, Migration } from "kysely";

/**
 * The claim orders due work by `(next_attempt_at, id)` within one status. `deliveries_claim` indexed only
 * `(status, next_attempt_at)`, so rows sharing a due time (a bulk replay gives all of them the same one)
 * were sorted on every claim and draining them was quadratic; `deliveries_due` serves the whole ORDER BY
 * and every lookup by status that the old index served, so the old one goes. `deliveries_scope_received`
 * lets a `scope=` filter of the dashboard walk its own rows newest first instead of the whole log.
 */
export const migration002DueOrderAndScopeIndexes: Migration = {
  async up(db: Kysely<any>): Promise<void> {
    await db.schema.createIndex("deliveries_due").ifNotExists().on("deliveries")
      .columns(["status", "next_attempt_at", "id"]).execute();
    await db.schema.dropIndex("deliveries_claim").ifExists().execute();
    await db.schema.createIndex("deliveries_scope_received").ifNotExists().on("deliveries")
      .columns(["scope", "received_at", "id"]).execute();
  },

  async down(db: Kysely<any>): Promise<void> {
    await db.schema.dropIndex("deliveries_scope_received").ifExists().execute();
    await db.schema.createIndex("deliveries_claim").ifNotExists().on("deliveries")
      .columns(["status", "next_attempt_at"]).execute();
    await db.schema.dropIndex("deliveries_due").ifExists().execute();
  },
};
