import { HubhooksError, NonRetryableError, redactText, toError } from "../errors.js";
import type { HubClient } from "../hub/hub-client.js";
import type { Clock } from "../internal/clock.js";
import type { Logger } from "../internal/logger.js";
import { Deferred } from "../queue/deferred.js";
import { DEFAULT_RETRY } from "../queue/retry-policy.js";
import { Skipped } from "../queue/skipped.js";
import { toStoredResult } from "../queue/stored-result.js";
import { Endpoint } from "../server/endpoint.js";
import { queueEndpoint } from "../server/queue-endpoint.js";
import { newDeliveryId } from "../store/delivery-id.js";
import { newDeliveryRecord } from "../store/row-mapping.js";
import { runAttempt } from "../queue/run-attempt.js";
import type { DeliveryRecord, DeliveryStore, NewDelivery, SettleInput } from "../store/types.js";
import type { Scheduler } from "./schedule.js";

/** The delivery a Hugging Face Job receives from the webhook that started it (hub-docs `jobs-webhooks.md`). */
export interface JobEnvironment {
  /** `WEBHOOK_PAYLOAD`: the payload as a JSON string. */
  payload: string;
  /** `WEBHOOK_ID`: stable across the Hub's retries and replays; the deduplication key with a database. */
  webhookId: string | null;
  repoId?: string;
  repoType?: string;
}

/** How a job run ended: the exit code and the one line that says why. */
export interface JobOutcome {
  code: 0 | 1;
  line: string;
  status: "succeeded" | "skipped" | "failed" | "invalid" | "duplicate";
  deliveryId: string;
  value?: unknown;
}

/**
 * The delivery from a Job's environment, or a clear error when `WEBHOOK_PAYLOAD` is missing.
 * @example
 * const delivery = jobEnvironment(process.env);
 */
export function jobEnvironment(env: Record<string, string | undefined>): JobEnvironment {
  const payload = env.WEBHOOK_PAYLOAD;
  if (payload === undefined || payload === "") {
    throw new HubhooksError("INVALID_OPTIONS", "WEBHOOK_PAYLOAD is not set: a Job started by a Hub webhook receives the payload there");
  }
  return {
    payload,
    webhookId: env.WEBHOOK_ID ? env.WEBHOOK_ID : null,
    ...(env.WEBHOOK_REPO_ID ? { repoId: env.WEBHOOK_REPO_ID } : {}),
    ...(env.WEBHOOK_REPO_TYPE ? { repoType: env.WEBHOOK_REPO_TYPE } : {}),
  };
}

export interface RunJobInput {
  endpoint: Endpoint;
  job: JobEnvironment;
  logger: Logger;
  clock: Clock;
  hub?: HubClient;
  /** With a database: dedupe on `WEBHOOK_ID` and record the run like any delivery. */
  store?: DeliveryStore;
  /** Removed from stored and printed errors (the webhook secret, say). */
  secrets?: readonly string[];
  signal?: AbortSignal;
}

const NO_SCHEDULE_REASON = "debounce and throttle need a long-running server (serve): a Job ends after one delivery";
const NO_SCHEDULE: Scheduler = {
  decide: () => Promise.reject(new NonRetryableError(NO_SCHEDULE_REASON)),
};
const LEASE_MS = 24 * 3600_000; // the Job is the only runner: its lease lasts as long as it does

/**
 * Run an endpoint's handler and routes once on a Job's delivery, with the validation, filters, `ctx` and logs of the
 * server. Without a store nothing is recorded; with one the delivery is recorded (a known `WEBHOOK_ID` that ran or
 * runs is a duplicate and does not run again; a failed one runs again) and settled like a queue attempt, with no
 * retry of its own: the Job ends, so a failure is final (`dead`) until the Hub runs the Job again.
 * @example
 * const outcome = await runJobDelivery({ endpoint, job: jobEnvironment(process.env), logger, clock: systemClock });
 * process.exitCode = outcome.code;
 */
export async function runJobDelivery(input: RunJobInput): Promise<JobOutcome> {
  const { endpoint, job, logger, clock, store } = input;
  const secrets = input.secrets ?? [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(job.payload);
  } catch (error) {
    return { code: 1, status: "invalid", deliveryId: "", line: `WEBHOOK_PAYLOAD is not JSON: ${toError(error).message}` };
  }
  const event = Endpoint.eventOf(parsed);
  const validation = await endpoint.validate(parsed);
  const now = clock.now();
  const headers: Record<string, string> = job.webhookId ? { "webhook-id": job.webhookId } : {};
  const record: NewDelivery = {
    endpoint: endpoint.name, body: job.payload, headers, url: `job:${endpoint.route}`, webhookId: job.webhookId,
    scope: event.raw.scope || null, action: event.raw.action || null,
    repoType: job.repoType ?? stringAt(parsed, "type"), repoName: job.repoId ?? stringAt(parsed, "name"),
    orderingKey: null, maxAttempts: endpoint.options.retry?.maxAttempts ?? DEFAULT_RETRY.maxAttempts, now,
  };
  if (!validation.ok) {
    const reason = validation.error.publicMessage;
    const issues = (validation.error.details as { issues?: string[] } | undefined)?.issues ?? [];
    const text = [reason, ...issues.slice(0, 3)].join(" ");
    const recorded = store ? (await store.record({ ...record, invalid: text })).delivery.id : "";
    return { code: 1, status: "invalid", deliveryId: recorded, line: `invalid payload: ${text}` };
  }
  let delivery: DeliveryRecord;
  if (store) {
    const { delivery: stored, outcome } = await store.record({ ...record, leaseUntil: now + LEASE_MS });
    if (outcome === "duplicate") {
      const line = `WEBHOOK_ID ${job.webhookId} was already delivered (${stored.id}, ${stored.status}): not run again`;
      logger.info({ deliveryId: stored.id, webhookId: job.webhookId, status: stored.status }, "duplicate delivery acknowledged");
      return { code: 0, status: "duplicate", deliveryId: stored.id, line };
    }
    // A re-run of a failed one is queued again and leased to this Job in the same statement batch.
    if (stored.status !== "running") {
      throw new HubhooksError("STORE_UNAVAILABLE", `The re-delivered ${stored.id} could not be taken: another runner has it (${stored.status})`);
    }
    delivery = stored;
  } else {
    // Not stored: built as the store builds a row it just inserted leased (running, attempt 1).
    delivery = newDeliveryRecord(newDeliveryId(now), { ...record, leaseUntil: now + LEASE_MS }, headers);
  }
  const controller = new AbortController();
  if (input.signal) input.signal.addEventListener("abort", () => controller.abort(input.signal!.reason), { once: true });
  // The same runner as the server's queue: ctx, steps, `timeoutMs` (ctx.signal aborted) and the attempt's span.
  const view = queueEndpoint(endpoint, { logger, clock, ...(input.hub ? { hub: input.hub } : {}), noScheduleReason: NO_SCHEDULE_REASON });
  const running: DeliveryRecord = {
    ...delivery, headers, url: `http://job.local${endpoint.route}`, body: job.payload, webhookId: job.webhookId,
  };
  const progress: string[] = [];
  const startedAt = clock.now();
  const settle = async (s: SettleInput) => {
    if (store) await store.settleMany([s]);
  };
  const base = { id: delivery.id, attempt: delivery.attempts, startedAt };
  const result = await runAttempt(view, running, controller, validation.payload, progress);
  try {
    if (!result.ok) throw result.error;
    const value = result.value;
    if (value instanceof Deferred) throw new NonRetryableError(NO_SCHEDULE_REASON);
    if (value instanceof Skipped) {
      await settle({ ...base, kind: "skip", as: value.as, now: clock.now(), reason: value.reason });
      logger.info({ deliveryId: delivery.id, reason: value.reason }, "delivery skipped: no handler applied");
      return { code: 0, status: "skipped", deliveryId: delivery.id, line: `skipped: ${value.reason}` };
    }
    await settle({ ...base, kind: "complete", now: clock.now(), result: value === undefined ? null : await toStoredResult(value) });
    logger.info({ deliveryId: delivery.id, durationMs: clock.now() - startedAt }, "delivery succeeded");
    return { code: 0, status: "succeeded", deliveryId: delivery.id, line: "succeeded", value };
  } catch (thrown) {
    const error = toError(thrown);
    const message = redactText(error.message.replace(/^\[hubhooks\] /, "") || error.name, secrets);
    await settle({
      ...base, kind: "fail", now: clock.now(), error: message, stack: error.stack ? redactText(error.stack, secrets) : null,
      outcome: thrown instanceof NonRetryableError ? "non-retryable" : "failed", nextAttemptAt: null,
      completedSteps: [...delivery.completedSteps, ...progress],
    });
    logger.error({ deliveryId: delivery.id, error: message }, "delivery failed");
    return { code: 1, status: "failed", deliveryId: delivery.id, line: `handler failed: ${message}` };
  }
}



function stringAt(payload: unknown, field: "type" | "name"): string | null {
  const value = (payload as { repo?: Record<string, unknown> } | null)?.repo?.[field];
  return typeof value === "string" ? value : null;
}
