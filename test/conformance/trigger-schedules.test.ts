import { describe, expect, inject, it, afterAll } from "vitest";
import { createPostgresStore } from "../../src/store/postgres/create-postgres-store.js";
import { createSqliteStore } from "../../src/store/sqlite/create-sqlite-store.js";
import type { DeliveryStore, NewDelivery } from "../../src/store/types.js";
import { storeScheduler } from "../../src/triggers/schedule.js";

// The two store verbs debounce and throttle need, on each engine: the "defer" settle and the atomic schedule update.
const url = inject("postgresUrl");
const opened: DeliveryStore[] = [];
afterAll(async () => {
  await Promise.all(opened.map((s) => s.close()));
});
let n = 0;
const engines: Array<[string, () => Promise<DeliveryStore>]> = [
  ["SQLite", async () => createSqliteStore({ path: ":memory:" })],
];
if (url) engines.push(["Postgres", async () => createPostgresStore({ url, schema: `trig_${process.pid}_${Date.now().toString(36)}_${++n}` })]);
else it.skip(`Postgres skipped: ${inject("postgresUnavailable")}`, () => {});

const input = (over: Partial<NewDelivery> = {}): NewDelivery => ({
  endpoint: "train", body: "{}", headers: {}, webhookId: null, scope: null, action: null, repoType: null,
  repoName: null, orderingKey: null, maxAttempts: 3, now: 1_000, ...over,
});

describe.each(engines)("trigger schedules on %s", (_name, create) => {
  const open = async () => {
    const store = await create();
    opened.push(store);
    await store.migrate();
    return store;
  };

  it("defer: queued again until its time, the attempt given back, steps kept, a 'deferred' history row", async () => {
    const store = await open();
    const { delivery } = await store.record(input({ leaseUntil: 31_000 }));
    const [applied] = await store.settleMany([
      { kind: "defer", id: delivery.id, attempt: 1, now: 1_010, startedAt: 1_000, until: 60_000, reason: "debounce: waiting", completedSteps: ["handler"] },
    ]);
    expect(applied).toBe(true);
    expect(await store.get(delivery.id)).toMatchObject({
      status: "queued", nextAttemptAt: 60_000, attempts: 1, maxAttempts: 4, error: "debounce: waiting", completedSteps: ["handler"], leaseUntil: null,
    });
    expect((await store.attempts(delivery.id)).map((a) => [a.outcome, a.error])).toEqual([["deferred", "debounce: waiting"]]);
    expect(await store.claim({ now: 59_999, leaseMs: 1_000, endpoints: ["train"] })).toBeNull();
    expect(await store.claim({ now: 60_000, leaseMs: 1_000, endpoints: ["train"] })).toMatchObject({ id: delivery.id, attempts: 2 });
    // Fenced like every settle: a stale attempt number changes nothing.
    expect(await store.settleMany([{ kind: "defer", id: delivery.id, attempt: 1, now: 1, startedAt: 1, until: 2, reason: "x", completedSteps: [] }])).toEqual([false]);
  });

  it("updateSchedule is atomic: concurrent read-modify-writes of one row all land", async () => {
    const store = await open();
    const id = { endpoint: "train", step: "on:0:repo.content.update", key: "some-user/some-repo" };
    const bump = () => store.updateSchedule!(id, 1, (s) => {
      const count = ((s as { count?: number } | null)?.count ?? 0) + 1;
      return { state: { count }, value: count };
    });
    const values = await Promise.all(Array.from({ length: 20 }, bump));
    expect(values.sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    expect(await store.updateSchedule!({ ...id, key: "other" }, 1, (s) => ({ state: s, value: s }))).toBeNull();
  });

  it("a debounce burst decided through the store: one runs, the others are superseded by it", async () => {
    const store = await open();
    const verdicts: unknown[] = [];
    for (let i = 0; i < 5; i++) {
      const scheduler = storeScheduler(store, "train", { id: `dlv_${i}`, receivedAt: i * 1_000 }, i * 1_000)!;
      verdicts.push(await scheduler.decide("on:0", "k", "debounce", 10_000));
    }
    expect(verdicts.every((v) => (v as { deferUntil?: number }).deferUntil !== undefined)).toBe(true);
    const at = 14_000;
    const final = await Promise.all(
      [0, 1, 2, 3, 4].map((i) => storeScheduler(store, "train", { id: `dlv_${i}`, receivedAt: i * 1_000 }, at)!.decide("on:0", "k", "debounce", 10_000)),
    );
    expect(final).toEqual([
      ...[0, 1, 2, 3].map(() => ({ run: false, skip: "superseded by dlv_4 (debounce 10000 ms)" })),
      { run: true },
    ]);
  });

  it("prune drops the schedules settled before the cutoff, keeps the pending and the recent ones", async () => {
    const store = await open();
    const decide = (key: string, id: string, at: number, now: number) =>
      storeScheduler(store, "train", { id, receivedAt: at }, now)!.decide("on:0", key, "debounce", 10_000);
    // "old": settled at 20_000 (its delivery chosen); "waiting": a delivery pending since 1_000; "recent": settled late.
    await decide("old", "dlv_old", 1_000, 1_000);
    expect(await decide("old", "dlv_old", 1_000, 20_000)).toEqual({ run: true });
    expect(await decide("waiting", "dlv_w", 1_000, 1_000)).toMatchObject({ deferUntil: 11_000 });
    await decide("recent", "dlv_r", 90_000, 90_000);
    expect(await decide("recent", "dlv_r", 90_000, 100_000)).toEqual({ run: true });
    const peek = (key: string) => store.updateSchedule!({ endpoint: "train", step: "on:0", key }, 0, (s) => ({ state: s, value: s }));

    await store.prune({ succeededBefore: 50_000 });
    expect(await peek("old")).toBeNull(); // a delivery of that key starts a fresh schedule
    expect(await peek("waiting")).toMatchObject({ pending: { id: "dlv_w", due: 11_000 } });
    expect(await peek("recent")).toMatchObject({ pending: null, chosen: { id: "dlv_r" } });
    // A pruned schedule works again as a new one.
    expect(await decide("old", "dlv_new", 60_000, 60_000)).toMatchObject({ deferUntil: 70_000 });
  });
});
