import type { Kysely } from "kysely";
import type { StoreSchema } from "../schema.js";

/**
 * Retention: delete succeeded (and skipped) deliveries finished before a time, and their attempts, in one transaction.
 * Failed and dead ones are kept: they are what an operator still has to look at.
 * @example
 * await pruneDeliveries(db, { succeededBefore: clock.now() - 7 * 86_400_000 }); // rows deleted
 */
export async function pruneDeliveries(db: Kysely<StoreSchema>, input: { succeededBefore: number }): Promise<number> {
  return db.transaction().execute(async (trx) => {
    // received_at < cutoff is implied (received before finished) and lets the (status, received_at)
    // index find the candidates instead of scanning every succeeded row.
    const old = trx
      .selectFrom("deliveries")
      .select("id")
      .where("status", "in", ["succeeded", "skipped"])
      .where("received_at", "<", input.succeededBefore)
      .where("finished_at", "<", input.succeededBefore);
    await trx.deleteFrom("delivery_attempts").where("delivery_id", "in", old).execute();
    const result = await trx
      .deleteFrom("deliveries")
      .where("status", "in", ["succeeded", "skipped"])
      .where("received_at", "<", input.succeededBefore)
      .where("finished_at", "<", input.succeededBefore)
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  });
}
