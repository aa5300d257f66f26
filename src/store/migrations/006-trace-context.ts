import type { Kysely, Migration } from "kysely";

/**
 * The trace context of the request that recorded a delivery (a W3C `traceparent`, null when it was not traced), so
 * every attempt's span links to that request: a retry tomorrow, after a restart or on another replica, still leads
 * to today's request. Nullable, no default: adding it rewrites no row on SQLite or Postgres.
 */
export const migration006TraceContext: Migration = {
  async up(db: Kysely<any>): Promise<void> {
    await db.schema.alterTable("deliveries").addColumn("traceparent", "text").execute();
  },

  async down(db: Kysely<any>): Promise<void> {
    await db.schema.alterTable("deliveries").dropColumn("traceparent").execute();
  },
};
