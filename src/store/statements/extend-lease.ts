import type { Kysely } from "kysely";
import type { StoreSchema } from "../schema.js";

/**
 * Renew the lease of a running attempt.
 * @example
 * await extendLease(db, d.id, d.attempts, clock.now() + 30_000); // false once re-claimed or settled
 */
export async function extendLease(db: Kysely<StoreSchema>, id: string, attempt: number, leaseUntil: number): Promise<boolean> {
  const updated = await db
    .updateTable("deliveries")
    .set({ lease_until: leaseUntil })
    .where("id", "=", id)
    .where("status", "=", "running")
    .where("attempts", "=", attempt)
    .returning("id")
    .executeTakeFirst();
  return updated !== undefined;
}
