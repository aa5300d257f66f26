import { sql, type Kysely, type Migration } from "kysely";

/**
 * `deliveries_due` holds only the rows the queue can still run (next_attempt_at is set while a delivery is
 * queued, failed or running, and cleared when it succeeds or dies). A settled delivery then leaves the index
 * instead of moving to another place in it: one index write less per delivery, and an index whose size is the
 * backlog, not the whole log (a million succeeded rows no longer sit in the claim's index).
 */
export const migration004ActiveDueIndex: Migration = {
  async up(db: Kysely<any>): Promise<void> {
    await db.schema.dropIndex("deliveries_due").ifExists().execute();
    await db.schema.createIndex("deliveries_due").on("deliveries").columns(["status", "next_attempt_at", "id"])
      .where(sql.ref("next_attempt_at"), "is not", null).execute();
  },

  async down(db: Kysely<any>): Promise<void> {
    await db.schema.dropIndex("deliveries_due").ifExists().execute();
    await db.schema.createIndex("deliveries_due").on("deliveries").columns(["status", "next_attempt_at", "id"]).execute();
  },
};
