import type { Kysely, Migration } from "kysely";

/**
 * The delivery log and its attempt history. Written with kysely's portable schema builder (bigint
 * milliseconds, text JSON) so the Postgres dialect can run the same migration. `ifNotExists` makes a
 * race between two processes migrating one fresh file harmless.
 */
export const migration001Initial: Migration = {
  async up(db: Kysely<any>): Promise<void> {
    await db.schema
      .createTable("deliveries")
      .ifNotExists()
      .addColumn("id", "text", (c) => c.primaryKey())
      .addColumn("endpoint", "text", (c) => c.notNull())
      .addColumn("body", "text", (c) => c.notNull())
      .addColumn("headers", "text", (c) => c.notNull())
      .addColumn("webhook_id", "text")
      .addColumn("scope", "text")
      .addColumn("action", "text")
      .addColumn("repo_type", "text")
      .addColumn("repo_name", "text")
      .addColumn("ordering_key", "text")
      .addColumn("status", "text", (c) => c.notNull())
      .addColumn("attempts", "integer", (c) => c.notNull().defaultTo(0))
      .addColumn("max_attempts", "integer", (c) => c.notNull())
      .addColumn("attempt_budget", "integer", (c) => c.notNull())
      .addColumn("next_attempt_at", "bigint")
      .addColumn("lease_until", "bigint")
      .addColumn("started_at", "bigint")
      .addColumn("result", "text")
      .addColumn("error", "text")
      .addColumn("duration_ms", "bigint")
      .addColumn("received_at", "bigint", (c) => c.notNull())
      .addColumn("updated_at", "bigint", (c) => c.notNull())
      .addColumn("finished_at", "bigint")
      .execute();

    // claim: due work by status then due time; also serves countsByStatus and running-lease scans.
    await db.schema.createIndex("deliveries_claim").ifNotExists().on("deliveries")
      .columns(["status", "next_attempt_at"]).execute();
    // list newest first (keyset on received_at, id), unfiltered or by time range.
    await db.schema.createIndex("deliveries_received").ifNotExists().on("deliveries")
      .columns(["received_at", "id"]).execute();
    await db.schema.createIndex("deliveries_endpoint_received").ifNotExists().on("deliveries")
      .columns(["endpoint", "received_at", "id"]).execute();
    // list by status without scanning a million succeeded rows to find the few dead ones.
    await db.schema.createIndex("deliveries_status_received").ifNotExists().on("deliveries")
      .columns(["status", "received_at", "id"]).execute();
    // Deduplication is enforced by the database, not by a lookup-then-insert in one process.
    await db.schema.createIndex("deliveries_webhook_id").ifNotExists().unique().on("deliveries")
      .columns(["webhook_id", "endpoint"]).where("webhook_id", "is not", null).execute();

    await db.schema
      .createTable("delivery_attempts")
      .ifNotExists()
      .addColumn("delivery_id", "text", (c) => c.notNull())
      .addColumn("attempt", "integer", (c) => c.notNull())
      .addColumn("started_at", "bigint", (c) => c.notNull())
      .addColumn("finished_at", "bigint")
      .addColumn("duration_ms", "bigint")
      .addColumn("outcome", "text", (c) => c.notNull())
      .addColumn("error", "text")
      .addColumn("stack", "text")
      .addPrimaryKeyConstraint("delivery_attempts_pk", ["delivery_id", "attempt"])
      .execute();
  },

  async down(db: Kysely<any>): Promise<void> {
    await db.schema.dropTable("delivery_attempts").ifExists().execute();
    await db.schema.dropTable("deliveries").ifExists().execute();
  },
};
