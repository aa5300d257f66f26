import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sql } from "kysely";
import { afterAll, describe, expect, it } from "vitest";
import { createSqliteStore } from "../../src/store/sqlite/create-sqlite-store.js";
import { describeStoreConformance } from "./store-suite.js";

const dir = mkdtempSync(join(tmpdir(), "hubhooks-store-"));
let n = 0;
const freshPath = () => join(dir, `store-${++n}.db`);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describeStoreConformance("SQLite file (node:sqlite)", () => createSqliteStore({ path: freshPath() }));

describe("SQLite store specifics", () => {
  it(`uses node:sqlite on Node ${process.versions.node}, a synchronous engine without cross-process wake-ups`, async () => {
    const store = await createSqliteStore({ path: freshPath() });
    expect([store.engine, store.driver]).toEqual(["sqlite", "node:sqlite"]);
    expect(store.capabilities).toEqual({ crossProcessWakeups: false, skipLocked: false, synchronous: true });
    await store.close();
  });

  it("prints no ExperimentalWarning when node:sqlite loads (Node 22 announces one; a user cannot act on it)", () => {
    const dist = new URL("../../dist/store.js", import.meta.url).href;
    const script = `const { createSqliteStore } = await import(${JSON.stringify(dist)});
      const s = await createSqliteStore({ path: ":memory:" }); await s.migrate(); await s.close(); console.log("opened");`;
    const run = spawnSync(process.execPath, ["--input-type=module", "-e", script], { encoding: "utf8", timeout: 20_000 });
    expect(run.stdout.trim()).toBe("opened");
    expect(run.stderr).not.toMatch(/ExperimentalWarning/);
  });

  it("durability \"full\" sets synchronous=FULL, the default NORMAL", async () => {
    for (const [durability, expected] of [[undefined, 1], ["full", 2]] as const) {
      const store = await createSqliteStore({ path: freshPath(), ...(durability ? { durability } : {}) });
      const { rows } = await sql<{ synchronous: number }>`pragma synchronous`.execute(store.db);
      expect(rows[0]!.synchronous).toBe(expected);
      await store.close();
    }
  });

  it("opens the file in WAL mode, creates parent directories, and closes idempotently", async () => {
    const path = join(dir, "nested", "deeper", "hubhooks.db");
    const store = await createSqliteStore({ path });
    await store.migrate();
    expect(readdirSync(join(dir, "nested", "deeper"))).toContain("hubhooks.db-wal");
    await store.close();
    await store.close();
  });

  it("supports :memory:", async () => {
    const store = await createSqliteStore({ path: ":memory:" });
    await store.migrate();
    expect(await store.count({})).toBe(0);
    await store.close();
  });

  it("never writes the webhook secret to the database file", async () => {
    const path = freshPath();
    const store = await createSqliteStore({ path });
    await store.migrate();
    await store.record({
      endpoint: "sync", body: "{}", webhookId: "w1", scope: null, action: null, repoType: null, repoName: null,
      headers: { "X-Webhook-Secret": "hunter2-secret-value", Referer: "https://x/webhooks/sync?secret=hunter2-secret-value" },
      orderingKey: null, maxAttempts: 1, now: 1,
    });
    await store.close(); // checkpoints the WAL into the main file
    for (const file of readdirSync(dir).filter((f) => f.startsWith(path.split("/").pop()!))) {
      expect(readFileSync(join(dir, file)).includes("hunter2-secret-value")).toBe(false);
    }
  });

  it("two stores on one file (two processes' connections) never claim the same delivery", async () => {
    const path = freshPath();
    const a = await createSqliteStore({ path });
    await a.migrate();
    const b = await createSqliteStore({ path });
    await b.migrate();
    for (let i = 0; i < 40; i++) {
      await (i % 2 ? a : b).record({
        endpoint: "sync", body: String(i), headers: {}, webhookId: null, scope: null, action: null, repoType: null,
        repoName: null, orderingKey: null, maxAttempts: 1, now: i,
      });
    }
    const claimed: string[] = [];
    for (let round = 0; round < 30; round++) {
      const got = await Promise.all([a, b, a, b].map((s) => s.claim({ now: 100, leaseMs: 1_000, endpoints: ["sync"] })));
      for (const d of got) if (d) claimed.push(d.id);
      if (got.every((d) => d === null)) break;
    }
    expect(claimed).toHaveLength(40);
    expect(new Set(claimed).size).toBe(40);
    await a.close();
    await b.close();
  });
});
