import type { HubClient } from "../hub/hub-client.js";
import { HubhooksError, httpErrorResponse, jsonResponse, redactText } from "../errors.js";
import type { Clock } from "../internal/clock.js";
import type { Logger } from "../internal/logger.js";
import { toResponse } from "../http/to-response.js";
import type { HubhooksMetrics } from "../metrics/metrics.js";
import { DeliveryQueue } from "../queue/delivery-queue.js";
import { GroupCommit } from "../queue/group-commit.js";
import type { FailureHooks, NextOutcome } from "../queue/types.js";
import type { DeliveryStore, NewDelivery, RecordResult } from "../store/types.js";
import type { ResolvedEvent } from "../payload/index.js";
import type { Dispatcher, IncomingDelivery } from "./dispatcher.js";
import { Endpoint } from "./endpoint.js";
import type { EndpointRegistry } from "./endpoint-registry.js";
import { ENDPOINT_DEFAULTS, invalidReason, retryPolicy } from "./queue-endpoint.js";
import type { Span } from "@opentelemetry/api";
import { Telemetry } from "../telemetry/telemetry.js";
import { toTraceparent } from "../telemetry/traceparent.js";

export interface DurableDispatcherOptions {
  store: DeliveryStore;
  endpoints: EndpointRegistry;
  clock: Clock;
  logger: Logger;
  metrics: HubhooksMetrics;
  secrets: readonly string[];
  hub?: HubClient;
  leaseMs?: number;
  /** Default concurrency of endpoints without their own (`HUBHOOKS_CONCURRENCY`). */
  concurrency?: number;
  pollIntervalMs?: number;
  retention: { succeededMaxAgeMs: number } | false;
  hooks?: FailureHooks;
  /** Spans of each request and attempt. Default: one on the global tracer provider (a no-op without an SDK). */
  telemetry?: Telemetry;
}

/**
 * Records every delivery in the log before any handler runs, then lets the queue run it with retries.
 * Recording goes through a group commit (deliveries arriving together share one transaction; each is answered
 * only after its own commit). When the endpoint has a free slot (and no ordering key), the row is inserted already
 * leased and the handler starts from memory: no claim, no second parse or validation. The HTTP answer depends on
 * the endpoint's mode: `"result"` waits for the first attempt up to `deadlineMs` (then 202), `"accepted"` answers
 * 202 right after the commit.
 */
export class DurableDispatcher implements Dispatcher {
  readonly queue: DeliveryQueue;
  readonly #writes: GroupCommit;
  readonly #telemetry: Telemetry;

  constructor(private readonly o: DurableDispatcherOptions) {
    this.#writes = new GroupCommit(o.store);
    this.#telemetry = o.telemetry ?? new Telemetry();
    o.metrics.setEndpoints(() => o.endpoints.names());
    o.metrics.setClock(o.clock);
    this.queue = new DeliveryQueue({
      store: o.store,
      writes: this.#writes,
      endpoints: o.endpoints.forQueue({
        logger: o.logger, clock: o.clock, store: o.store, ...(o.hub ? { hub: o.hub } : {}),
        ...(o.concurrency !== undefined ? { concurrency: o.concurrency } : {}),
      }),
      clock: o.clock,
      logger: o.logger,
      metrics: o.metrics,
      telemetry: this.#telemetry,
      leaseMs: o.leaseMs,
      pollIntervalMs: o.pollIntervalMs,
      retention: o.retention,
      redact: () => o.secrets,
      ...(o.hooks ? { hooks: o.hooks } : {}),
    });
  }

  async start(): Promise<void> {
    await this.o.store.migrate();
    this.queue.start();
  }

  /** Record and answer one delivery inside its receive span (whose context is stored with it). */
  dispatch(d: IncomingDelivery): Promise<Response> {
    return this.#traced(d, (span) => this.#dispatch(d, span));
  }

  async #traced(d: Omit<IncomingDelivery, "payload">, handle: (span: Span) => Promise<Response>): Promise<Response> {
    const span = this.#telemetry.startReceive(d, d.endpointRef.route);
    try {
      return this.#telemetry.endReceive(span, await handle(span));
    } catch (error) {
      this.#telemetry.failReceive(span, error);
      throw error;
    }
  }

  async #dispatch(d: IncomingDelivery, span: Span): Promise<Response> {
    const endpoint = d.endpointRef;
    const event = Endpoint.eventOf(d.payload);
    const orderingKey = endpoint.orderingKeyOf(d.payload);
    const now = this.o.clock.now();
    // A keyed delivery may have to wait for another of its key (maybe in another process): the claim decides.
    const handOff = orderingKey === null && this.queue.reserve(endpoint.name);
    let recorded: RecordResult;
    try {
      // One object per delivery, filled in place (spreads made three).
      const row = newDelivery(d, d.payload, event, now);
      row.traceparent = toTraceparent(span.spanContext());
      row.orderingKey = orderingKey;
      if (handOff) row.leaseUntil = now + this.queue.leaseMs;
      recorded = await this.#writes.record(row);
    } catch (error) {
      if (handOff) this.queue.release(endpoint.name);
      this.o.logger.error({ err: error, endpoint: endpoint.name, webhookId: d.webhookId }, "could not record delivery");
      return httpErrorResponse(
        new HubhooksError("STORE_UNAVAILABLE", "The delivery log is unavailable; the delivery was not recorded. Retry later.", {
          status: 503,
        }),
      );
    }
    const { delivery, outcome } = recorded;
    // A new row, or a re-delivery of a failed/dead one that this record queued again, comes back leased to us.
    const leased = handOff && outcome !== "duplicate" && delivery.status === "running";
    if (handOff && !leased) this.queue.release(endpoint.name);
    const headers = { "x-hubhooks-delivery": delivery.id };
    this.o.metrics.received(endpoint.name);
    if (outcome === "duplicate") {
      this.o.metrics.duplicate(endpoint.name);
      // Still waiting (recorded by another process, which may be busy or gone): this one has seen it, so it claims.
      if (delivery.status === "queued" || delivery.status === "retrying") this.queue.notify(endpoint.name);
      this.o.logger.info(
        { deliveryId: delivery.id, endpoint: endpoint.name, webhookId: d.webhookId, status: delivery.status },
        "duplicate delivery acknowledged",
      );
      return jsonResponse({ deliveryId: delivery.id, status: delivery.status, duplicate: true }, 200, headers);
    }
    this.o.logger.debug(
      { deliveryId: delivery.id, endpoint: endpoint.name, webhookId: d.webhookId, event: event.key, outcome },
      "delivery recorded",
    );
    const mode = endpoint.options.mode ?? ENDPOINT_DEFAULTS.mode;
    if (mode === "accepted") {
      if (leased) void this.queue.runRecorded(delivery, d.payload);
      else this.queue.notify(endpoint.name);
      return jsonResponse({ deliveryId: delivery.id, status: "queued" }, 202, headers);
    }
    const deadline = new AbortController();
    const timer = setTimeout(() => deadline.abort(), endpoint.options.deadlineMs ?? ENDPOINT_DEFAULTS.deadlineMs);
    let waiting: Promise<NextOutcome>;
    if (leased) {
      waiting = this.queue.runRecorded(delivery, d.payload, deadline.signal);
    } else {
      waiting = this.queue.waitFor(delivery.id, deadline.signal);
      this.queue.notify(endpoint.name);
    }
    const first = await waiting.finally(() => clearTimeout(timer));
    if (first.status === "succeeded") {
      return toResponse(first.value, headers);
    }
    if (first.status === "failed") {
      // Recorded, so the Hub must get a 2xx: any other answer counts towards suspending its webhook, and its
      // retries would collide with ours. Our queue owns the retries; the answer says what happens next.
      return jsonResponse(
        {
          deliveryId: delivery.id,
          status: first.nextAttemptAt === null ? "dead" : "retrying",
          error: first.error instanceof HubhooksError ? redactText(first.error.publicMessage, this.o.secrets) : first.message,
          nextAttemptAt: first.nextAttemptAt,
        },
        202,
        headers,
      );
    }
    if (first.status === "deferred") {
      return jsonResponse({ deliveryId: delivery.id, status: "queued", nextAttemptAt: first.until, message: first.reason }, 202, headers);
    }
    return jsonResponse(
      { deliveryId: delivery.id, status: "running", message: "Still running; the outcome will be in the delivery log." },
      202,
      headers,
    );
  }

  /**
   * Quarantine: a JSON body from a sender that passed the secret check but fails validation is recorded `invalid`
   * (never run until replayed, when it is validated again) and answered 202: it is in the log, so the Hub must not
   * retry it (its retries would fail the same way and count towards suspending the webhook).
   */
  quarantine(d: Omit<IncomingDelivery, "payload">, value: unknown, error: HubhooksError): Promise<Response> {
    return this.#traced(d, (span) => this.#quarantine(d, value, error, span));
  }

  async #quarantine(d: Omit<IncomingDelivery, "payload">, value: unknown, error: HubhooksError, span: Span): Promise<Response> {
    const endpoint = d.endpointRef;
    let recorded: RecordResult;
    try {
      recorded = await this.#writes.record({
        ...newDelivery(d, value, Endpoint.eventOf(value), this.o.clock.now()),
        traceparent: toTraceparent(span.spanContext()),
        invalid: invalidReason(error),
      });
    } catch (cause) {
      this.o.logger.error({ err: cause, endpoint: endpoint.name, webhookId: d.webhookId }, "could not record an invalid delivery");
      return httpErrorResponse(
        new HubhooksError("STORE_UNAVAILABLE", "The delivery log is unavailable; the delivery was not recorded. Retry later.", { status: 503 }),
      );
    }
    const { delivery, outcome } = recorded;
    if (outcome !== "duplicate" && delivery.status === "invalid") this.o.metrics.delivery(endpoint.name, "invalid");
    this.o.logger.warn(
      { deliveryId: delivery.id, endpoint: endpoint.name, webhookId: d.webhookId, outcome, reason: delivery.error },
      "invalid payload quarantined",
    );
    if (outcome === "requeued") this.queue.notify(endpoint.name); // a Hub re-delivery of a quarantined one: validated again
    return jsonResponse(
      { deliveryId: delivery.id, status: delivery.status, error: error.publicMessage, ...(error.details ?? {}) },
      202,
      { "x-hubhooks-delivery": delivery.id },
    );
  }

  async close(graceMs: number): Promise<void> {
    await this.queue.stop(graceMs);
    await this.#writes.flush();
    await this.o.store.close();
  }
}

/** The row to record for a delivery (the fields taken from its payload read leniently: it may be invalid). */
function newDelivery(d: Omit<IncomingDelivery, "payload">, payload: unknown, event: ResolvedEvent, now: number): NewDelivery {
  const repo = (payload as { repo?: { type?: unknown; name?: unknown } } | null)?.repo;
  return {
    endpoint: d.endpointRef.name,
    body: d.body,
    headers: d.headers,
    url: d.url,
    webhookId: d.webhookId,
    scope: event.raw.scope || null,
    action: event.raw.action || null,
    repoType: typeof repo?.type === "string" ? repo.type : null,
    repoName: typeof repo?.name === "string" ? repo.name : null,
    orderingKey: null,
    maxAttempts: retryPolicy(d.endpointRef).maxAttempts,
    now,
  };
}
