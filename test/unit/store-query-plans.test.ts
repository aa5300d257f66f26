import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Kysely, SqliteDialect, type CompiledQuery } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CLAIM_ONE, LEASE_EXPIRED_CHECK, NEXT_DUE_AFTER, claimBatchSql } from "../../src/store/sqlite/hot-sql.js";
import { openSqlite, type OpenSqlite } from "../../src/store/sqlite/open-sqlite.js";
import { SqliteDeliveryStore } from "../../src/store/sqlite/sqlite-delivery-store.js";
import type { StoreSchema } from "../../src/store/schema.js";
import type { NewDelivery } from "../../src/store/types.js";

const dir = mkdtempSync(join(tmpdir(), "hubhooks-plans-"));
let opened: OpenSqlite;
let store: SqliteDeliveryStore;
const queries: CompiledQuery[] = [];

const delivery = (over: Partial<NewDelivery> = {}): NewDelivery => ({
  endpoint: "sync", body: "{}", headers: {}, webhookId: null, scope: "repo.content", action: "update",
  repoType: "model", repoName: "acme/x", orderingKey: null, maxAttempts: 3, now: 1_000, ...over,
});

/** SQLite's plan of one hot statement (its parameters unbound). */
function planOf(text: string): { id: number; parent: number; detail: string }[] {
  return opened.raw.prepare(`explain query plan ${text}`).all() as { id: number; parent: number; detail: string }[];
}

/** The SQL text of every statement `action` runs, with SQLite's plan for each. */
async function plansOf(action: () => Promise<unknown>): Promise<{ sql: string; plan: { id: number; parent: number; detail: string }[] }[]> {
  queries.length = 0;
  await action();
  return queries
    .filter((q) => !/^(begin|commit|rollback)$/i.test(q.sql))
    .map((q) => ({
      sql: q.sql,
      plan: opened.database.prepare(`explain query plan ${q.sql}`).all(q.parameters) as { id: number; parent: number; detail: string }[],
    }));
}

beforeAll(async () => {
  opened = openSqlite(join(dir, "plans.db"));
  const db = new Kysely<StoreSchema>({ dialect: new SqliteDialect({ database: opened.database }), log: (e) => void queries.push(e.query) });
  store = new SqliteDeliveryStore(db, opened.raw, () => opened.database.close());
  await store.migrate();
  // A bulk replay's shape: many deliveries sharing one due time, plus settled history and other scopes.
  for (let i = 0; i < 300; i++) await store.record(delivery({ scope: i % 3 ? "repo.content" : "discussion" }));
  for (let i = 0; i < 20; i++) {
    const d = await store.claim({ now: 2_000, leaseMs: 100, endpoints: ["sync"] });
    await store.complete(d!.id, d!.attempts, { now: 2_000, startedAt: 2_000, result: null });
  }
});
afterAll(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe(`query plans on SQLite (${process.versions.node})`, () => {
  for (const [name, text] of [["one claim", CLAIM_ONE], ["a batch claim of 8", claimBatchSql(8)]] as const) {
    it(`${name} reads deliveries_due without sorting the due rows (ties on next_attempt_at included)`, () => {
      const plan = planOf(text);
      const details = plan.map((row) => row.detail);
      const candidates = details.filter((d) => d.startsWith("SEARCH d "));
      expect(candidates).toHaveLength(3); // queued, retrying, running: one index-ordered LIMIT each
      for (const candidate of candidates) expect(candidate).toMatch(/^SEARCH d USING INDEX deliveries_due \(status=\?/);
      // The one sort left orders the (at most 3 × limit) candidates; no sort of the backlog.
      expect(details.filter((d) => d.includes("TEMP B-TREE"))).toEqual(["USE TEMP B-TREE FOR ORDER BY"]);
    });
  }

  it("checks for expired leases through the index, and runs no lease-expired write when none expired", async () => {
    expect(planOf(LEASE_EXPIRED_CHECK).map((row) => row.detail)[0]).toMatch(/^SEARCH deliveries USING INDEX deliveries_due \(status=\?/);
    const before = opened.raw.prepare("select count(*) as n from delivery_attempts").get() as { n: number };
    expect(await store.claim({ now: 3_000, leaseMs: 100, endpoints: ["sync"] })).not.toBeNull();
    expect(opened.raw.prepare("select count(*) as n from delivery_attempts").get()).toEqual(before);
  });

  it("finds the next due time through the index (two index-ordered minimums)", () => {
    const details = planOf(NEXT_DUE_AFTER).map((row) => row.detail);
    expect(details.filter((d) => d.startsWith("SEARCH deliveries USING INDEX deliveries_due"))).toHaveLength(2);
    expect(details.join(" | ")).not.toContain("TEMP B-TREE");
  });

  it("reads the queue gauges (queueStats) from deliveries_due only, never the settled rows", async () => {
    const plans = await plansOf(() => store.queueStats(3_000));
    expect(plans).toHaveLength(2);
    const details = plans.flatMap((p) => p.plan.map((row) => row.detail));
    expect(details.some((d) => d.startsWith("SCAN deliveries") && !d.includes("deliveries_due"))).toBe(false);
    expect(details.filter((d) => d.includes("USING COVERING INDEX deliveries_due") || d.includes("USING INDEX deliveries_due"))).toHaveLength(3);
    const { queued, running, retrying } = await store.countsByStatus(); // the full count, read the expensive way
    expect(await store.queueStats(3_000)).toEqual({ depth: { queued, running, retrying }, oldestDueAt: 1_000 });
  });

  it("lists by scope newest first through deliveries_scope_received, without a sort", async () => {
    const plans = await plansOf(() => store.list({ scope: "discussion" }, { limit: 50 }));
    expect(plans).toHaveLength(1);
    const details = plans[0]!.plan.map((row) => row.detail);
    expect(details).toEqual(["SEARCH deliveries USING INDEX deliveries_scope_received (scope=?)"]);
  });

  it("the repo substring filter stays a walk of deliveries_received (no index serves LIKE '%x%')", async () => {
    const plans = await plansOf(() => store.list({ repo: "acme" }, { limit: 50 }));
    expect(plans[0]!.plan.map((row) => row.detail)).toEqual(["SCAN deliveries USING INDEX deliveries_received"]);
  });

  it("migration 002 replaced deliveries_claim with deliveries_due", async () => {
    const indexes = opened.database.prepare("select name from sqlite_master where type = 'index' and tbl_name = 'deliveries' order by name").all([]);
    expect(indexes.map((row) => (row as { name: string }).name)).toEqual([
      "deliveries_due", "deliveries_endpoint_received", "deliveries_received", "deliveries_scope_received",
      "deliveries_status_received", "deliveries_webhook_id", "sqlite_autoindex_deliveries_1",
    ]);
  });
});
