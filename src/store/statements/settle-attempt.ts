import type { Kysely, Updateable } from "kysely";
import { resultToJson } from "../row-mapping.js";
import { queryTemplate } from "../query-template.js";
import type { DeliveriesTable, DeliveryAttemptsTable, StoreSchema } from "../schema.js";
import type { AttemptOutcome, CompleteInput, FailInput } from "../types.js";

interface AttemptEnd {
  now: number;
  startedAt: number;
  outcome: AttemptOutcome;
  error: string | null;
  stack: string | null;
}

/** Columns a settle writes; `result` only on success (a failure keeps the last result). */
type Settled = Required<Pick<Updateable<DeliveriesTable>,
  "status" | "error" | "duration_ms" | "lease_until" | "next_attempt_at" | "finished_at" | "updated_at">> & { result?: string | null };

interface Guard {
  id: string;
  attempt: number;
}

// Same SQL for both updates but for the `result` column, so each is its own template.
const guardedUpdate = (withResult: boolean) =>
  queryTemplate(`settle-${withResult ? "complete" : "fail"}`, (db: Kysely<StoreSchema>, v: Settled & Guard) =>
    db
      .updateTable("deliveries")
      .set({
        status: v.status,
        ...(withResult ? { result: v.result } : {}),
        error: v.error,
        duration_ms: v.duration_ms,
        lease_until: v.lease_until,
        next_attempt_at: v.next_attempt_at,
        finished_at: v.finished_at,
        updated_at: v.updated_at,
      })
      .where("id", "=", v.id)
      .where("status", "=", "running")
      .where("attempts", "=", v.attempt)
      .returning("id"),
  );
const completeUpdate = guardedUpdate(true);
const failUpdate = guardedUpdate(false);

// The claim may have presumed this attempt lost (lease-expired) while it was still running: the real
// outcome wins.
const historyUpsert = queryTemplate("settle-history", (db: Kysely<StoreSchema>, row: DeliveryAttemptsTable) =>
  db
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
    ),
);

/**
 * Apply `changes` to a delivery only if it is still running with attempt number `attempt` (so a late
 * worker can't clobber a re-claim), and write that attempt's history row, in one transaction.
 */
async function settleAttempt(
  db: Kysely<StoreSchema>,
  id: string,
  attempt: number,
  changes: Settled,
  end: AttemptEnd,
): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const update = "result" in changes ? completeUpdate : failUpdate;
    const { rows } = await update(trx, { ...changes, id, attempt });
    if (rows.length === 0) return false;
    await historyUpsert(trx, {
      delivery_id: id,
      attempt,
      started_at: end.startedAt,
      finished_at: end.now,
      duration_ms: Math.max(0, end.now - end.startedAt),
      outcome: end.outcome,
      error: end.error,
      stack: end.stack,
    });
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
