import type { Kysely } from "kysely";
import { toAttemptRecord, toDeliveryRecord } from "../row-mapping.js";
import type { StoreSchema } from "../schema.js";
import type { AttemptRecord, DeliveryRecord } from "../types.js";

/**
 * One delivery by id.
 * @example
 * const delivery = await getDelivery(db, "dlv_..."); // null if unknown or pruned
 */
export async function getDelivery(db: Kysely<StoreSchema>, id: string): Promise<DeliveryRecord | null> {
  const row = await db.selectFrom("deliveries").selectAll().where("id", "=", id).executeTakeFirst();
  return row ? toDeliveryRecord(row) : null;
}

/**
 * A delivery's attempt history, oldest first.
 * @example
 * const history = await listAttempts(db, "dlv_..."); // [{ attempt: 1, outcome: "failed", ... }, ...]
 */
export async function listAttempts(db: Kysely<StoreSchema>, id: string): Promise<AttemptRecord[]> {
  const rows = await db
    .selectFrom("delivery_attempts")
    .selectAll()
    .where("delivery_id", "=", id)
    .orderBy("attempt")
    .execute();
  return rows.map(toAttemptRecord);
}
