// The SQL of the per-delivery statements on Postgres, for one schema. Batches travel as arrays (unnest), so a group
// commit is one statement however many deliveries it holds. Statements are named: node-postgres prepares each
// once per connection.
import { LEASE_EXPIRED_ERROR } from "../sqlite/hot-sql.js";

export { LEASE_EXPIRED_ERROR };

/** The channel every replica LISTENs on; payloads are `ChangeNotice` JSON. */
export const CHANGES_CHANNEL = "hubhooks_changes";

export type HotSql = ReturnType<typeof hotSql>;

/**
 * Every hot statement for `schema` (an identifier already checked by `checkSchemaName`).
 * @example
 * const sql = hotSql("hubhooks"); await client.query({ name: "hh-claim", text: sql.claimBatch, values });
 */
export function hotSql(schema: string) {
  const t = (table: string) => `"${schema}".${table}`;
  const lostAttemptRecorded = (alias: string) =>
    `EXISTS (SELECT 1 FROM ${t("delivery_attempts")} a WHERE a.delivery_id = ${alias}.id AND a.attempt = ${alias}.attempts)`;
  const due = (alias: string, now: string) => `${alias}.next_attempt_at IS NOT NULL AND (
      (${alias}.status IN ('queued', 'retrying') AND ${alias}.next_attempt_at <= ${now})
      OR (${alias}.status = 'running' AND ${alias}.lease_until <= ${now} AND ${alias}.attempts < ${alias}.max_attempts
        AND ${lostAttemptRecorded(alias)}))`;
  const claimSet = "status = 'running', attempts = d.attempts + 1, lease_until = $2, started_at = $1, updated_at = $1";
  /**
   * Due rows of one endpoint, oldest first, as index-ordered scans of deliveries_due (status, next_attempt_at, id), one
   * per claimable status (a single ORDER BY over "queued or retrying or expired-running" made Postgres read and sort
   * the whole backlog for every claim: quadratic drains). `limit` candidates each: more than the slots, so
   * replicas claiming together find rows the others have not locked.
   */
  const dueCandidates = (keyed: string, limit: string, endpoint: string) => {
    const scan = (status: string, extra: string) => `(SELECT c.id, c.next_attempt_at FROM ${t("deliveries")} c
      WHERE c.status = '${status}' AND c.next_attempt_at IS NOT NULL AND ${extra} AND c.endpoint = ${endpoint} AND ${keyed}
      ORDER BY c.next_attempt_at, c.id LIMIT ${limit})`;
    return `${scan("queued", "c.next_attempt_at <= $1")} UNION ALL ${scan("retrying", "c.next_attempt_at <= $1")}
      UNION ALL ${scan("running", `c.lease_until <= $1 AND c.attempts < c.max_attempts AND ${lostAttemptRecorded("c")}`)}`;
  };
  const expired = (endpoints: string) =>
    `status = 'running' AND next_attempt_at IS NOT NULL AND lease_until <= $1 AND endpoint = ANY(${endpoints})`;
  /** Sorted by (endpoint, webhook_id): replicas inserting overlapping batches take the unique index's locks in one order. */
  const insertSql = `
INSERT INTO ${t("deliveries")} (id, endpoint, body, headers, url, webhook_id, scope, action, repo_type, repo_name,
  ordering_key, status, attempts, max_attempts, attempt_budget, next_attempt_at, lease_until, started_at, error,
  received_at, updated_at, finished_at, traceparent)
SELECT id, endpoint, body, headers, url, webhook_id, scope, action, repo_type, repo_name, ordering_key, status, attempts,
  max_attempts, max_attempts, next_attempt_at, lease_until, started_at, error, now, now, finished_at, traceparent
FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[],
  $10::text[], $11::text[], $12::text[], $13::int[], $14::int[], $15::bigint[], $16::bigint[], $17::bigint[],
  $18::bigint[], $19::text[], $20::bigint[], $21::text[])
  WITH ORDINALITY AS t(id, endpoint, body, headers, url, webhook_id, scope, action, repo_type, repo_name, ordering_key,
    status, attempts, max_attempts, now, lease_until, started_at, next_attempt_at, error, finished_at, traceparent, ord)
ORDER BY endpoint, webhook_id, ord
ON CONFLICT (webhook_id, endpoint) WHERE webhook_id IS NOT NULL DO NOTHING
RETURNING id`;
  return {
    insertMany: insertSql,
    /** insertMany with its NOTIFY in the same statement ($22 the channel, $23 the payload): one round trip, autocommit. */
    insertManyNotify: `
WITH ins AS (${insertSql}), n AS (SELECT pg_notify($22, $23) AS sent)
SELECT ins.id FROM ins LEFT JOIN n ON true`,
    requeueDuplicate: `
UPDATE ${t("deliveries")} SET status = 'queued', next_attempt_at = $1, max_attempts = attempts + $2, attempt_budget = $2,
  lease_until = NULL, error = NULL, duration_ms = NULL, finished_at = NULL, updated_at = $1,
  traceparent = coalesce($5, traceparent)
WHERE webhook_id = $3 AND endpoint = $4 AND status IN ('retrying', 'dead', 'invalid')
RETURNING *`,
    selectByWebhookId: `SELECT * FROM ${t("deliveries")} WHERE webhook_id = $1 AND endpoint = $2`,
    /** A requeued delivery recorded with a lease (a hand-off, a Job's own re-run): taken at once, attempt counted. */
    leaseRequeued: `
UPDATE ${t("deliveries")} SET status = 'running', attempts = attempts + 1, lease_until = $3, started_at = $2, updated_at = $2
WHERE id = $1 AND status = 'queued'
RETURNING *`,
    leaseExpiredCheck: `SELECT id FROM ${t("deliveries")} WHERE ${expired("$2")} LIMIT 1`,
    recordLostAttempts: `
INSERT INTO ${t("delivery_attempts")} (delivery_id, attempt, started_at, finished_at, duration_ms, outcome, error, stack)
SELECT id, attempts, coalesce(started_at, lease_until), lease_until, lease_until - coalesce(started_at, lease_until),
  'lease-expired', $3, NULL
FROM ${t("deliveries")} WHERE ${expired("$2")}
ON CONFLICT (delivery_id, attempt) DO NOTHING`,
    killExhausted: `
UPDATE ${t("deliveries")} SET status = 'dead', error = $3, lease_until = NULL, next_attempt_at = NULL, finished_at = $1,
  updated_at = $1
WHERE ${expired("$2")} AND attempts >= max_attempts`,
    /** Up to $4 due deliveries of endpoint $3 without an ordering key; rows another replica is claiming are skipped. */
    claimBatch: `
UPDATE ${t("deliveries")} d SET ${claimSet}
WHERE d.id IN (
  SELECT l.id FROM ${t("deliveries")} l
  WHERE l.id IN (SELECT id FROM (${dueCandidates("c.ordering_key IS NULL", "$4 * 4", "$3")}) cand) AND ${due("l", "$1")}
  ORDER BY l.next_attempt_at, l.id LIMIT $4
  FOR UPDATE SKIP LOCKED)
RETURNING d.*`,
    /** The oldest due keyed delivery of endpoint $3 whose key has nothing running under a live lease. */
    keyedCandidate: `
SELECT k.id, k.ordering_key FROM ${t("deliveries")} k
WHERE k.id IN (SELECT id FROM (${dueCandidates("c.ordering_key IS NOT NULL", "32", "$2")}) cand) AND ${due("k", "$1")}
  AND NOT EXISTS (SELECT 1 FROM ${t("deliveries")} o WHERE o.endpoint = k.endpoint AND o.ordering_key = k.ordering_key
    AND o.id <> k.id AND o.status = 'running' AND o.next_attempt_at IS NOT NULL AND o.lease_until > $1)
ORDER BY k.next_attempt_at, k.id LIMIT 1
FOR UPDATE SKIP LOCKED`,
    /** The claim of one keyed delivery, re-checked under the key's lock (held by this transaction). */
    claimKeyed: `
UPDATE ${t("deliveries")} d SET ${claimSet}
WHERE d.id = $3 AND ${due("d", "$1")}
  AND NOT EXISTS (SELECT 1 FROM ${t("deliveries")} o WHERE o.endpoint = d.endpoint AND o.ordering_key = d.ordering_key
    AND o.id <> d.id AND o.status = 'running' AND o.next_attempt_at IS NOT NULL AND o.lease_until > $1)
RETURNING d.*`,
    /**
     * Non-blocking: a transaction may claim several keys, and waiting for a key another replica holds while holding
     * one it waits for would deadlock. Not obtained = that replica is claiming the key right now: skip it.
     */
    keyLock: `SELECT pg_try_advisory_xact_lock(hashtext($1)) AS locked`,
    /**
     * Settles as arrays, one statement: each update is fenced by its attempt number, and only the applied ones get
     * their history row (the real outcome wins over a "lease-expired" row written meanwhile).
     */
    settleMany: `
WITH s AS (
  SELECT * FROM unnest($1::text[], $2::int[], $3::text[], $4::boolean[], $5::text[], $6::text[], $7::bigint[],
    $8::bigint[], $9::bigint[], $10::bigint[], $11::bigint[], $12::text[], $13::text[], $14::text[], $15::int[])
    AS t(id, attempt, status, set_result, result, error, duration_ms, next_attempt_at, finished_at, now, started_at,
      outcome, stack, completed_steps, refund)),
u AS (
  UPDATE ${t("deliveries")} d SET status = s.status, result = CASE WHEN s.set_result THEN s.result ELSE d.result END,
    error = s.error, duration_ms = s.duration_ms, lease_until = NULL, next_attempt_at = s.next_attempt_at,
    finished_at = s.finished_at, updated_at = s.now, completed_steps = s.completed_steps,
    max_attempts = d.max_attempts + s.refund, attempt_budget = d.attempt_budget + s.refund
  FROM s WHERE d.id = s.id AND d.status = 'running' AND d.attempts = s.attempt
  RETURNING d.id, d.attempts)
INSERT INTO ${t("delivery_attempts")} (delivery_id, attempt, started_at, finished_at, duration_ms, outcome, error, stack)
SELECT s.id, s.attempt, s.started_at, s.now, s.duration_ms, s.outcome, s.error, s.stack
FROM s JOIN u ON u.id = s.id AND u.attempts = s.attempt
ON CONFLICT (delivery_id, attempt) DO UPDATE SET finished_at = excluded.finished_at, duration_ms = excluded.duration_ms,
  outcome = excluded.outcome, error = excluded.error, stack = excluded.stack
RETURNING delivery_id, attempt`,
    /** A debounced or throttled route waits: queued again until $3, the attempt given back to the budget. */
    settleDefer: `
WITH u AS (
  UPDATE ${t("deliveries")} SET status = 'queued', error = $4, duration_ms = $5, lease_until = NULL, next_attempt_at = $3,
    finished_at = NULL, updated_at = $6, completed_steps = $7, max_attempts = max_attempts + 1
  WHERE id = $1 AND status = 'running' AND attempts = $2
  RETURNING id, attempts)
INSERT INTO ${t("delivery_attempts")} (delivery_id, attempt, started_at, finished_at, duration_ms, outcome, error, stack)
SELECT u.id, u.attempts, $8, $6, $5, 'deferred', $4, NULL FROM u
ON CONFLICT (delivery_id, attempt) DO UPDATE SET finished_at = excluded.finished_at, duration_ms = excluded.duration_ms,
  outcome = excluded.outcome, error = excluded.error, stack = excluded.stack
RETURNING delivery_id, attempt`,
    scheduleEnsure: `INSERT INTO ${t("trigger_schedules")} (endpoint, step, schedule_key, state, updated_at) VALUES ($1, $2, $3, 'null', $4)
ON CONFLICT (endpoint, step, schedule_key) DO NOTHING`,
    scheduleLock: `SELECT state FROM ${t("trigger_schedules")} WHERE endpoint = $1 AND step = $2 AND schedule_key = $3 FOR UPDATE`,
    scheduleWrite: `UPDATE ${t("trigger_schedules")} SET state = $4, updated_at = $5 WHERE endpoint = $1 AND step = $2 AND schedule_key = $3`,
    extendLease: `UPDATE ${t("deliveries")} SET lease_until = $3 WHERE id = $1 AND status = 'running' AND attempts = $2`,
    nextDueAfter: `
SELECT least(
  (SELECT min(next_attempt_at) FROM ${t("deliveries")} WHERE status IN ('queued', 'retrying') AND endpoint = ANY($1)
    AND next_attempt_at > $2),
  (SELECT min(lease_until) FROM ${t("deliveries")} WHERE status = 'running' AND next_attempt_at IS NOT NULL
    AND endpoint = ANY($1) AND lease_until > $2)) AS at`,
    notify: `SELECT pg_notify('${CHANGES_CHANNEL}', $1)`,
    /** Retention of debounce/throttle schedules: settled ones (no delivery pending) untouched since the cutoff. */
    pruneSchedules: `DELETE FROM ${t("trigger_schedules")} WHERE updated_at < $1
  AND coalesce(state::jsonb -> 'pending', 'null'::jsonb) = 'null'::jsonb`,
    /** Retention on one replica at a time: the others find the lock taken and skip this round. */
    pruneLock: `SELECT pg_try_advisory_xact_lock(hashtext('hubhooks:prune:${schema}')) AS locked`,
  };
}

/** A schema name used verbatim in SQL: letters, digits and underscores only. */
export function checkSchemaName(schema: string): string {
  if (!/^[A-Za-z_][A-Za-z0-9_]{0,62}$/.test(schema)) {
    throw new TypeError(`[hubhooks] Postgres schema name must be letters, digits and underscores, got "${schema}".`);
  }
  return schema;
}
