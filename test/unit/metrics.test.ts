import { collectDefaultMetrics, Counter, register as globalRegistry, Registry } from "prom-client";
import { afterEach, describe, expect, it } from "vitest";
import { ManualClock } from "../../src/internal/clock.js";
import { HubhooksMetrics } from "../../src/metrics/metrics.js";
import { createSqliteStore } from "../../src/store/sqlite/create-sqlite-store.js";
import type { DeliveryStore } from "../../src/store/types.js";

describe("HubhooksMetrics", () => {
  let store: DeliveryStore | undefined;
  afterEach(async () => {
    await store?.close();
    store = undefined;
  });

  it("renders the counters by endpoint and reason in the Prometheus text format", async () => {
    const metrics = new HubhooksMetrics({ defaultMetrics: false });
    metrics.received("sync");
    metrics.received("sync");
    metrics.duplicate("sync");
    metrics.invalid("sync", "secret");
    metrics.invalid("ci", "too_large");
    metrics.attempt("sync", "succeeded");
    metrics.delivery("sync", "succeeded");
    metrics.attempt("ci", "failed");
    metrics.attempt("ci", "timeout");
    metrics.delivery("ci", "dead");
    metrics.running("ci", 1);
    metrics.handlerDuration("sync", 0.2);
    metrics.queueLag("sync", 3);
    const text = await metrics.render();
    expect(metrics.contentType).toMatch(/^text\/plain; version=0\.0\.4/);
    for (const line of [
      "# TYPE hubhooks_deliveries_received_total counter",
      'hubhooks_deliveries_received_total{endpoint="sync"} 2',
      'hubhooks_deliveries_duplicate_total{endpoint="sync"} 1',
      'hubhooks_deliveries_invalid_total{endpoint="sync",reason="secret"} 1',
      'hubhooks_deliveries_invalid_total{endpoint="ci",reason="too_large"} 1',
      "# TYPE hubhooks_attempts_total counter",
      'hubhooks_attempts_total{endpoint="sync",outcome="succeeded"} 1',
      'hubhooks_attempts_total{endpoint="ci",outcome="failed"} 1',
      'hubhooks_attempts_total{endpoint="ci",outcome="timeout"} 1',
      "# TYPE hubhooks_deliveries_total counter",
      'hubhooks_deliveries_total{endpoint="sync",status="succeeded"} 1',
      'hubhooks_deliveries_total{endpoint="ci",status="dead"} 1',
      "# TYPE hubhooks_deliveries_running gauge",
      'hubhooks_deliveries_running{endpoint="ci"} 1',
      "# TYPE hubhooks_handler_duration_seconds histogram",
      'hubhooks_handler_duration_seconds_bucket{le="0.25",endpoint="sync"} 1',
      'hubhooks_handler_duration_seconds_bucket{le="0.1",endpoint="sync"} 0',
      'hubhooks_handler_duration_seconds_sum{endpoint="sync"} 0.2',
      'hubhooks_queue_lag_seconds_bucket{le="5",endpoint="sync"} 1',
      'hubhooks_queue_lag_seconds_count{endpoint="sync"} 1',
      "# TYPE hubhooks_queue_depth gauge",
      "# TYPE hubhooks_oldest_due_age_seconds gauge",
    ]) expect(text).toContain(line);
    expect(text).not.toContain("process_cpu");
    // The old names that mixed attempts and deliveries are gone.
    expect(text).not.toMatch(/hubhooks_deliveries_(succeeded|failed|dead|skipped)_total/);
  });

  it("starts every endpoint's counters at 0, before the first event (endpoints added later too)", async () => {
    const metrics = new HubhooksMetrics({ defaultMetrics: false });
    const endpoints = ["sync"];
    metrics.setEndpoints(() => endpoints);
    let text = await metrics.render();
    for (const line of [
      'hubhooks_deliveries_received_total{endpoint="sync"} 0',
      'hubhooks_deliveries_duplicate_total{endpoint="sync"} 0',
      'hubhooks_deliveries_invalid_total{endpoint="sync",reason="secret"} 0',
      'hubhooks_attempts_total{endpoint="sync",outcome="succeeded"} 0',
      'hubhooks_attempts_total{endpoint="sync",outcome="failed"} 0',
      'hubhooks_attempts_total{endpoint="sync",outcome="lease-lost"} 0',
      'hubhooks_deliveries_total{endpoint="sync",status="succeeded"} 0',
      'hubhooks_deliveries_total{endpoint="sync",status="dead"} 0',
      'hubhooks_deliveries_total{endpoint="sync",status="skipped"} 0',
      'hubhooks_deliveries_total{endpoint="sync",status="invalid"} 0',
      'hubhooks_deliveries_running{endpoint="sync"} 0',
      'hubhooks_handler_duration_seconds_count{endpoint="sync"} 0',
      'hubhooks_queue_lag_seconds_count{endpoint="sync"} 0',
    ]) expect(text).toContain(line);
    endpoints.push("later");
    metrics.attempt("sync", "failed");
    text = await metrics.render();
    expect(text).toContain('hubhooks_attempts_total{endpoint="sync",outcome="failed"} 1');
    expect(text).toContain('hubhooks_deliveries_total{endpoint="later",status="dead"} 0');
  });

  it("merges with the application's registry when told to leave the process metrics out", async () => {
    const app = new Registry();
    collectDefaultMetrics({ register: app });
    new Counter({ name: "app_jobs_total", help: "the app's own", registers: [app] }).inc();
    // The default (process metrics included) is what made the application's merge throw.
    expect(() => Registry.merge([app, new HubhooksMetrics().registry])).toThrow(
      "A metric with the name process_cpu_user_seconds_total has already been registered.",
    );
    const hubhooks = new HubhooksMetrics({ defaultMetrics: false });
    hubhooks.received("sync");
    const merged = Registry.merge([app, hubhooks.registry]);
    const text = await merged.metrics();
    expect(text).toContain("app_jobs_total 1");
    expect(text).toContain("process_cpu_user_seconds_total");
    expect(text).toContain('hubhooks_deliveries_received_total{endpoint="sync"} 1');
    // Or straight into the application's registry.
    const shared = new Registry();
    collectDefaultMetrics({ register: shared });
    const inApp = new HubhooksMetrics({ registry: shared, defaultMetrics: false });
    inApp.received("x");
    expect(inApp.registry).toBe(shared);
    expect(await shared.metrics()).toContain('hubhooks_deliveries_received_total{endpoint="x"} 1');
  });

  it("reads hubhooks_queue_depth{status} (unsettled only) from the store at scrape time", async () => {
    store = await createSqliteStore({ path: ":memory:" });
    await store.migrate();
    const metrics = new HubhooksMetrics({ defaultMetrics: false });
    metrics.setStore(store);
    const base = { endpoint: "sync", body: "{}", headers: {}, webhookId: null, scope: null, action: null, repoType: null, repoName: null, orderingKey: null, maxAttempts: 1, now: 0 };
    await store.record(base);
    await store.record(base);
    await store.claim({ now: 0, leaseMs: 1_000, endpoints: ["sync"] });
    let text = await metrics.render();
    expect(text).toContain('hubhooks_queue_depth{status="queued"} 1');
    expect(text).toContain('hubhooks_queue_depth{status="running"} 1');
    expect(text).toContain('hubhooks_queue_depth{status="retrying"} 0');
    // Only unsettled statuses: a settled delivery is not a depth.
    expect(text).not.toMatch(/hubhooks_queue_depth\{status="(succeeded|dead|skipped|invalid)"\}/);
    await store.close();
    text = await metrics.render(); // a closed store leaves the gauge out instead of failing the scrape
    expect(text).not.toContain("hubhooks_queue_depth{");
    expect(text).toContain("hubhooks_deliveries_received_total");
  });

  it("reads the oldest due delivery's age, by the injected clock, from the store at each scrape", async () => {
    store = await createSqliteStore({ path: ":memory:" });
    await store.migrate();
    const clock = new ManualClock(1_000_000);
    const metrics = new HubhooksMetrics({ defaultMetrics: false, store, clock });
    expect(await metrics.render()).toContain("hubhooks_oldest_due_age_seconds 0");
    const base = { endpoint: "sync", body: "{}", headers: {}, webhookId: null, scope: null, action: null, repoType: null, repoName: null, orderingKey: null, maxAttempts: 1 };
    await store.record({ ...base, now: 1_000_000 });
    await store.record({ ...base, now: 1_004_000 });
    clock.set(1_012_500);
    expect(await metrics.render()).toContain("hubhooks_oldest_due_age_seconds 12.5");
    clock.set(1_013_000);
    expect(await metrics.render()).toContain("hubhooks_oldest_due_age_seconds 13");
  });

  it("includes the default process metrics in its own registry, never in prom-client's global one", async () => {
    const a = new HubhooksMetrics();
    const b = new HubhooksMetrics(); // a second instance in the same process does not collide
    a.received("x");
    const text = await a.render();
    expect(text).toContain("process_cpu_user_seconds_total");
    expect(text).toContain("nodejs_eventloop_lag_seconds");
    expect(await b.render()).not.toContain('hubhooks_deliveries_received_total{endpoint="x"}');
    expect(await globalRegistry.metrics()).not.toContain("hubhooks_");
  });
});
