import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";
import type { DeliveryStore } from "../store/types.js";
import { DELIVERY_STATUSES } from "../store/types.js";

/** Why a request was rejected before it was recorded. */
export type InvalidReason = "json" | "payload" | "too_large" | "secret";

/** Options of `HubhooksMetrics`. */
export interface HubhooksMetricsOptions {
  /** Source of the `hubhooks_queue_depth` gauge, read at scrape time; can be set later with `setStore`. */
  store?: DeliveryStore;
  /** Also expose prom-client's default process metrics (CPU, memory, event loop lag). Default true. */
  defaultMetrics?: boolean;
}

/**
 * Prometheus metrics of one hubhooks instance, in its OWN registry (never prom-client's global one, so
 * two servers in one process, or the host app's own metrics, never collide).
 * @example
 * const metrics = new HubhooksMetrics({ store });
 * metrics.received("sync");
 * app.get("/metrics", async () => new Response(await metrics.render(), { headers: { "content-type": metrics.contentType } }));
 */
export class HubhooksMetrics {
  readonly registry = new Registry();
  #store: DeliveryStore | undefined;
  #hubWebhooks: () => ReadonlyArray<{ id: string; disabled: boolean }> = () => [];

  readonly #received: Counter<"endpoint">;
  readonly #duplicate: Counter<"endpoint">;
  readonly #invalid: Counter<"endpoint" | "reason">;
  readonly #succeeded: Counter<"endpoint">;
  readonly #failed: Counter<"endpoint">;
  readonly #dead: Counter<"endpoint">;
  readonly #skipped: Counter<"endpoint">;
  readonly #handlerDuration: Histogram<"endpoint">;
  readonly #queueLag: Histogram<"endpoint">;

  constructor(options: HubhooksMetricsOptions = {}) {
    this.#store = options.store;
    const registers = [this.registry];
    const counter = <L extends string>(name: string, help: string, labelNames: L[]) =>
      new Counter<L>({ name, help, labelNames, registers });
    this.#received = counter("hubhooks_deliveries_received_total", "Deliveries accepted and recorded (duplicates included).", ["endpoint"]);
    this.#duplicate = counter("hubhooks_deliveries_duplicate_total", "Deliveries whose Webhook-Id was already recorded.", ["endpoint"]);
    this.#invalid = counter("hubhooks_deliveries_invalid_total", "Requests rejected before recording (json, too_large, secret) or quarantined as invalid (payload), by reason.", ["endpoint", "reason"]);
    this.#succeeded = counter("hubhooks_deliveries_succeeded_total", "Handler attempts that succeeded.", ["endpoint"]);
    this.#failed = counter("hubhooks_deliveries_failed_total", "Handler attempts that failed or timed out (retried or not).", ["endpoint"]);
    this.#skipped = counter("hubhooks_deliveries_skipped_total", "Deliveries no handler applied to (no route matched, a repo filter).", ["endpoint"]);
    this.#dead = counter("hubhooks_deliveries_dead_total", "Deliveries given up on: attempts exhausted or NonRetryableError.", ["endpoint"]);
    this.#handlerDuration = new Histogram({
      name: "hubhooks_handler_duration_seconds",
      help: "Duration of one handler attempt.",
      labelNames: ["endpoint"],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300],
      registers,
    });
    this.#queueLag = new Histogram({
      name: "hubhooks_queue_lag_seconds",
      help: "Time from when an attempt became due (received or retry time) to when a worker claimed it.",
      labelNames: ["endpoint"],
      buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 10, 30, 60, 300, 900, 3600],
      registers,
    });
    const metrics = this;
    new Gauge({
      name: "hubhooks_queue_depth",
      help: "Deliveries by status, read from the store at scrape time.",
      labelNames: ["status"],
      registers,
      async collect() {
        const store = metrics.#store;
        if (!store) return;
        // A closed or busy store must not break the whole scrape: the gauge is then left out.
        const counts = await store.countsByStatus().catch(() => undefined);
        this.reset();
        if (!counts) return;
        for (const status of DELIVERY_STATUSES) this.set({ status }, counts[status]);
      },
    });
    new Gauge({
      name: "hubhooks_hub_webhook_disabled",
      help: "1 when the Hub has disabled a webhook that points at this server (checked every few minutes with HF_TOKEN).",
      labelNames: ["webhook"],
      registers,
      collect() {
        this.reset();
        for (const w of metrics.#hubWebhooks()) this.set({ webhook: w.id }, w.disabled ? 1 : 0);
      },
    });
    if (options.defaultMetrics !== false) collectDefaultMetrics({ register: this.registry });
  }

  /** The `content-type` of `render()`'s text. */
  get contentType(): string {
    return this.registry.contentType;
  }

  /** Where the Hub-webhook gauge reads from (the server's health check). */
  setHubWebhooks(read: () => ReadonlyArray<{ id: string; disabled: boolean }>): void {
    this.#hubWebhooks = read;
  }

  /** Use this store for the queue-depth gauge. */
  setStore(store: DeliveryStore | undefined): void {
    this.#store = store;
  }

  /** The Prometheus text exposition of every metric. */
  render(): Promise<string> {
    return this.registry.metrics();
  }

  received(endpoint: string): void {
    this.#received.inc({ endpoint });
  }
  duplicate(endpoint: string): void {
    this.#duplicate.inc({ endpoint });
  }
  invalid(endpoint: string, reason: InvalidReason): void {
    this.#invalid.inc({ endpoint, reason });
  }
  succeeded(endpoint: string): void {
    this.#succeeded.inc({ endpoint });
  }
  failed(endpoint: string): void {
    this.#failed.inc({ endpoint });
  }
  skipped(endpoint: string): void {
    this.#skipped.inc({ endpoint });
  }
  dead(endpoint: string): void {
    this.#dead.inc({ endpoint });
  }
  handlerDuration(endpoint: string, seconds: number): void {
    this.#handlerDuration.observe({ endpoint }, Math.max(0, seconds));
  }
  queueLag(endpoint: string, seconds: number): void {
    this.#queueLag.observe({ endpoint }, Math.max(0, seconds));
  }
}
