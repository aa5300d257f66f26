import type { Kysely } from "kysely";
import { deliveryFilterExpression } from "../delivery-filter.js";
import type { StoreSchema } from "../schema.js";
import type { DeliveryFilter } from "../types.js";

/**
 * How many deliveries match a filter.
 * @example
 * await countDeliveries(db, { endpoint: "sync", status: ["retrying", "dead"] }); // 3
 */
export async function countDeliveries(db: Kysely<StoreSchema>, filter: DeliveryFilter): Promise<number> {
  const row = await db
    .selectFrom("deliveries")
    .select((eb) => eb.fn.countAll().as("n"))
    .where((eb) => deliveryFilterExpression(eb, filter))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
