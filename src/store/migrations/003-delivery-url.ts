import type { Kysely, Migration } from "kysely";

/**
 * The URL a delivery was posted to, as received (scheme, host, any mount prefix and query, without `?secret=`),
 * so a retry's `ctx.request.url` is what the first attempt saw instead of a URL rebuilt from the `Host` header.
 * Rows from before this migration have none; they fall back to the rebuilt URL.
 */
export const migration003DeliveryUrl: Migration = {
  async up(db: Kysely<any>): Promise<void> {
    await db.schema.alterTable("deliveries").addColumn("url", "text").execute();
  },

  async down(db: Kysely<any>): Promise<void> {
    await db.schema.alterTable("deliveries").dropColumn("url").execute();
  },
};
