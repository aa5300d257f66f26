import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { systemClock } from "../../src/internal/clock.js";
import { DeliveryQueue } from "../../src/queue/delivery-queue.js";
import { DEFAULT_RETRY } from "../../src/queue/retry-policy.js";
import type { QueueEndpoint } from "../../src/queue/types.js";
import { createSqliteStore } from "../../src/store/sqlite/create-sqlite-store.js";
import type { DeliveryStore } from "../../src/store/types.js";

const dir = mkdtempSync(join(tmpdir(), "hubhooks-drain-slow-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("drain() on a store slower than the clock's resolution (a real SQLite file behind a 3 ms delay, like a Postgres round trip)", () => {
  it("returns once idle instead of sweeping every endpoint again each time the clock has moved", async () => {
    const real = await createSqliteStore({ path: join(dir, "log.db") });
    await real.migrate();
    for (let i = 0; i < 5; i++) {
      await real.record({
        endpoint: "a", body: `{"n":${i}}`, headers: {}, webhookId: `w${i}`, scope: "repo", action: "update", repoType: "model",
        repoName: "acme/x", orderingKey: null, maxAttempts: 3, now: systemClock.now(),
      });
    }
    let batches = 0;
    const slow = new Proxy(real, {
      get(target, prop) {
        const value = Reflect.get(target, prop, target) as unknown;
        if (prop === "writeBatch") {
          return async (batch: Parameters<DeliveryStore["writeBatch"]>[0]) => {
            batches++;
            await new Promise((resolve) => setTimeout(resolve, 3));
            return target.writeBatch(batch);
          };
        }
        return typeof value === "function" ? (value as (...a: unknown[]) => unknown).bind(target) : value;
      },
    });
    const endpoints = new Map<string, QueueEndpoint>(["a", "b", "c"].map((name) => [name, { name, concurrency: 8, timeoutMs: 0, retry: DEFAULT_RETRY, run: async () => "ok" }]));
    const queue = new DeliveryQueue({ store: slow, retention: false, endpoints: { get: (n) => endpoints.get(n), names: () => [...endpoints.keys()] } });
    queue.start();
    await queue.drain();
    await queue.stop(1_000);
    expect(await real.count({ status: "succeeded" })).toBe(5);
    // The claim that took the 5 and their settles, a claim or two to see nothing is left: not one sweep per millisecond.
    expect(batches).toBeLessThanOrEqual(6);
    await real.close();
  });
});
