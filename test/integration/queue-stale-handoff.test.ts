import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ManualClock } from "../../src/internal/clock.js";
import { DeliveryQueue } from "../../src/queue/delivery-queue.js";
import { DEFAULT_RETRY } from "../../src/queue/retry-policy.js";
import type { QueueEndpoint } from "../../src/queue/types.js";
import { createSqliteStore } from "../../src/store/sqlite/create-sqlite-store.js";

const dir = mkdtempSync(join(tmpdir(), "hubhooks-stale-handoff-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("a hand-off whose lease ran out before its record was written (a real SQLite file, a manual clock)", () => {
  it("is not run from memory (a claim would run it too) but claimed, once, as attempt 2 (found by simulation seed 3498)", async () => {
    const clock = new ManualClock(1_700_000_000_000);
    const store = await createSqliteStore({ path: join(dir, "log.db") });
    await store.migrate();
    const runs: number[] = [];
    const endpoint: QueueEndpoint = {
      name: "a", concurrency: 1, timeoutMs: 0, retry: DEFAULT_RETRY, run: async (_d, ctx) => void runs.push(ctx.attempt),
    };
    const queue = new DeliveryQueue({ store, clock, leaseMs: 1_000, retention: false, endpoints: { get: () => endpoint, names: () => ["a"] } });
    queue.start();
    expect(queue.reserve("a")).toBe(true);
    const leaseUntil = clock.now() + 1_000;
    // The record's commit came 5 s late (the log stalled): its lease is already over when it returns.
    clock.advance(5_000);
    const { delivery } = await store.record({
      endpoint: "a", body: "{}", headers: {}, webhookId: "w1", scope: "repo", action: "update", repoType: "model",
      repoName: "acme/x", orderingKey: null, maxAttempts: 3, now: clock.now() - 5_000, leaseUntil,
    });
    await queue.runRecorded(delivery, {}, AbortSignal.timeout(5_000));
    await queue.drain();
    await queue.stop(1_000);
    expect(runs).toEqual([2]);
    expect(await store.get(delivery.id)).toMatchObject({ status: "succeeded", attempts: 2 });
    expect((await store.attempts(delivery.id)).map((a) => a.outcome)).toEqual(["lease-expired", "succeeded"]);
    await store.close();
  });
});
