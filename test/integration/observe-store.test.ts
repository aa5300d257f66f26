import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { DeliveryQueue } from "../../src/queue/delivery-queue.js";
import { DEFAULT_RETRY } from "../../src/queue/retry-policy.js";
import { ManualClock } from "../../src/internal/clock.js";
import { observeStore, type DeliveryChange } from "../../src/server/observe-store.js";
import { createSqliteStore } from "../../src/store/sqlite/create-sqlite-store.js";
import type { QueueEndpoint } from "../../src/queue/types.js";

const dir = mkdtempSync(join(tmpdir(), "hubhooks-observe-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("observeStore on a real SQLite file", () => {
  it("announces the deliveries the queue claims from a backlog (running in the live view), then their settles", async () => {
    const clock = new ManualClock(1_700_000_000_000);
    const opened = await createSqliteStore({ path: join(dir, "log.db") });
    await opened.migrate();
    // A backlog recorded before the server (and its observer) started: nothing announced it.
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      const { delivery } = await opened.record({
        endpoint: "sync", body: `{"n":${i}}`, headers: {}, webhookId: `w${i}`, scope: "repo", action: "update",
        repoType: "model", repoName: "acme/gpt", orderingKey: null, maxAttempts: 3, now: clock.now(),
      });
      ids.push(delivery.id);
    }
    const changes: DeliveryChange[] = [];
    const store = observeStore(opened, (change) => changes.push(change));
    const endpoint: QueueEndpoint = { name: "sync", concurrency: 4, timeoutMs: 0, retry: DEFAULT_RETRY, run: async () => "ok" };
    const queue = new DeliveryQueue({ store, clock, retention: false, endpoint: () => endpoint, endpointNames: () => ["sync"] });
    queue.start();
    await queue.drain();
    await queue.stop(1_000);
    await store.close();
    expect(changes.filter((c) => c.kind === "claimed").map((c) => c.id).sort()).toEqual([...ids].sort());
    expect(changes.filter((c) => c.kind === "settled").map((c) => c.id).sort()).toEqual([...ids].sort());
    // Claimed before settled, for each one.
    for (const id of ids) {
      const order = changes.filter((c) => c.id === id).map((c) => c.kind);
      expect(order).toEqual(["claimed", "settled"]);
    }
  });
});
