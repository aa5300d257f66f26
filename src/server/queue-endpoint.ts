import type { HubClient } from "../hub/hub-client.js";
import { HubhooksError, NonRetryableError } from "../errors.js";
import type { Clock } from "../internal/clock.js";
import type { Logger } from "../internal/logger.js";
import { jsonDepthExceeds, tooDeepMessage } from "../payload/json-depth.js";
import { DEFAULTS } from "../defaults.js";
import { DEFAULT_RETRY, type RetryPolicy } from "../queue/retry-policy.js";
import { Skipped } from "../queue/skipped.js";
import type { QueueEndpoint } from "../queue/types.js";
import type { DeliveryStore } from "../store/types.js";
import { storeScheduler, type Scheduler } from "../triggers/schedule.js";
import { Endpoint } from "./endpoint.js";
import { buildContext } from "./handler-context.js";

/** The endpoint options' slice of `DEFAULTS` (src/defaults.ts). */
export const ENDPOINT_DEFAULTS = {
  mode: DEFAULTS.mode,
  deadlineMs: DEFAULTS.deadlineMs,
  timeoutMs: DEFAULTS.timeoutMs,
  concurrency: DEFAULTS.concurrency,
};

/** What running an endpoint's attempt needs from the server, the same in every mode. */
export interface RunnerDeps {
  logger: Logger;
  clock: Clock;
  hub?: HubClient;
  /** The delivery log (debounce and throttle keep their schedules there); absent inline and in a Job without one. */
  store?: DeliveryStore;
  /** Default concurrency of endpoints without their own (`HUBHOOKS_CONCURRENCY`). */
  concurrency?: number;
  /** Why a debounced or throttled route cannot wait here (no log to keep its schedule in); else the endpoint's own words. */
  noScheduleReason?: string;
}

/**
 * The queue's view of an endpoint: its limits and how one attempt runs (parse and validate a claimed body, build
 * `ctx`, run the handler and routes as steps, check the result can be sent). The durable queue, the inline mode and
 * `hubhooks job` all run attempts through this view and `runAttempt` (timeout, `ctx.signal`, span).
 * @example
 * const view = queueEndpoint(endpoint, { logger, clock: systemClock });
 * const result = await runAttempt(view, delivery, new AbortController(), payload);
 */
export function queueEndpoint(endpoint: Endpoint, deps: RunnerDeps): QueueEndpoint {
  const name = endpoint.name;
  const { noScheduleReason } = deps;
  return {
    name,
    concurrency: endpoint.options.concurrency ?? deps.concurrency ?? ENDPOINT_DEFAULTS.concurrency,
    timeoutMs: endpoint.options.timeoutMs ?? ENDPOINT_DEFAULTS.timeoutMs,
    retry: retryPolicy(endpoint),
    run: async (delivery, { signal, attempt, payload: handedOver, completedSteps, progress }) => {
      let payload = handedOver;
      if (payload === undefined) {
        // Claimed from the log (a retry, a restart, another process's record): parse and validate here. A body
        // recorded before the nesting limit existed is quarantined rather than run.
        if (jsonDepthExceeds(delivery.body)) return new Skipped(tooDeepMessage("The payload"), "invalid");
        const validation = await endpoint.validate(JSON.parse(delivery.body));
        // A replayed quarantined delivery whose payload still fails: back to invalid, not a retry.
        if (!validation.ok) return new Skipped(invalidReason(validation.error), "invalid");
        payload = validation.payload;
      }
      const ctx = buildContext({
        delivery: {
          id: delivery.id,
          endpoint: name,
          // Rows from before the URL was stored (migration 003): rebuilt from a Host that still parses, else localhost.
          url: delivery.url ?? legacyUrl(delivery.headers.host, endpoint.route),
          body: delivery.body,
          headers: delivery.headers,
          webhookId: delivery.webhookId,
        },
        event: Endpoint.eventOf(payload),
        attempt,
        signal,
        logger: deps.logger,
        hub: deps.hub,
        completedSteps,
      });
      const scheduler: Scheduler | undefined = deps.store
        ? storeScheduler(deps.store, name, delivery, deps.clock.now())
        : noScheduleReason
          ? { decide: () => Promise.reject(new NonRetryableError(noScheduleReason)) }
          : undefined;
      const value = await endpoint.run(payload, ctx, progress, scheduler);
      assertSendable(value);
      return value;
    },
  };
}

/** The retry policy of an endpoint: its own `retry` over the defaults. */
export function retryPolicy(endpoint: Endpoint): RetryPolicy {
  return { ...DEFAULT_RETRY, ...(endpoint.options.retry ?? {}) };
}

/** What a quarantined delivery keeps as its error: the message and its issues. */
export function invalidReason(error: HubhooksError): string {
  const issues = (error.details as { issues?: unknown } | undefined)?.issues;
  return Array.isArray(issues) && issues.length > 0 && !error.publicMessage.includes(String(issues[0]))
    ? `${error.publicMessage} ${issues.join("; ")}`
    : error.publicMessage;
}

/**
 * A result that cannot become the JSON response (a BigInt, a cycle) must not be logged as a success that the Hub
 * never saw: it fails the delivery for good (running the handler again would repeat its side effects for nothing).
 */
function assertSendable(value: unknown): void {
  if (value instanceof Response) return;
  try {
    JSON.stringify(value);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new NonRetryableError(`The handler's return value cannot be sent as JSON: ${reason}`);
  }
}

function legacyUrl(host: string | undefined, route: string): string {
  const url = `http://${host ?? "localhost"}${route}`;
  return URL.canParse(url) ? url : `http://localhost${route}`;
}
