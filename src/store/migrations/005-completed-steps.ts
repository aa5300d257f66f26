import type { Kysely, Migration } from "kysely";

/**
 * The routes (steps) of a delivery that already succeeded in an attempt that failed later (JSON array of step
 * names), so a retry, or a replay after a failure, runs only what has not succeeded: the first route's side effect
 * (a Hub comment, say) is not repeated because the second one threw. A full replay of a succeeded delivery clears it.
 */
export const migration005CompletedSteps: Migration = {
  async up(db: Kysely<any>): Promise<void> {
    await db.schema.alterTable("deliveries").addColumn("completed_steps", "text").execute();
  },

  async down(db: Kysely<any>): Promise<void> {
    await db.schema.alterTable("deliveries").dropColumn("completed_steps").execute();
  },
};
