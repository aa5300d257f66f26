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


/** What the queue gauges read at scrape time. */
export interface QueueStats {
  /** Deliveries not settled yet, by status (`retrying` = a retry is scheduled). */
  depth: { queued: number; running: number; retrying: number };
  /**
   * When the delivery waiting longest became due: the earliest due time of a queued or retrying one at or before `now`,
   * or the lease expiry of a running one whose worker stopped renewing it; null when nothing is overdue.
   */
  oldestDueAt: number | null;
}

/**
 * The backlog, read from the partial index of unsettled rows (`deliveries_due`, migration 004: only rows with a
 * `next_attempt_at`), never the settled millions: a count per status and two index-ordered minimums.
 * @example
 * await queueStats(db, Date.now()); // { depth: { queued: 3, running: 1, retrying: 0 }, oldestDueAt: 1764000000000 }
 */
export async function queueStats(db: Kysely<StoreSchema>, now: number): Promise<QueueStats> {
  const [counts, oldest] = await Promise.all([
    db.selectFrom("deliveries")
      .select((eb) => ["status", eb.fn.countAll().as("n")])
      .where("next_attempt_at", "is not", null)
      .groupBy("status")
      .execute(),
    db.selectNoFrom((eb) => [
      eb.selectFrom("deliveries").select((s) => s.fn.min("next_attempt_at").as("at"))
        .where("status", "in", ["queued", "retrying"]).where("next_attempt_at", "is not", null)
        .where("next_attempt_at", "<=", now).as("due"),
      eb.selectFrom("deliveries").select((s) => s.fn.min("lease_until").as("at"))
        .where("status", "=", "running").where("next_attempt_at", "is not", null)
        .where("lease_until", "<=", now).as("lost"),
    ]).executeTakeFirst(),
  ]);
  const depth = { queued: 0, running: 0, retrying: 0 };
  for (const row of counts) if (row.status in depth) depth[row.status as keyof typeof depth] = Number(row.n);
  const times = [oldest?.due, oldest?.lost].filter((t) => t !== null && t !== undefined).map(Number);
  return { depth, oldestDueAt: times.length ? Math.min(...times) : null };
}
