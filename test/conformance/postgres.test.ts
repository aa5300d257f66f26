import pg from "pg";
import { afterAll, describe, expect, inject, it } from "vitest";
import { createPostgresStore } from "../../src/store/postgres/create-postgres-store.js";
import type { PostgresDeliveryStore } from "../../src/store/postgres/postgres-delivery-store.js";
import type { NewDelivery, StoreNotice } from "../../src/store/types.js";
import { describeStoreConformance } from "./store-suite.js";

// A real PostgreSQL server: the throwaway cluster of test/helpers/postgres-global-setup.ts (Debian's postgresql).
const url = inject("postgresUrl");
const unavailable = inject("postgresUnavailable");
let schemas = 0;
const freshSchema = () => `t_${process.pid}_${Date.now().toString(36)}_${++schemas}`;
const opened: PostgresDeliveryStore[] = [];
afterAll(async () => {
  await Promise.all(opened.map((s) => s.close()));
});

if (!url) {
  describe("Postgres engine", () => {
    it.skip(`skipped: ${unavailable}`, () => {});
  });
} else {
  describeStoreConformance("Postgres (pg)", () => createPostgresStore({ url, schema: freshSchema() }));

  const input = (over: Partial<NewDelivery> = {}): NewDelivery => ({
    endpoint: "sync", body: "{}", headers: {}, webhookId: null, scope: null, action: null, repoType: null,
    repoName: null, orderingKey: null, maxAttempts: 3, now: 1_000, ...over,
  });
  const open = async (schema: string) => {
    const store = await createPostgresStore({ url, schema });
    opened.push(store);
    await store.migrate();
    return store;
  };

  describe("Postgres engine specifics (real server)", () => {
    it("says what it is: cross-process wake-ups and SKIP LOCKED, not synchronous", async () => {
      const store = await open(freshSchema());
      expect([store.engine, store.driver]).toEqual(["postgres", "pg"]);
      expect(store.capabilities).toEqual({ crossProcessWakeups: true, skipLocked: true, synchronous: false });
    });

    it("keeps its tables in its own schema, and several replicas migrating at once is safe", async () => {
      const schema = freshSchema();
      const replicas = await Promise.all([1, 2, 3].map(() => createPostgresStore({ url, schema })));
      opened.push(...replicas);
      await Promise.all(replicas.map((s) => s.migrate()));
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        const { rows } = await client.query(
          "select table_name from information_schema.tables where table_schema = $1 order by table_name", [schema],
        );
        expect(rows.map((r) => r.table_name)).toEqual(["deliveries", "delivery_attempts", "hubhooks_migration", "hubhooks_migration_lock", "trigger_schedules"]);
      } finally {
        await client.end();
      }
    });

    it("two replicas recording the same Webhook-Id at the same moment make one delivery", async () => {
      const schema = freshSchema();
      const [a, b] = [await open(schema), await open(schema)];
      for (let round = 0; round < 20; round++) {
        const id = `same-${round}`;
        const [ra, rb] = await Promise.all([a.record(input({ webhookId: id })), b.record(input({ webhookId: id }))]);
        expect([ra.outcome, rb.outcome].sort()).toEqual(["created", "duplicate"]);
        expect(ra.delivery.id).toBe(rb.delivery.id);
      }
      expect(await a.count({})).toBe(20);
    });

    it("concurrent claims from four replicas never take the same delivery, nor two of one ordering key", async () => {
      const schema = freshSchema();
      const replicas = [await open(schema), await open(schema), await open(schema), await open(schema)];
      for (let i = 0; i < 60; i++) await replicas[0]!.record(input({ now: i, orderingKey: i % 3 === 0 ? `k${i % 2}` : null }));
      const claimed: string[] = [];
      const keysRunning = new Map<string, number>();
      for (let round = 0; round < 40; round++) {
        const got = await Promise.all(replicas.map((s) => s.claimMany({ now: 100, leaseMs: 60_000, slots: [{ endpoint: "sync", limit: 4 }] })));
        const flat = got.flat();
        for (const d of flat) {
          claimed.push(d.id);
          if (d.orderingKey) keysRunning.set(d.orderingKey, (keysRunning.get(d.orderingKey) ?? 0) + 1);
        }
        if (flat.length === 0) break;
      }
      expect(new Set(claimed).size).toBe(claimed.length);
      // 40 unkeyed + one running per key (k0, k1): the other keyed ones wait until those settle.
      expect(claimed).toHaveLength(42);
      expect([...keysRunning.values()]).toEqual([1, 1]);
    });

    it("tells the other replicas what it wrote (LISTEN/NOTIFY), not itself", async () => {
      const schema = freshSchema();
      const [a, b] = [await open(schema), await open(schema)];
      const seenByB: StoreNotice[] = [];
      const seenByA: StoreNotice[] = [];
      b.subscribe((n) => seenByB.push(n));
      a.subscribe((n) => seenByA.push(n));
      await new Promise((resolve) => setTimeout(resolve, 200)); // LISTEN is set up on first subscribe
      const { delivery } = await a.record(input({ webhookId: "n-1" }));
      for (let i = 0; i < 100 && seenByB.length === 0; i++) await new Promise((resolve) => setTimeout(resolve, 20));
      expect(seenByB).toEqual([{ kind: "recorded", id: delivery.id, queued: true }]);
      expect(seenByA).toEqual([]);
    });
  });
}
