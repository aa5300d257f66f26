import type { Insertable, Kysely } from "kysely";
import { HubhooksError } from "../../errors.js";
import { newDeliveryId } from "../delivery-id.js";
import { redactHeaders } from "../redact-headers.js";
import { toDeliveryRecord } from "../row-mapping.js";
import { queryTemplate } from "../query-template.js";
import type { DeliveriesTable, StoreSchema } from "../schema.js";
import type { DeliveryRecord, NewDelivery, RecordOutcome } from "../types.js";

// Compiled once (see queryTemplate): recording is on every request's path.
const insertRow = queryTemplate("record", (db: Kysely<StoreSchema>, row: Insertable<DeliveriesTable>) =>
  db.insertInto("deliveries").values(row).returningAll(),
);
const insertUnlessDuplicate = queryTemplate("record-dedupe", (db: Kysely<StoreSchema>, row: Insertable<DeliveriesTable>) =>
  db
    .insertInto("deliveries")
    .values(row)
    .onConflict((oc) => oc.columns(["webhook_id", "endpoint"]).where("webhook_id", "is not", null).doNothing())
    .returningAll(),
);

/**
 * Insert a delivery, deduplicated on (webhook_id, endpoint) by a unique index so two processes receiving
 * the same Hub retry can't both insert it. On conflict: a failed/dead one is queued again (a Hub
 * "Replay"), anything else is a duplicate.
 * @example
 * const { outcome } = await recordDelivery(db, input); // "created" | "duplicate" | "requeued"
 */
export async function recordDelivery(
  db: Kysely<StoreSchema>,
  input: NewDelivery,
): Promise<{ delivery: DeliveryRecord; outcome: RecordOutcome }> {
  const row = {
    id: newDeliveryId(input.now),
    endpoint: input.endpoint,
    body: input.body,
    headers: JSON.stringify(redactHeaders(input.headers)),
    webhook_id: input.webhookId,
    scope: input.scope,
    action: input.action,
    repo_type: input.repoType,
    repo_name: input.repoName,
    ordering_key: input.orderingKey,
    status: "queued" as const,
    attempts: 0,
    max_attempts: input.maxAttempts,
    attempt_budget: input.maxAttempts,
    next_attempt_at: input.now,
    received_at: input.now,
    updated_at: input.now,
  };
  const webhookId = input.webhookId;
  if (webhookId === null) {
    const { rows } = await insertRow(db, row);
    return { delivery: toDeliveryRecord(rows[0]!), outcome: "created" };
  }
  // Each step is one conditional statement; a concurrent change between them only moves us to the next
  // step, and a row pruned in between lets the insert succeed on the next round.
  for (let round = 0; round < 3; round++) {
    const { rows: [inserted] } = await insertUnlessDuplicate(db, row);
    if (inserted) return { delivery: toDeliveryRecord(inserted), outcome: "created" };

    const requeued = await db
      .updateTable("deliveries")
      .set((eb) => ({
        status: "queued",
        next_attempt_at: input.now,
        max_attempts: eb("attempts", "+", input.maxAttempts),
        attempt_budget: input.maxAttempts,
        lease_until: null,
        error: null,
        duration_ms: null,
        finished_at: null,
        updated_at: input.now,
      }))
      .where("webhook_id", "=", webhookId)
      .where("endpoint", "=", input.endpoint)
      .where("status", "in", ["failed", "dead"])
      .returningAll()
      .executeTakeFirst();
    if (requeued) return { delivery: toDeliveryRecord(requeued), outcome: "requeued" };

    const existing = await db
      .selectFrom("deliveries")
      .selectAll()
      .where("webhook_id", "=", webhookId)
      .where("endpoint", "=", input.endpoint)
      .executeTakeFirst();
    if (existing) return { delivery: toDeliveryRecord(existing), outcome: "duplicate" };
  }
  throw new HubhooksError("STORE_UNAVAILABLE", "Could not record the delivery: it kept changing concurrently.");
}
