import { describe, expect, it } from "vitest";
import { GroupCommit } from "../../src/queue/group-commit.js";
import { createSqliteStore } from "../../src/store/sqlite/create-sqlite-store.js";
import type { DeliveryStore, NewDelivery, WriteBatch } from "../../src/store/types.js";
import { WebhooksServer } from "../../src/server/webhooks-server.js";
import { getFixture } from "../../src/payload/index.js";

const input = (n: number, over: Partial<NewDelivery> = {}): NewDelivery => ({
  endpoint: "sync", body: `{"n":${n}}`, headers: {}, webhookId: `w-${n}`, scope: null, action: null, repoType: null,
  repoName: null, orderingKey: null, maxAttempts: 3, now: 1_000 + n, ...over,
});

/** A real SQLite store that records the shape of every writeBatch it is asked for. */
async function countingStore(delayMs = 0): Promise<{ store: DeliveryStore; batches: WriteBatch[] }> {
  const real = await createSqliteStore({ path: ":memory:" });
  await real.migrate();
  const batches: WriteBatch[] = [];
  const store = new Proxy(real, {
    get(target, prop) {
      if (prop === "writeBatch") {
        return async (batch: WriteBatch) => {
          batches.push(batch);
          // A commit that takes a while, as on a network database: the time other writes pile up.
          if (delayMs > 0) await new Promise((resolve) => setTimeout(resolve, delayMs));
          return target.writeBatch(batch);
        };
      }
      const value = Reflect.get(target, prop, target);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
  return { store, batches };
}

describe("group commit (real SQLite store)", () => {
  it("writes the records of one event-loop turn in one transaction, each caller answered after it", async () => {
    const { store, batches } = await countingStore();
    const writes = new GroupCommit(store);
    const results = await Promise.all([1, 2, 3, 1].map((n) => writes.record(input(n))));
    expect(batches.map((b) => b.records.length)).toEqual([4]);
    expect(results.map((r) => r.outcome)).toEqual(["created", "created", "created", "duplicate"]);
    expect(results[3]!.delivery.id).toBe(results[0]!.delivery.id);
    expect(await store.count({})).toBe(3);
    await store.close();
  });

  it("a lone write goes out at once, and what arrives during a write becomes the next batch", async () => {
    const { store, batches } = await countingStore(20);
    const writes = new GroupCommit(store);
    await writes.record(input(1));
    expect(batches.map((b) => b.records.length)).toEqual([1]);
    const first = writes.record(input(2));
    // Until the batch of input 2 is being written (bounded: it starts within a few turns of the loop).
    for (let turn = 0; turn < 100 && batches.length < 2; turn++) await new Promise((resolve) => setImmediate(resolve));
    const later = [writes.record(input(3)), writes.record(input(4))];
    await Promise.all([first, ...later]);
    expect(batches.map((b) => b.records.length)).toEqual([1, 1, 2]);
    await writes.flush();
    await store.close();
  });

  it("a failed transaction fails every caller of that batch, and the next batch is written", async () => {
    const { store } = await countingStore();
    const writes = new GroupCommit(store);
    const broken = { ...input(1), body: undefined as unknown as string }; // NOT NULL body: the insert fails
    const outcomes = await Promise.allSettled([writes.record(broken), writes.record(input(2))]);
    expect(outcomes.map((o) => o.status)).toEqual(["rejected", "rejected"]);
    expect(await store.count({})).toBe(0); // all or nothing
    expect((await writes.record(input(3))).outcome).toBe("created");
    await store.close();
  });
});

describe("in-process hand-off", () => {
  it("a delivery with a free slot is recorded leased and run from memory: no claim statement, payload parsed once", async () => {
    const { store, batches } = await countingStore();
    const claimed: string[] = [];
    const watched = new Proxy(store, {
      get(target, prop) {
        if (prop === "claimMany") {
          return async (...args: Parameters<DeliveryStore["claimMany"]>) => {
            const out = await target.claimMany(...args);
            claimed.push(...out.map((d) => d.id));
            return out;
          };
        }
        const value = Reflect.get(target, prop, target);
        return typeof value === "function" ? value.bind(target) : value;
      },
    });
    const app = new WebhooksServer({ store: watched, handleSignals: false, print: () => {}, env: { LOG_LEVEL: "silent" } });
    let seen: unknown;
    app.addWebhook("sync", (payload) => ((seen = payload), { ok: true }));
    await app.start();
    const parse = JSON.parse;
    let parses = 0;
    JSON.parse = ((...args: Parameters<typeof parse>) => (parses++, parse(...args))) as typeof JSON.parse;
    let response: Response;
    try {
      response = await app.fetch(new Request("http://localhost/webhooks/sync", {
        method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(getFixture("repo.create")),
      }));
    } finally {
      JSON.parse = parse;
    }
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ ok: true });
    expect(parses).toBe(1); // the request body, once; nothing re-reads the stored row
    expect(claimed).not.toContain(response.headers.get("x-hubhooks-delivery"));
    expect((seen as { event: { scope: string } }).event.scope).toBe("repo");
    expect(batches.map((b) => [b.records.length, b.records[0]?.leaseUntil !== undefined])).toContainEqual([1, true]);
    const id = response.headers.get("x-hubhooks-delivery")!;
    expect(await app.store!.get(id)).toMatchObject({ status: "succeeded", attempts: 1 });
    await app.close();
  });
});
