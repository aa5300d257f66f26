import { sql, type Expression, type ExpressionBuilder, type Kysely, type SqlBool } from "kysely";
import { queryTemplate } from "../query-template.js";
import { toDeliveryRecord } from "../row-mapping.js";
import type { StoreSchema } from "../schema.js";
import type { ClaimInput, DeliveryRecord } from "../types.js";

/** Error text of an attempt lost because its worker stopped renewing the lease. */
export const LEASE_EXPIRED_ERROR = "Lease expired: the worker stopped renewing it (process crashed, hung or was stopped).";

type Deliveries = ExpressionBuilder<StoreSchema, "deliveries">;

// A literal, not a bound `?`: SQLite stops an index-ordered scan at the first row only for a LIMIT it can
// see when planning (a bound LIMIT made each candidate ~10x slower).
const ONE = sql.lit(1);

/**
 * Due: queued/failed and due by now, or running under an expired lease with an attempt left and its lost
 * attempt already in the history (so a lease that expires between `recordLostAttempts` and the claim waits
 * for the next claim instead of losing its history row).
 */
function isDue(eb: Deliveries, now: number): Expression<SqlBool> {
  return eb.or([
    eb.and([eb("status", "in", ["queued", "failed"]), eb("next_attempt_at", "<=", now)]),
    eb.and([
      eb("status", "=", "running"),
      eb("lease_until", "<=", now),
      eb("attempts", "<", eb.ref("max_attempts")),
      lostAttemptRecorded(eb, "deliveries"),
    ]),
  ]);
}

function lostAttemptRecorded(eb: ExpressionBuilder<any, any>, table: "deliveries" | "d"): Expression<SqlBool> {
  return eb.exists(
    eb.selectFrom("delivery_attempts as a")
      .select("a.attempt")
      .whereRef("a.delivery_id", "=", `${table}.id`)
      .whereRef("a.attempt", "=", `${table}.attempts`),
  );
}

/**
 * Claim the oldest due delivery among `endpoints`: ONE conditional `UPDATE ... RETURNING` that counts the
 * attempt and sets the lease, so concurrent workers (or processes) can never claim the same attempt.
 * A delivery whose ordering key has another delivery of the same endpoint running under a live lease is
 * skipped. A cheap indexed check runs first; only when it finds an attempt whose lease expired do two
 * more statements run, in one transaction: those attempts get a history row ("lease-expired"), and those
 * that were the last allowed attempt become dead. So a claim is usually two statements, not three.
 * @example
 * const delivery = await claimDelivery(db, { now: clock.now(), leaseMs: 30_000, endpoints: ["sync"] });
 */
export async function claimDelivery(db: Kysely<StoreSchema>, input: ClaimInput): Promise<DeliveryRecord | null> {
  const { now, leaseMs, endpoints } = input;
  if (endpoints.length === 0) return null;
  const { rows: expired } = await leaseExpiredCheck(db, { now, endpoints });
  if (expired.length > 0) {
    await db.transaction().execute((trx) => recordLostAttempts(trx, now, endpoints));
  }
  const { rows } = await claimStatement(db, { now, leaseUntil: now + leaseMs, endpoints });
  return rows[0] ? toDeliveryRecord(rows[0]) : null;
}

interface ClaimValues {
  now: number;
  leaseUntil: number;
  endpoints: string[];
}

const claimStatement = queryTemplate("claim", (db: Kysely<StoreSchema>, v: ClaimValues) =>
  db
    .updateTable("deliveries")
    .set((eb) => ({
      status: "running",
      attempts: eb("attempts", "+", 1),
      lease_until: v.leaseUntil,
      started_at: v.now,
      updated_at: v.now,
    }))
    .where("id", "=", oldestDue(db, v.now, v.endpoints))
    // Re-checked on the row itself: on Postgres (READ COMMITTED) the subquery's pick may have been claimed.
    .where((eb) => isDue(eb, v.now))
    .returningAll(),
);

/** Any attempt among `endpoints` running under an expired lease? (Few rows: only running ones.) */
const leaseExpiredCheck = queryTemplate("lease-expired-check", (db: Kysely<StoreSchema>, v: Omit<ClaimValues, "leaseUntil">) =>
  db
    .selectFrom("deliveries")
    .select("id")
    .where("status", "=", "running")
    .where("lease_until", "<=", v.now)
    .where("endpoint", "in", v.endpoints)
    .limit(ONE),
);

/**
 * The id of the oldest due, unblocked delivery. One index-ordered LIMIT 1 per claimable status, then the
 * oldest of those (at most three) rows: a single ORDER BY over all due rows would sort the whole backlog
 * on every claim.
 */
function oldestDue(db: Kysely<StoreSchema>, now: number, endpoints: string[]) {
  const candidate = (status: "queued" | "failed" | "running") =>
    db
      .selectFrom("deliveries as d")
      .select(["d.id", "d.next_attempt_at"])
      .where("d.status", "=", status)
      .where("d.endpoint", "in", endpoints)
      .where((d) =>
        status === "running"
          ? d.and([d("d.lease_until", "<=", now), d("d.attempts", "<", d.ref("d.max_attempts")), lostAttemptRecorded(d, "d")])
          : d("d.next_attempt_at", "<=", now),
      )
      .where((d) =>
        d.or([
          d("d.ordering_key", "is", null),
          d.not(
            d.exists(
              d.selectFrom("deliveries as o")
                .select("o.id")
                .whereRef("o.endpoint", "=", "d.endpoint")
                .whereRef("o.ordering_key", "=", "d.ordering_key")
                .whereRef("o.id", "<>", "d.id")
                .where("o.status", "=", "running")
                .where("o.lease_until", ">", now),
            ),
          ),
        ]),
      )
      .orderBy("d.next_attempt_at")
      .orderBy("d.id")
      .limit(ONE);
  const union = db
    .selectFrom(candidate("queued").as("q"))
    .selectAll()
    .unionAll(db.selectFrom(candidate("failed").as("f")).selectAll())
    .unionAll(db.selectFrom(candidate("running").as("r")).selectAll());
  return db.selectFrom(union.as("c")).select("c.id").orderBy("c.next_attempt_at").orderBy("c.id").limit(ONE);
}

async function recordLostAttempts(db: Kysely<StoreSchema>, now: number, endpoints: string[]): Promise<void> {
  const expired = (eb: Deliveries) =>
    eb.and([eb("status", "=", "running"), eb("lease_until", "<=", now), eb("endpoint", "in", endpoints)]);
  await db
    .insertInto("delivery_attempts")
    .columns(["delivery_id", "attempt", "started_at", "finished_at", "duration_ms", "outcome", "error", "stack"])
    .expression((eb) =>
      eb
        .selectFrom("deliveries")
        .select((s) => [
          "id",
          "attempts",
          s.fn.coalesce("started_at", "lease_until").as("started_at"),
          "lease_until",
          s("lease_until", "-", s.fn.coalesce("started_at", "lease_until")).as("duration_ms"),
          s.val("lease-expired").as("outcome"),
          s.val(LEASE_EXPIRED_ERROR).as("error"),
          s.val(null).as("stack"),
        ])
        .where(expired),
    )
    // A late worker that settles this attempt after all replaces the row (see settle-attempt.ts).
    .onConflict((oc) => oc.columns(["delivery_id", "attempt"]).doNothing())
    .execute();
  await db
    .updateTable("deliveries")
    .set({ status: "dead", error: LEASE_EXPIRED_ERROR, lease_until: null, next_attempt_at: null, finished_at: now, updated_at: now })
    .where(expired)
    .where((eb) => eb("attempts", ">=", eb.ref("max_attempts")))
    .execute();
}
