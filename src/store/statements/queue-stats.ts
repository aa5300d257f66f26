import type { Kysely } from "kysely";
import { queryTemplate } from "../query-template.js";
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

/**
 * When the queue next has something to do among `endpoints`: the earliest due time of a queued/failed
 * delivery or lease expiry of a running one (strictly after `after` when given).
 * @example
 * await nextDueAt(db, ["sync"], clock.now()); // 1767225605000, or null when nothing is pending
 */
export async function nextDueAt(db: Kysely<StoreSchema>, endpoints: string[], after?: number): Promise<number | null> {
  if (endpoints.length === 0) return null;
  const { rows } = after === undefined ? await nextDue(db, { endpoints }) : await nextDueAfter(db, { endpoints, after });
  const at = rows[0]?.at;
  return at === null || at === undefined ? null : Number(at);
}

/** One statement (the queue asks after every tick): the earlier of the two index-ordered minimums. */
const nextDueQuery = (withAfter: boolean) => (db: Kysely<StoreSchema>, v: { endpoints: string[]; after?: number }) => {
  const pending = db
    .selectFrom("deliveries")
    .select((eb) => eb.fn.min("next_attempt_at").as("at"))
    .where("status", "in", ["queued", "failed"])
    .where("endpoint", "in", v.endpoints)
    .$if(withAfter, (q) => q.where("next_attempt_at", ">", v.after!));
  const leases = db
    .selectFrom("deliveries")
    .select((eb) => eb.fn.min("lease_until").as("at"))
    .where("status", "=", "running")
    .where("endpoint", "in", v.endpoints)
    .$if(withAfter, (q) => q.where("lease_until", ">", v.after!));
  return db.selectFrom(pending.unionAll(leases).as("t")).select((eb) => eb.fn.min("t.at").as("at"));
};
const nextDue = queryTemplate("next-due", nextDueQuery(false));
const nextDueAfter = queryTemplate("next-due-after", nextDueQuery(true));
