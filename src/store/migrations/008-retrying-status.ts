import type { Kysely, Migration } from "kysely";

/**
 * The status of a delivery whose retry is scheduled is `retrying` (was `failed`, which reads as final and disagreed
 * with the 202 answer's `"retrying"`). One UPDATE of the rows waiting for a retry, on SQLite and Postgres alike;
 * the attempt history keeps its `failed` outcomes (an attempt did fail).
 */
export const migration008RetryingStatus: Migration = {
  async up(db: Kysely<any>): Promise<void> {
    await db.updateTable("deliveries").set({ status: "retrying" }).where("status", "=", "failed").execute();
  },

  async down(db: Kysely<any>): Promise<void> {
    await db.updateTable("deliveries").set({ status: "failed" }).where("status", "=", "retrying").execute();
  },
};
