import { storedJson } from "../payload/json-depth.js";
import type { AttemptRow, DeliveryRow } from "./schema.js";
import type { AttemptRecord, DeliveryRecord, NewDelivery } from "./types.js";

// Number() everywhere: Postgres drivers return BIGINT as strings.
const num = (value: unknown): number => Number(value);
const numOrNull = (value: unknown): number | null => (value === null || value === undefined ? null : Number(value));

/**
 * A `deliveries` row as the public record (JSON columns parsed).
 * @example
 * const record = toDeliveryRecord(row); // record.headers is an object
 */
export function toDeliveryRecord(row: DeliveryRow): DeliveryRecord {
  return {
    id: row.id,
    endpoint: row.endpoint,
    status: row.status,
    attempts: num(row.attempts),
    maxAttempts: num(row.max_attempts),
    attemptBudget: num(row.attempt_budget),
    nextAttemptAt: numOrNull(row.next_attempt_at),
    leaseUntil: numOrNull(row.lease_until),
    startedAt: numOrNull(row.started_at),
    webhookId: row.webhook_id,
    scope: row.scope,
    action: row.action,
    repoType: row.repo_type,
    repoName: row.repo_name,
    orderingKey: row.ordering_key,
    headers: JSON.parse(row.headers) as Record<string, string>,
    url: row.url ?? null,
    body: row.body,
    // A result too deep to serialise again (a handler's Response body) stays text: the API must not fail on it.
    result: row.result === null ? undefined : storedJson(row.result),
    error: row.error,
    durationMs: numOrNull(row.duration_ms),
    receivedAt: num(row.received_at),
    updatedAt: num(row.updated_at),
    finishedAt: numOrNull(row.finished_at),
    completedSteps: row.completed_steps ? (JSON.parse(row.completed_steps) as string[]) : [],
    traceparent: row.traceparent ?? null,
  };
}

/**
 * A `delivery_attempts` row as the public record.
 * @example
 * const attempts = rows.map(toAttemptRecord);
 */
export function toAttemptRecord(row: AttemptRow): AttemptRecord {
  return {
    deliveryId: row.delivery_id,
    attempt: num(row.attempt),
    startedAt: num(row.started_at),
    finishedAt: numOrNull(row.finished_at),
    durationMs: numOrNull(row.duration_ms),
    outcome: row.outcome,
    error: row.error,
    stack: row.stack,
  };
}

/**
 * A handler result as JSON text; undefined becomes null and what JSON can't hold (BigInt, cycles)
 * is stored as its string form rather than failing a delivery that succeeded.
 * @example
 * resultToJson(undefined); // "null"
 */
export function resultToJson(result: unknown): string {
  try {
    return JSON.stringify(result === undefined ? null : result) ?? "null";
  } catch {
    return JSON.stringify(String(result));
  }
}

/**
 * The record of a row an engine just inserted for `input`, built from what was written (no read back): running
 * with attempt 1 for a hand-off (`leaseUntil`), `invalid` and settled for a quarantined payload, else queued.
 * @example
 * const delivery = newDeliveryRecord(id, input, redactHeaders(input.headers));
 */
export function newDeliveryRecord(id: string, input: NewDelivery, headers: Record<string, string>): DeliveryRecord {
  const invalid = input.invalid !== undefined;
  const leased = !invalid && input.leaseUntil !== undefined;
  return {
    id,
    endpoint: input.endpoint,
    status: invalid ? "invalid" : leased ? "running" : "queued",
    attempts: leased ? 1 : 0,
    maxAttempts: input.maxAttempts,
    attemptBudget: input.maxAttempts,
    nextAttemptAt: invalid ? null : input.now,
    leaseUntil: leased ? input.leaseUntil! : null,
    startedAt: leased ? input.now : null,
    webhookId: input.webhookId,
    scope: input.scope,
    action: input.action,
    repoType: input.repoType,
    repoName: input.repoName,
    orderingKey: input.orderingKey,
    headers,
    url: input.url ?? null,
    body: input.body,
    result: undefined,
    error: input.invalid ?? null,
    durationMs: null,
    receivedAt: input.now,
    updatedAt: input.now,
    finishedAt: invalid ? input.now : null,
    completedSteps: [],
    traceparent: input.traceparent ?? null,
  };
}
