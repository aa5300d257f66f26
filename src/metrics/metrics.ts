import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";
import { systemClock, type Clock } from "../internal/clock.js";
import type { DeliveryStore, QueueStats } from "../store/types.js";

/** Why a request was rejected before it was recorded. */
export type InvalidReason = "json" | "payload" | "too_large" | "secret";
const INVALID_REASONS: readonly InvalidReason[] = ["json", "payload", "too_large", "secret"];

/**
 * How one attempt ended, the `outcome` of `hubhooks_attempts_total`: the attempt outcomes of the delivery log, plus
 * `lease-lost` for an attempt whose result was dropped because another worker had taken it over.
 */
export type AttemptMetricOutcome = "succeeded" | "failed" | "timeout" | "non-retryable" | "skipped" | "invalid" | "lease-lost";
export const ATTEMPT_OUTCOMES: readonly AttemptMetricOutcome[] = [
  "succeeded", "failed", "timeout", "non-retryable", "skipped", "invalid", "lease-lost",
];

/** The final states a delivery is counted in by `hubhooks_deliveries_total` (once, when it reaches one). */
export type FinalStatus = "succeeded" | "dead" | "skipped" | "invalid";
export const FINAL_STATUSES: readonly FinalStatus[] = ["succeeded", "dead", "skipped", "invalid"];

/** A Hub webhook pointing at this server, as the health check last saw it. */
export interface HubWebhookSample {
  id: string;
  disabled: boolean;
  state: "enabled" | "disabled" | "suspended";
}
const HUB_WEBHOOK_STATES = ["enabled", "disabled", "suspended"] as const;

/** Options of `HubhooksMetrics`. */
export interface HubhooksMetricsOptions {
  /** Source of the queue gauges, read at scrape time; can be set later with `setStore`. */
  store?: DeliveryStore;
  /**
   * Also expose prom-client's default process metrics (CPU, memory, event loop lag). Default true where the runtime
   * reports them (Node, Bun, Deno; not workerd or the Edge runtime, whose `process` cannot). Set false when
   * the application collects them itself (merging two registries that both have them throws).
   */
  defaultMetrics?: boolean;
  /** Register hubhooks' metrics in this registry (the application's own) instead of a new one. */
  registry?: Registry;
  /** "Now" of the oldest-due-age gauge. Default the system clock. */
  clock?: Clock;
}

/**
 * Prometheus metrics of one hubhooks instance, in its OWN registry by default (never prom-client's global one, so
 * two servers in one process never collide), or in the application's (`registry`). Every counter starts at 0 for
 * each endpoint, so a rate exists before the first event.
 * @example
 * const metrics = new HubhooksMetrics({ store, defaultMetrics: false });
 * metrics.setEndpoints(() => ["sync"]);
 * app.get("/metrics", async () => new Response(await metrics.render(), { headers: { "content-type": metrics.contentType } }));
 */
export class HubhooksMetrics {
  readonly registry: Registry;
  #store: DeliveryStore | undefined;
  #clock: Clock;
  #endpoints: () => readonly string[] = () => [];
  #hubWebhooks: () => ReadonlyArray<HubWebhookSample> = () => [];

  readonly #received: Counter<"endpoint">;
  readonly #duplicate: Counter<"endpoint">;
  readonly #invalid: Counter<"endpoint" | "reason">;
  readonly #attempts: Counter<"endpoint" | "outcome">;
  readonly #deliveries: Counter<"endpoint" | "status">;
  readonly #running: Gauge<"endpoint">;
  readonly #handlerDuration: Histogram<"endpoint">;
  readonly #queueLag: Histogram<"endpoint">;
  /** Endpoints whose histogram series exist (observed or zeroed). */
  readonly #durationSeries = new Set<string>();
  readonly #lagSeries = new Set<string>();

  constructor(options: HubhooksMetricsOptions = {}) {
    this.registry = options.registry ?? new Registry();
    this.#store = options.store;
    this.#clock = options.clock ?? systemClock;
    const registers = [this.registry];
    const metrics = this;
    /** Each endpoint's series at 0 (`each` lists the other label values), created at scrape time. */
    const zeroed = <L extends string>(each: (endpoint: string) => Array<Partial<Record<L, string>>>) =>
      function collect(this: Counter<L> | Gauge<L>) {
        for (const endpoint of metrics.#endpoints()) for (const labels of each(endpoint)) this.inc(labels, 0);
      };
    const counter = <L extends string>(name: string, help: string, labelNames: L[], each: (e: string) => Array<Partial<Record<L, string>>>) =>
      new Counter<L>({ name, help, labelNames, registers, collect: zeroed(each) });
    this.#received = counter("hubhooks_deliveries_received_total", "Deliveries accepted and recorded (duplicates included).", ["endpoint"], (endpoint) => [{ endpoint }]);
    this.#duplicate = counter("hubhooks_deliveries_duplicate_total", "Deliveries whose Webhook-Id was already recorded.", ["endpoint"], (endpoint) => [{ endpoint }]);
    this.#invalid = counter("hubhooks_deliveries_invalid_total", "Requests rejected before recording (json, too_large, secret) or quarantined as invalid (payload), by reason.", ["endpoint", "reason"], (endpoint) => INVALID_REASONS.map((reason) => ({ endpoint, reason })));
    this.#attempts = counter("hubhooks_attempts_total", "Handler attempts, by how each ended (a delivery retried three times counts 3).", ["endpoint", "outcome"], (endpoint) => ATTEMPT_OUTCOMES.map((outcome) => ({ endpoint, outcome })));
    this.#deliveries = counter("hubhooks_deliveries_total", "Deliveries that reached a final state (succeeded, dead, skipped, invalid): once per delivery, however many attempts it took.", ["endpoint", "status"], (endpoint) => FINAL_STATUSES.map((status) => ({ endpoint, status })));
    this.#running = new Gauge({
      name: "hubhooks_deliveries_running",
      help: "Handler attempts running in this process now.",
      labelNames: ["endpoint"],
      registers,
      collect: zeroed<"endpoint">((endpoint) => [{ endpoint }]),
    });
    // zero() overwrites what was observed: only for an endpoint with no series yet (`zeroed` also holds the observed).
    const histogram = (name: string, help: string, buckets: number[], zeroed: Set<string>) => {
      return new Histogram<"endpoint">({
        name, help, labelNames: ["endpoint"], buckets, registers,
        collect() {
          for (const endpoint of metrics.#endpoints()) {
            if (zeroed.has(endpoint)) continue;
            zeroed.add(endpoint);
            this.zero({ endpoint });
          }
        },
      });
    };
    this.#handlerDuration = histogram("hubhooks_handler_duration_seconds", "Duration of one handler attempt.",
      [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300], this.#durationSeries);
    this.#queueLag = histogram("hubhooks_queue_lag_seconds", "Time from when an attempt became due (received or retry time) to when a worker claimed it.",
      [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 10, 30, 60, 300, 900, 3600], this.#lagSeries);
    this.#queueGauges(registers);
    new Gauge({
      name: "hubhooks_hub_webhook_disabled",
      help: "1 when a Hub webhook that points at this server sends nothing (disabled by its owner or suspended by the Hub; see hubhooks_hub_webhook_state), checked every few minutes with HF_TOKEN.",
      labelNames: ["webhook"],
      registers,
      collect() {
        this.reset();
        for (const w of metrics.#hubWebhooks()) this.set({ webhook: w.id }, w.disabled ? 1 : 0);
      },
    });
    // One series per state, 1 for the current one (the Prometheus form of an enum): alert on
    // `hubhooks_hub_webhook_state{state="suspended"} == 1`.
    new Gauge({
      name: "hubhooks_hub_webhook_state",
      help: "1 for the state (enabled, disabled, suspended) of each Hub webhook that points at this server, 0 for the others (checked every few minutes with HF_TOKEN).",
      labelNames: ["webhook", "state"],
      registers,
      collect() {
        this.reset();
        for (const w of metrics.#hubWebhooks()) {
          for (const state of HUB_WEBHOOK_STATES) this.set({ webhook: w.id, state }, w.state === state ? 1 : 0);
        }
      },
    });
    if (options.defaultMetrics !== false && processMetricsAvailable()) collectDefaultMetrics({ register: this.registry });
  }

  /** The backlog gauges, read from the store once per scrape (both from one `queueStats` call). */
  #queueGauges(registers: Registry[]): void {
    const metrics = this;
    let stats: Promise<QueueStats | undefined> | undefined;
    // Both gauges of one scrape share one read: prom-client calls every collect() before awaiting any, so the second
    // finds the first's read in flight; it is forgotten once it settles, and the next scrape reads again.
    const read = () => {
      if (stats) return stats;
      const current = (metrics.#store?.queueStats(metrics.#clock.now()) ?? Promise.resolve(undefined)).catch(() => undefined);
      stats = current;
      void current.finally(() => {
        if (stats === current) stats = undefined;
      });
      return current;
    };
    new Gauge({
      name: "hubhooks_queue_depth",
      help: "Deliveries not settled yet, by status (queued, running, retrying = retry scheduled), across every process sharing the log.",
      labelNames: ["status"],
      registers,
      async collect() {
        // A closed or busy store must not break the whole scrape: the gauge is then left out.
        const current = await read();
        this.reset();
        if (!current) return;
        for (const [status, n] of Object.entries(current.depth)) this.set({ status }, n);
      },
    });
    new Gauge({
      name: "hubhooks_oldest_due_age_seconds",
      help: "How long the delivery waiting longest has been due (a queued or retry-due one, or a running one whose lease expired); 0 when nothing is overdue.",
      registers,
      async collect() {
        const current = await read();
        this.reset();
        if (!current) return;
        const at = current.oldestDueAt;
        this.set(at === null ? 0 : Math.max(0, (metrics.#clock.now() - at) / 1000));
      },
    });
  }

  /** The `content-type` of `render()`'s text. */
  get contentType(): string {
    return this.registry.contentType;
  }

  /** Where the Hub-webhook gauge reads from (the server's health check). */
  setHubWebhooks(read: () => ReadonlyArray<HubWebhookSample>): void {
    this.#hubWebhooks = read;
  }

  /** Use this store for the queue gauges. */
  setStore(store: DeliveryStore | undefined): void {
    this.#store = store;
  }

  /** The endpoints whose series start at 0 (read at every scrape: endpoints added later appear too). */
  setEndpoints(names: () => readonly string[]): void {
    this.#endpoints = names;
  }

  /** The clock of the oldest-due-age gauge (the server's, so a fake clock in tests drives it). */
  setClock(clock: Clock): void {
    this.#clock = clock;
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
  /** One attempt ended (counted once its outcome is written). */
  attempt(endpoint: string, outcome: AttemptMetricOutcome): void {
    this.#attempts.inc({ endpoint, outcome });
  }
  /** A delivery reached a final state. */
  delivery(endpoint: string, status: FinalStatus): void {
    this.#deliveries.inc({ endpoint, status });
  }
  /** A handler attempt started (+1) or returned (-1) in this process. */
  running(endpoint: string, delta: 1 | -1): void {
    this.#running.inc({ endpoint }, delta);
  }
  handlerDuration(endpoint: string, seconds: number): void {
    this.#durationSeries.add(endpoint);
    this.#handlerDuration.observe({ endpoint }, Math.max(0, seconds));
  }
  queueLag(endpoint: string, seconds: number): void {
    this.#lagSeries.add(endpoint);
    this.#queueLag.observe({ endpoint }, Math.max(0, seconds));
  }
}

/**
 * Whether this runtime can report process metrics: prom-client's default metrics call `process.cpuUsage` and
 * `process.memoryUsage` when they are set up, which workerd's nodejs_compat declares but throws from ("not
 * implemented"), and which Vercel's Edge runtime lacks. There hubhooks' own metrics are kept, the process ones left out.
 */
function processMetricsAvailable(): boolean {
  try {
    const process = globalThis.process;
    process.cpuUsage();
    process.memoryUsage();
    return true;
  } catch {
    return false;
  }
}
