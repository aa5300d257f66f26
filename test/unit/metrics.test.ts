import { register as globalRegistry } from "prom-client";
import { afterEach, describe, expect, it } from "vitest";
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
    metrics.succeeded("sync");
    metrics.failed("ci");
    metrics.dead("ci");
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
      'hubhooks_deliveries_succeeded_total{endpoint="sync"} 1',
      'hubhooks_deliveries_failed_total{endpoint="ci"} 1',
      'hubhooks_deliveries_dead_total{endpoint="ci"} 1',
      "# TYPE hubhooks_handler_duration_seconds histogram",
      'hubhooks_handler_duration_seconds_bucket{le="0.25",endpoint="sync"} 1',
      'hubhooks_handler_duration_seconds_bucket{le="0.1",endpoint="sync"} 0',
      'hubhooks_handler_duration_seconds_sum{endpoint="sync"} 0.2',
      'hubhooks_queue_lag_seconds_bucket{le="5",endpoint="sync"} 1',
      'hubhooks_queue_lag_seconds_count{endpoint="sync"} 1',
      "# TYPE hubhooks_queue_depth gauge",
    ]) expect(text).toContain(line);
    expect(text).not.toContain("process_cpu");
  });

  it("reads hubhooks_queue_depth{status} from the store at scrape time", async () => {
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
    expect(text).toContain('hubhooks_queue_depth{status="dead"} 0');
    await store.close();
    text = await metrics.render(); // a closed store leaves the gauge out instead of failing the scrape
    expect(text).not.toContain("hubhooks_queue_depth{");
    expect(text).toContain("hubhooks_deliveries_received_total");
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
