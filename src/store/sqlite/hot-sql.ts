// The SQL of the per-delivery statements on SQLite, prepared once per connection (see SqliteDeliveryStore).
// Named parameters (`:now`) are bound from plain objects. `:endpoints` is a JSON array read with json_each, so
// one statement text serves any set of endpoints (and one prepared statement).

/** Error text of an attempt lost because its worker stopped renewing the lease. */
export const LEASE_EXPIRED_ERROR = "Lease expired: the worker stopped renewing it (process crashed, hung or was stopped).";

const IN_ENDPOINTS = "IN (SELECT value FROM json_each(:endpoints))";

/** Insert unless (webhook_id, endpoint) exists; `changes` tells which. Running + attempt 1 for a hand-off. */
export const INSERT_DELIVERY = `
INSERT INTO deliveries (id, endpoint, body, headers, url, webhook_id, scope, action, repo_type, repo_name, ordering_key,
  status, attempts, max_attempts, attempt_budget, next_attempt_at, lease_until, started_at, error, received_at,
  updated_at, finished_at, traceparent)
VALUES (:id, :endpoint, :body, :headers, :url, :webhook_id, :scope, :action, :repo_type, :repo_name, :ordering_key,
  :status, :attempts, :max_attempts, :max_attempts, :next_attempt_at, :lease_until, :started_at, :error, :now, :now,
  :finished_at, :traceparent)
ON CONFLICT (webhook_id, endpoint) WHERE webhook_id IS NOT NULL DO NOTHING`;

/** A Hub re-delivery (or "Replay") of a failed/dead one: a new series of attempts, due now, traced to that request. */
export const REQUEUE_DUPLICATE = `
UPDATE deliveries SET status = 'queued', next_attempt_at = :now, max_attempts = attempts + :max_attempts,
  attempt_budget = :max_attempts, lease_until = NULL, error = NULL, duration_ms = NULL, finished_at = NULL,
  updated_at = :now, traceparent = coalesce(:traceparent, traceparent)
WHERE webhook_id = :webhook_id AND endpoint = :endpoint AND status IN ('retrying', 'dead', 'invalid')
RETURNING *`;

/** A requeued delivery recorded with a lease (a hand-off, a Job's own re-run): taken at once, attempt counted. */
export const LEASE_REQUEUED = `
UPDATE deliveries SET status = 'running', attempts = attempts + 1, lease_until = :lease_until, started_at = :now,
  updated_at = :now
WHERE id = :id AND status = 'queued'
RETURNING *`;

export const SELECT_BY_WEBHOOK_ID = "SELECT * FROM deliveries WHERE webhook_id = :webhook_id AND endpoint = :endpoint";

/** Any attempt among the endpoints running under an expired lease? (Only running rows are read.) */
export const LEASE_EXPIRED_CHECK = `
SELECT id FROM deliveries WHERE status = 'running' AND next_attempt_at IS NOT NULL AND lease_until <= :now
  AND endpoint ${IN_ENDPOINTS} LIMIT 1`;

/** Lost attempts get a history row; a late worker that settles after all replaces it (see SETTLE_HISTORY). */
export const RECORD_LOST_ATTEMPTS = `
INSERT INTO delivery_attempts (delivery_id, attempt, started_at, finished_at, duration_ms, outcome, error, stack)
SELECT id, attempts, coalesce(started_at, lease_until), lease_until, lease_until - coalesce(started_at, lease_until),
  'lease-expired', :error, NULL
FROM deliveries WHERE status = 'running' AND next_attempt_at IS NOT NULL AND lease_until <= :now
  AND endpoint ${IN_ENDPOINTS}
ON CONFLICT (delivery_id, attempt) DO NOTHING`;

/** A lost attempt that was the last one allowed: dead. */
export const KILL_EXHAUSTED = `
UPDATE deliveries SET status = 'dead', error = :error, lease_until = NULL, next_attempt_at = NULL, finished_at = :now,
  updated_at = :now
WHERE status = 'running' AND next_attempt_at IS NOT NULL AND lease_until <= :now AND endpoint ${IN_ENDPOINTS}
  AND attempts >= max_attempts`;

const LOST_ATTEMPT_RECORDED = (t: string) =>
  `EXISTS (SELECT 1 FROM delivery_attempts a WHERE a.delivery_id = ${t}.id AND a.attempt = ${t}.attempts)`;

const UNBLOCKED = `(d.ordering_key IS NULL OR NOT EXISTS (SELECT 1 FROM deliveries o WHERE o.endpoint = d.endpoint
  AND o.ordering_key = d.ordering_key AND o.id <> d.id AND o.status = 'running' AND o.next_attempt_at IS NOT NULL
  AND o.lease_until > :now))`;

/**
 * Due rows of one status, oldest first, index-ordered on (status, next_attempt_at, id): a partial index of the
 * rows with a next_attempt_at (migration 004), which every term here implies. A running row is due
 * when its lease expired, it has an attempt left and its lost attempt is already in the history.
 * LIMIT is a literal: SQLite stops an index-ordered scan early only for a LIMIT it sees when planning.
 */
function candidates(status: "queued" | "retrying" | "running", where: string, limit: number): string {
  const due = status === "running"
    ? `d.next_attempt_at IS NOT NULL AND d.lease_until <= :now AND d.attempts < d.max_attempts AND ${LOST_ATTEMPT_RECORDED("d")}`
    : "d.next_attempt_at <= :now";
  return `SELECT * FROM (SELECT d.id, d.next_attempt_at FROM deliveries d WHERE d.status = '${status}' AND ${where}
    AND ${due} ORDER BY d.next_attempt_at, d.id LIMIT ${limit})`;
}

function oldestDue(where: string, limit: number): string {
  return `SELECT id FROM (${candidates("queued", where, limit)} UNION ALL ${candidates("retrying", where, limit)}
    UNION ALL ${candidates("running", where, limit)}) ORDER BY next_attempt_at, id LIMIT ${limit}`;
}

const CLAIM_SET = "status = 'running', attempts = attempts + 1, lease_until = :lease_until, started_at = :now, updated_at = :now";

/**
 * One conditional UPDATE ... RETURNING: the oldest due, unblocked delivery among the endpoints (a delivery whose
 * ordering key has another one running under a live lease is skipped) becomes running with attempts+1.
 */
export const CLAIM_ONE = `
UPDATE deliveries SET ${CLAIM_SET}
WHERE id = (${oldestDue(`d.endpoint ${IN_ENDPOINTS} AND ${UNBLOCKED}`, 1)})
RETURNING *`;

/**
 * Up to `limit` due deliveries of one endpoint WITHOUT an ordering key in one statement (keyed ones are
 * claimed one at a time by CLAIM_ONE, which is what keeps two of one key from running together).
 * @example
 * raw.prepare(claimBatchSql(8)).all({ endpoint: "sync", now, lease_until });
 */
export function claimBatchSql(limit: number): string {
  return `UPDATE deliveries SET ${CLAIM_SET}
WHERE id IN (${oldestDue("d.endpoint = :endpoint AND d.ordering_key IS NULL", limit)})
RETURNING *`;
}

const SETTLE_GUARD = "WHERE id = :id AND status = 'running' AND attempts = :attempt";

export const SETTLE_COMPLETE = `
UPDATE deliveries SET status = 'succeeded', result = :result, error = NULL, duration_ms = :duration_ms,
  lease_until = NULL, next_attempt_at = NULL, finished_at = :now, updated_at = :now, completed_steps = NULL
${SETTLE_GUARD}`;

/** A failure keeps the last result. `:refund` (0 or 1) gives an interrupted attempt back to the budget. */
export const SETTLE_FAIL = `
UPDATE deliveries SET status = :status, error = :error, duration_ms = :duration_ms, lease_until = NULL,
  max_attempts = max_attempts + :refund, attempt_budget = attempt_budget + :refund,
  next_attempt_at = :next_attempt_at, finished_at = :finished_at, updated_at = :now, completed_steps = :completed_steps
${SETTLE_GUARD}`;

/** A debounced or throttled route waits: queued again until its time, the attempt given back to the budget. */
export const SETTLE_DEFER = `
UPDATE deliveries SET status = 'queued', error = :error, duration_ms = :duration_ms, lease_until = NULL,
  next_attempt_at = :next_attempt_at, finished_at = NULL, updated_at = :now, completed_steps = :completed_steps,
  max_attempts = max_attempts + 1
${SETTLE_GUARD}`;

export const SELECT_SCHEDULE = `SELECT state FROM trigger_schedules WHERE endpoint = :endpoint AND step = :step AND schedule_key = :key`;

export const UPSERT_SCHEDULE = `
INSERT INTO trigger_schedules (endpoint, step, schedule_key, state, updated_at) VALUES (:endpoint, :step, :key, :state, :now)
ON CONFLICT (endpoint, step, schedule_key) DO UPDATE SET state = excluded.state, updated_at = excluded.updated_at`;

/** The real outcome wins over a "lease-expired" row the claim may have written meanwhile. */
export const SETTLE_HISTORY = `
INSERT INTO delivery_attempts (delivery_id, attempt, started_at, finished_at, duration_ms, outcome, error, stack)
VALUES (:id, :attempt, :started_at, :now, :duration_ms, :outcome, :error, :stack)
ON CONFLICT (delivery_id, attempt) DO UPDATE SET finished_at = excluded.finished_at,
  duration_ms = excluded.duration_ms, outcome = excluded.outcome, error = excluded.error, stack = excluded.stack`;

export const EXTEND_LEASE = `UPDATE deliveries SET lease_until = :lease_until ${SETTLE_GUARD}`;

/** The earlier of two index-ordered minimums: next retry (queued/retrying) and next lease expiry (running). */
export const NEXT_DUE_AFTER = `
SELECT min(at) AS at FROM (
  SELECT min(next_attempt_at) AS at FROM deliveries WHERE status IN ('queued', 'retrying') AND endpoint ${IN_ENDPOINTS}
    AND next_attempt_at > :after
  UNION ALL
  SELECT min(lease_until) AS at FROM deliveries WHERE status = 'running' AND next_attempt_at IS NOT NULL
    AND endpoint ${IN_ENDPOINTS} AND lease_until > :after)`;

// Retention. received_at < cutoff is implied (received before finished) and lets the (status, received_at) index
// find the candidates instead of scanning every succeeded row.
const OLD_SUCCEEDED = "status IN ('succeeded', 'skipped') AND received_at < :before AND finished_at < :before";
export const PRUNE_ATTEMPTS = `DELETE FROM delivery_attempts WHERE delivery_id IN (SELECT id FROM deliveries WHERE ${OLD_SUCCEEDED})`;
export const PRUNE_DELIVERIES = `DELETE FROM deliveries WHERE ${OLD_SUCCEEDED}`;
/** Debounce/throttle schedules that are settled (no delivery pending: `state.pending` null) and untouched since the cutoff. */
export const PRUNE_SCHEDULES = `DELETE FROM trigger_schedules WHERE updated_at < :before AND json_extract(state, '$.pending') IS NULL`;
