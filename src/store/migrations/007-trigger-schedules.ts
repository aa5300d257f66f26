import type { Kysely, Migration } from "kysely";

/**
 * Debounce and throttle schedules of routes (one row per endpoint, route step and key): which delivery waits for
 * the quiet period, which one was chosen to run and when, as a JSON `state` the triggers module owns. Kept in the
 * delivery log so a restart (or another replica) keeps the schedule.
 */
export const migration007TriggerSchedules: Migration = {
  async up(db: Kysely<any>): Promise<void> {
    await db.schema
      .createTable("trigger_schedules")
      .addColumn("endpoint", "text", (c) => c.notNull())
      .addColumn("step", "text", (c) => c.notNull())
      .addColumn("schedule_key", "text", (c) => c.notNull())
      .addColumn("state", "text", (c) => c.notNull())
      .addColumn("updated_at", "bigint", (c) => c.notNull())
      .addPrimaryKeyConstraint("trigger_schedules_pk", ["endpoint", "step", "schedule_key"])
      .execute();
  },

  async down(db: Kysely<any>): Promise<void> {
    await db.schema.dropTable("trigger_schedules").execute();
  },
};
