import type { Kysely } from "kysely";
import type { StoreSchema } from "../schema.js";
import { DELIVERY_STATUSES, type DeliveryStatus } from "../types.js";

/**
 * How many deliveries are in each status (zeros included), for the queue-depth gauge.
 * @example
 * await countsByStatus(db); // { queued: 2, running: 1, succeeded: 40, failed: 0, dead: 1 }
 */
export async function countsByStatus(db: Kysely<StoreSchema>): Promise<Record<DeliveryStatus, number>> {
  const rows = await db
    .selectFrom("deliveries")
    .select((eb) => ["status", eb.fn.countAll().as("n")])
    .groupBy("status")
    .execute();
  const counts = Object.fromEntries(DELIVERY_STATUSES.map((s) => [s, 0])) as Record<DeliveryStatus, number>;
  for (const row of rows) if (row.status in counts) counts[row.status] = Number(row.n);
  return counts;
}

