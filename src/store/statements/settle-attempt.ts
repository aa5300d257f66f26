import type { Kysely, Updateable } from "kysely";
import { resultToJson } from "../row-mapping.js";
import type { DeliveriesTable, StoreSchema } from "../schema.js";
import type { AttemptOutcome, CompleteInput, FailInput } from "../types.js";

interface AttemptEnd {
  now: number;
  startedAt: number;
  outcome: AttemptOutcome;
  error: string | null;
  stack: string | null;
}

/**
 * Apply `changes` to a delivery only if it is still running with attempt number `attempt` (so a late
 * worker can't clobber a re-claim), and write that attempt's history row, in one transaction.
 */
async function settleAttempt(
  db: Kysely<StoreSchema>,
  id: string,
  attempt: number,
  changes: Updateable<DeliveriesTable>,
  end: AttemptEnd,
): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const updated = await trx
      .updateTable("deliveries")
      .set(changes)
      .where("id", "=", id)
      .where("status", "=", "running")
      .where("attempts", "=", attempt)
      .returning("id")
      .executeTakeFirst();
    if (!updated) return false;
    const row = {
      delivery_id: id,
      attempt,
      started_at: end.startedAt,
      finished_at: end.now,
      duration_ms: Math.max(0, end.now - end.startedAt),
      outcome: end.outcome,
      error: end.error,
      stack: end.stack,
    };
    // The claim may have presumed this attempt lost (lease-expired) while it was still running: the
    // real outcome wins.
    await trx
      .insertInto("delivery_attempts")
      .values(row)
      .onConflict((oc) =>
        oc.columns(["delivery_id", "attempt"]).doUpdateSet({
          finished_at: row.finished_at,
          duration_ms: row.duration_ms,
          outcome: row.outcome,
          error: row.error,
          stack: row.stack,
        }),
      )
      .execute();
    return true;
  });
}

/**
 * Settle a running attempt as succeeded, storing the handler's result as JSON.
 * @example
 * await completeDelivery(db, d.id, d.attempts, { now, startedAt, result: { ok: true } }); // true
 */
export function completeDelivery(db: Kysely<StoreSchema>, id: string, attempt: number, input: CompleteInput): Promise<boolean> {
  return settleAttempt(
    db,
    id,
    attempt,
    {
      status: "succeeded",
      result: resultToJson(input.result),
      error: null,
      duration_ms: Math.max(0, input.now - input.startedAt),
      lease_until: null,
      next_attempt_at: null,
      finished_at: input.now,
      updated_at: input.now,
    },
    { now: input.now, startedAt: input.startedAt, outcome: "succeeded", error: null, stack: null },
  );
}

/**
 * Settle a running attempt as failed: retried at `nextAttemptAt`, or dead when it is null.
 * @example
 * await failDelivery(db, d.id, d.attempts, { now, startedAt, error: "boom", stack: null, outcome: "failed",
 *   nextAttemptAt: now + 1_000 }); // true
 */
export function failDelivery(db: Kysely<StoreSchema>, id: string, attempt: number, input: FailInput): Promise<boolean> {
  const dead = input.nextAttemptAt === null;
  return settleAttempt(
    db,
    id,
    attempt,
    {
      status: dead ? "dead" : "failed",
      error: input.error,
      duration_ms: Math.max(0, input.now - input.startedAt),
      lease_until: null,
      next_attempt_at: input.nextAttemptAt,
      finished_at: dead ? input.now : null,
      updated_at: input.now,
    },
    { now: input.now, startedAt: input.startedAt, outcome: input.outcome, error: input.error, stack: input.stack },
  );
}
