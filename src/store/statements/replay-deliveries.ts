import type { ExpressionBuilder, Kysely } from "kysely";
import { deliveryFilterExpression } from "../delivery-filter.js";
import { toDeliveryRecord } from "../row-mapping.js";
import type { StoreSchema } from "../schema.js";
import type { DeliveryFilter, DeliveryRecord } from "../types.js";

/**
 * A new series of attempts: queued and due now, with the per-series budget granted again on top of the
 * attempts already made (attempt numbers keep growing, so history rows and the settle guard stay unique).
 * The last result stays until the next success overwrites it; errors live on in the history.
 */
function newSeries(eb: ExpressionBuilder<StoreSchema, "deliveries">, now: number) {
  // completed_steps stays: a replay after a failure runs only the steps that have not succeeded; a succeeded
  // delivery has none left (its settle cleared them), so replaying it runs everything again, on purpose.
  return {
    status: "queued" as const,
    next_attempt_at: now,
    max_attempts: eb("attempts", "+", eb.ref("attempt_budget")),
    lease_until: null,
    error: null,
    duration_ms: null,
    finished_at: null,
    updated_at: now,
  };
}

/**
 * Replay one delivery (not while it runs).
 * @example
 * const again = await replayDelivery(db, "dlv_...", clock.now()); // null if unknown or running
 */
export async function replayDelivery(db: Kysely<StoreSchema>, id: string, now: number): Promise<DeliveryRecord | null> {
  const row = await db
    .updateTable("deliveries")
    .set((eb) => newSeries(eb, now))
    .where("id", "=", id)
    .where("status", "<>", "running")
    .returningAll()
    .executeTakeFirst();
  return row ? toDeliveryRecord(row) : null;
}

/**
 * Replay every non-running delivery matching a filter, in one statement.
 * @example
 * await replayMatching(db, { endpoint: "sync", status: "dead" }, clock.now()); // 12
 */
export async function replayMatching(db: Kysely<StoreSchema>, filter: DeliveryFilter, now: number): Promise<number> {
  const result = await db
    .updateTable("deliveries")
    .set((eb) => newSeries(eb, now))
    .where((eb) => deliveryFilterExpression(eb, filter))
    .where("status", "<>", "running")
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}
