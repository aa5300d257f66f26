import { redactText, toError } from "../errors.js";
import type { Logger } from "../internal/logger.js";
import { loggedError } from "../internal/logged-error.js";
import type { HubhooksMetrics } from "../metrics/metrics.js";
import type { DeliveryRecord } from "../store/types.js";
import { errorType, type AttemptEnd, type Telemetry } from "../telemetry/telemetry.js";
import type { GroupCommit } from "./group-commit.js";
import type { OutcomeWaiters } from "./outcome-waiters.js";
import { planFailure } from "./plan-failure.js";
import { Deferred } from "./deferred.js";
import { Skipped } from "./skipped.js";
import type { AttemptResult } from "./run-attempt.js";
import { toStoredResult } from "./stored-result.js";
import type { FailureHooks, QueueEndpoint } from "./types.js";

/** What settling needs from the queue. */
export interface SettleContext {
  /** Settles go out in the next group commit. */
  writes: GroupCommit;
  metrics?: HubhooksMetrics;
  logger?: Logger;
  waiters: OutcomeWaiters;
  /** Removed from the stored and logged error text. */
  secrets: readonly string[];
  hooks?: FailureHooks;
  random: () => number;
  /** Ends each attempt's span (opened by `runAttempt`). */
  telemetry?: Telemetry;
}

/** One finished attempt to settle. */
export interface FinishedAttempt {
  delivery: DeliveryRecord;
  endpoint: QueueEndpoint;
  result: AttemptResult;
  startedAt: number;
  now: number;
  /** Steps that succeeded in this attempt. */
  progress?: readonly string[];
}

/**
 * Write an attempt's outcome (complete, or fail with a retry time or dead), then tell `waitFor` callers
 * (with the live value or error, after the durable write), count it and end its span. A `false` from the store
 * means another worker took the attempt over after our lease expired: its outcome stands, ours is only logged.
 * One log line per attempt, with the delivery's fields bound (no child logger per attempt); errors as pino's `err`
 * (type, message, stack), the secrets removed.
 * @example
 * await settleAttempt(ctx, { delivery, endpoint, result, startedAt, now: clock.now() });
 */
export async function settleAttempt(ctx: SettleContext, attempt: FinishedAttempt): Promise<void> {
  const { span } = attempt.result;
  let end: AttemptEnd = { status: "unknown" };
  try {
    end = await settle(ctx, attempt);
  } catch (error) {
    end = { status: "unknown", error: { type: errorType(error), message: redactText(toError(error).message, ctx.secrets) } };
    throw error;
  } finally {
    if (span && ctx.telemetry) ctx.telemetry.endAttempt(span, end);
    else span?.end();
  }
}

async function settle(ctx: SettleContext, attempt: FinishedAttempt): Promise<AttemptEnd> {
  const { writes, metrics, logger: log, waiters } = ctx;
  const { delivery, endpoint, result, startedAt, now } = attempt;
  const { id, attempts, webhookId } = delivery;
  const name = endpoint.name;
  const fields = { deliveryId: id, endpoint: name, webhookId, attempt: attempts };
  metrics?.handlerDuration(name, (now - startedAt) / 1000);
  if (result.ok && result.value instanceof Skipped) {
    const { reason, as } = result.value;
    const settled = await writes
      .settle({ kind: "skip", as, id, attempt: attempts, now, startedAt, reason })
      .finally(() => waiters.resolve(id, { status: "succeeded", value: null }));
    metrics?.attempt(name, settled ? as : "lease-lost");
    if (!settled) return { status: "lease-lost" };
    metrics?.delivery(name, as);
    if (as === "skipped") log?.info({ ...fields, reason }, "delivery skipped: no handler applied");
    else log?.warn({ ...fields, reason }, "delivery still invalid: quarantined again");
    return { status: as };
  }
  if (result.ok && result.value instanceof Deferred) {
    const { until, reason } = result.value;
    const completedSteps = [...delivery.completedSteps, ...(attempt.progress ?? [])];
    const settled = await writes
      .settle({ kind: "defer", id, attempt: attempts, now, startedAt, until, reason, completedSteps })
      .finally(() => waiters.resolve(id, { status: "deferred", until, reason }));
    if (settled) log?.info({ ...fields, until, reason }, "delivery deferred");
    return { status: settled ? "deferred" : "lease-lost" };
  }
  if (result.ok) {
    const stored = result.value === undefined ? null : await toStoredResult(result.value);
    const settled = await writes
      .settle({ kind: "complete", id, attempt: attempts, now, startedAt, result: stored })
      .finally(() => waiters.resolve(id, { status: "succeeded", value: result.value }));
    metrics?.attempt(name, settled ? "succeeded" : "lease-lost");
    if (!settled) {
      log?.warn(fields, "delivery succeeded, but another worker had taken its attempt over (lease lost)");
      return { status: "lease-lost" };
    }
    metrics?.delivery(name, "succeeded");
    log?.info({ ...fields, durationMs: now - startedAt }, "delivery succeeded");
    return { status: "succeeded" };
  }
  if (result.aborted === "stopped") {
    // The server shut down past its grace period: not the handler's failure. Back to queued, the attempt given
    // back, no failure counted and no hook called; the next process to start runs it again at once.
    const error = redactText(result.error.message || result.error.name, ctx.secrets);
    const completedSteps = [...delivery.completedSteps, ...(attempt.progress ?? [])];
    const settled = await writes
      .settle({ kind: "fail", id, attempt: attempts, now, startedAt, error, stack: null, outcome: "interrupted", nextAttemptAt: now,
        completedSteps, refund: true })
      .finally(() => waiters.resolve(id, { status: "pending" }));
    if (settled) log?.warn({ ...fields, error }, "delivery interrupted by the shutdown: queued again (the attempt is not counted)");
    return { status: settled ? "interrupted" : "lease-lost" };
  }
  const { outcome, nextAttemptAt } = planFailure(delivery, endpoint.retry, result, now, ctx.random);
  const err = loggedError(result.error, ctx.secrets);
  const error = err.message || result.error.name;
  const completedSteps = [...delivery.completedSteps, ...(attempt.progress ?? [])];
  const settled = await writes
    .settle({ kind: "fail", id, attempt: attempts, now, startedAt, error, stack: err.stack ?? null, outcome, nextAttemptAt, completedSteps })
    .finally(() => waiters.resolve(id, { status: "failed", error: result.error, message: error, nextAttemptAt }));
  const failure = { type: outcome === "timeout" ? "timeout" : errorType(result.error), message: error, stack: err.stack ?? null };
  if (!settled) {
    metrics?.attempt(name, "lease-lost");
    log?.warn({ ...fields, err, outcome }, "delivery attempt failed after another worker had taken it over (lease lost)");
    return { status: "lease-lost", error: failure };
  }
  metrics?.attempt(name, outcome === "timeout" || outcome === "non-retryable" ? outcome : "failed");
  if (nextAttemptAt === null) {
    metrics?.delivery(name, "dead");
    log?.error({ ...fields, err, outcome }, "delivery is dead: no attempt left");
  } else {
    log?.warn({ ...fields, err, outcome, retryInMs: nextAttemptAt - now }, "delivery attempt failed; will retry");
  }
  const hookFailure = { delivery, error: result.error, attempt: attempts, nextAttemptAt };
  await callHook(ctx, "onError", hookFailure, fields);
  if (nextAttemptAt === null) await callHook(ctx, "onDead", hookFailure, fields);
  return { status: nextAttemptAt === null ? "dead" : "retrying", error: failure };
}

async function callHook(
  ctx: SettleContext,
  name: keyof FailureHooks,
  failure: Parameters<NonNullable<FailureHooks["onError"]>>[0],
  fields: object,
): Promise<void> {
  const hook = ctx.hooks?.[name];
  if (!hook) return;
  try {
    await hook(failure);
  } catch (error) {
    ctx.logger?.warn({ ...fields, err: loggedError(toError(error), ctx.secrets) }, `the ${name} hook threw`);
  }
}
