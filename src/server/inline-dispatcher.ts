import type { HubClient } from "../hub/hub-client.js";
import { handlerFailed, httpErrorResponse, jsonResponse } from "../errors.js";
import type { Clock } from "../internal/clock.js";
import type { Logger } from "../internal/logger.js";
import { loggedError } from "../internal/logged-error.js";
import { toResponse } from "../http/to-response.js";
import { runAttempt } from "../queue/run-attempt.js";
import { Skipped } from "../queue/skipped.js";
import type { QueueEndpoints } from "../queue/types.js";
import { newDeliveryId } from "../store/delivery-id.js";
import { newDeliveryRecord } from "../store/row-mapping.js";
import type { DeliveryRecord } from "../store/types.js";
import { errorType, Telemetry } from "../telemetry/telemetry.js";
import { toTraceparent } from "../telemetry/traceparent.js";
import type { Dispatcher, IncomingDelivery } from "./dispatcher.js";
import type { EndpointRegistry } from "./endpoint-registry.js";

export interface InlineDispatcherOptions {
  /** The server's endpoints: each one's runner view is built once, by the registry (as for the queue). */
  endpoints: EndpointRegistry;
  logger: Logger;
  clock: Clock;
  secrets: readonly string[];
  hub?: HubClient;
  telemetry?: Telemetry;
  /** Default concurrency of endpoints without their own (not enforced inline: each request runs its own handler). */
  concurrency?: number;
}

/**
 * Runs the handler inside the request, without a delivery log (`database: false`): the Python server's behaviour,
 * for serverless runtimes and tests. No retry, no record. The attempt runs through the same runner as the queue's
 * (`runAttempt` over the endpoint's queue view): the same `ctx`, steps, `timeoutMs` (answered 504, `ctx.signal`
 * aborted) and spans: a receive span for the request and, inside it, a process span for the handler. An `"accepted"`
 * endpoint is answered 202 first and runs after the answer: kept alive by the host when it said how
 * (`runAfterResponse`: a Worker's `waitUntil`, Next's `after`), else by the process (Node, Bun, Deno).
 */
export class InlineDispatcher implements Dispatcher {
  readonly #running = new Set<{ done: Promise<unknown>; abort: AbortController }>();
  readonly #views: QueueEndpoints;
  readonly #telemetry: Telemetry;

  constructor(private readonly o: InlineDispatcherOptions) {
    this.#telemetry = o.telemetry ?? new Telemetry();
    const { logger, clock, hub, concurrency } = o;
    this.#views = o.endpoints.forQueue({ logger, clock, ...(hub ? { hub } : {}), ...(concurrency !== undefined ? { concurrency } : {}) });
  }

  async start(): Promise<void> {}

  async dispatch(delivery: IncomingDelivery): Promise<Response> {
    const id = newDeliveryId(this.o.clock.now());
    const span = this.#telemetry.startReceive(delivery, delivery.endpointRef.route);
    span.setAttribute("messaging.message.id", id);
    try {
      const run = this.#run(delivery, id, toTraceparent(span.spanContext()));
      if (delivery.endpointRef.options.mode === "accepted") {
        // Its failure is logged by #run; there is no log to retry it from.
        const after = run.catch((error: unknown) => this.o.logger.error({ err: error, deliveryId: id }, "handler failed after the answer"));
        delivery.afterResponse?.(after);
        return this.#telemetry.endReceive(span, jsonResponse({ deliveryId: id, status: "accepted" }, 202, { "x-hubhooks-delivery": id }));
      }
      return this.#telemetry.endReceive(span, await run);
    } catch (error) {
      this.#telemetry.failReceive(span, error);
      throw error;
    }
  }

  async #run(incoming: IncomingDelivery, id: string, traceparent: string | null): Promise<Response> {
    const view = this.#views.get(incoming.endpoint)!; // the receive path found it in the same registry
    const delivery = inlineRecord(incoming, id, this.o.clock.now(), traceparent);
    const abort = new AbortController();
    const done = runAttempt(view, delivery, abort, incoming.payload, [], { telemetry: this.#telemetry });
    const entry = { done, abort };
    this.#running.add(entry);
    try {
      const result = await done;
      if (result.ok) {
        const skipped = result.value instanceof Skipped;
        if (result.span) this.#telemetry.endAttempt(result.span, { status: skipped ? "skipped" : "succeeded" });
        return toResponse(skipped ? null : result.value);
      }
      const err = loggedError(result.error, this.o.secrets);
      this.o.logger.error({ err, deliveryId: id, endpoint: view.name, webhookId: incoming.webhookId }, "handler failed");
      if (result.span) {
        const error = { type: errorType(result.error), message: err.message, stack: err.stack ?? null };
        this.#telemetry.endAttempt(result.span, { status: "failed", error });
      }
      return httpErrorResponse(handlerFailed(result.error), this.o.secrets);
    } finally {
      this.#running.delete(entry);
    }
  }

  async close(graceMs: number): Promise<void> {
    if (this.#running.size === 0) return;
    const all = Promise.allSettled([...this.#running].map((r) => r.done));
    let timer: NodeJS.Timeout | undefined;
    const timedOut = await Promise.race([
      all.then(() => false),
      new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(true), graceMs))),
    ]);
    clearTimeout(timer);
    if (timedOut) for (const r of this.#running) r.abort.abort(new Error("server shutting down"));
  }
}

/** The delivery as the runner sees it: never stored, attempt 1 of 1, running now (the store's own record builder). */
function inlineRecord(d: IncomingDelivery, id: string, now: number, traceparent: string | null): DeliveryRecord {
  return newDeliveryRecord(id, {
    endpoint: d.endpoint, body: d.body, headers: d.headers, url: d.url, webhookId: d.webhookId, scope: null, action: null,
    repoType: null, repoName: null, orderingKey: null, maxAttempts: 1, now, leaseUntil: now, traceparent,
  }, d.headers);
}
