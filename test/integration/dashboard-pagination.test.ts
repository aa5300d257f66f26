// Dashboard pagination on a large delivery log: a real SQLite file, the real store statement, the real HTTP routes.
// Default 20,000 rows (CI); the numbers in docs/benchmarks.md come from HUBHOOKS_BENCH_ROWS=1000000.
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { Kysely, SqliteDialect } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getFixture } from "../../src/payload/index.js";
import { newDeliveryId } from "../../src/store/delivery-id.js";
import { encodeListCursor } from "../../src/store/list-cursor.js";
import { openSqlite, type OpenSqlite } from "../../src/store/sqlite/open-sqlite.js";
import { SqliteDeliveryStore } from "../../src/store/sqlite/sqlite-delivery-store.js";
import type { StoreSchema } from "../../src/store/schema.js";
import type { DeliveryFilter } from "../../src/store/types.js";
import { startDashboardServer } from "../e2e/dashboard-harness.js";

const ROWS = Number(process.env.HUBHOOKS_BENCH_ROWS ?? 20_000);
const LONG = Math.max(120_000, ROWS / 5); // ms: a million rows take about a minute to insert
const ENDPOINTS = ["train", "bot", "sync"];
const FIXTURES = ["repo.content.update", "discussion.comment.create", "repo.config.update", "discussion.create", "repo.create"];

let dir: string;
let path: string;
let deepCursor: string;
let deepFirstId: string;

/** One transaction of plain INSERTs through the same driver the store uses (fast, and no queue involved). */
function fill(sqlite: OpenSqlite, rows: number): void {
  const bodies = FIXTURES.map((name) => ({ name, body: JSON.stringify(getFixture(name)) }));
  const now = Date.now();
  const run = (sql: string, params: unknown[] = []) => sqlite.database.prepare(sql).run(params);
  const insert = sqlite.database.prepare(
    `insert into deliveries (id, endpoint, body, headers, webhook_id, scope, action, repo_type, repo_name, ordering_key,
       status, attempts, max_attempts, attempt_budget, next_attempt_at, lease_until, started_at, result, error,
       duration_ms, received_at, updated_at, finished_at)
     values (?, ?, ?, ?, null, ?, ?, 'model', ?, null, ?, 1, 5, 5, ?, null, ?, ?, ?, 42, ?, ?, ?)`,
  );
  const headers = JSON.stringify({ "content-type": "application/json", "user-agent": "huggingface-hub-webhooks" });
  run("begin");
  for (let i = 0; i < rows; i++) {
    const receivedAt = now - (rows - i) * 100; // oldest first, 100 ms apart
    const fixture = bodies[i % bodies.length]!;
    const [scope, action] = splitEvent(fixture.name);
    const status = i % 1000 === 0 ? "dead" : i % 100 === 1 ? "retrying" : "succeeded";
    insert.run([
      newDeliveryId(receivedAt), ENDPOINTS[i % 3], fixture.body, headers, scope, action, `org${i % 100}/model-${i % 5000}`, status,
      status === "retrying" ? now + 86_400_000 : null, receivedAt, status === "succeeded" ? '{"ok":true}' : null,
      status === "succeeded" ? null : "Error: upstream timeout", receivedAt + 1, receivedAt + 42, receivedAt + 42,
    ]);
  }
  run("commit");
  // Fold the bulk load into the main file, as a long-running server's periodic checkpoints would have.
  sqlite.database.prepare("pragma wal_checkpoint(TRUNCATE)").all([]);
}

function splitEvent(name: string): [string, string] {
  const payload = getFixture(name) as { event: { scope: string; action: string } };
  return [payload.event.scope, payload.event.action];
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "hubhooks-pagination-"));
  path = join(dir, "hubhooks.db");
  const sqlite = openSqlite(path);
  const db = new Kysely<StoreSchema>({ dialect: new SqliteDialect({ database: sqlite.database }) });
  const store = new SqliteDeliveryStore(db, sqlite.raw, () => sqlite.database.close());
  await store.migrate();
  const started = performance.now();
  fill(sqlite, ROWS);
  const deep = sqlite.database
    .prepare("select received_at, id from deliveries order by received_at desc, id desc limit 2 offset ?")
    .all([Math.floor(ROWS * 0.9)]) as { received_at: number; id: string }[];
  deepCursor = encodeListCursor({ receivedAt: Number(deep[0]!.received_at), id: deep[0]!.id });
  deepFirstId = deep[1]!.id;
  await store.close();
  const mb = (statSync(path).size / 1e6).toFixed(0);
  console.log(`[pagination] ${ROWS} rows (${mb} MB, driver ${sqlite.driver}) inserted in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}, LONG);

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe(`dashboard pagination over ${ROWS} deliveries`, () => {
  it("reads every filtered page in index order: no sort of the whole table", async () => {
    const sqlite = openSqlite(path);
    const statements: { sql: string; parameters: readonly unknown[] }[] = [];
    const db = new Kysely<StoreSchema>({
      dialect: new SqliteDialect({ database: sqlite.database }),
      log: (event) => {
        if (event.level === "query") statements.push({ sql: event.query.sql, parameters: event.query.parameters });
      },
    });
    const store = new SqliteDeliveryStore(db, sqlite.raw, () => sqlite.database.close());
    const planOf = async (filter: DeliveryFilter) => {
      await store.list(filter, { limit: 50, cursor: deepCursor });
      const { sql, parameters } = statements.at(-1)!;
      const rows = sqlite.database.prepare(`explain query plan ${sql}`).all(parameters) as { detail: string }[];
      return rows.map((r) => r.detail).join(" | ");
    };
    try {
      const plans = {
        none: await planOf({}),
        status: await planOf({ status: "dead" }),
        endpoint: await planOf({ endpoint: "bot" }),
        scope: await planOf({ scope: "discussion" }),
        repo: await planOf({ repo: "model-42" }),
      };
      for (const [name, plan] of Object.entries(plans)) expect(plan, name).not.toContain("TEMP B-TREE");
      expect(plans.none).toContain("INDEX deliveries_received");
      expect(plans.status).toContain("INDEX deliveries_status_received");
      expect(plans.endpoint).toContain("INDEX deliveries_endpoint_received");
      console.log("[pagination] plans:", plans);
    } finally {
      await store.close();
    }
  });

  it("serves the first and a deep page through the dashboard routes (timings printed)", async () => {
    const s = await startDashboardServer({ database: path, retentionMs: false });
    try {
      const cases: [string, string][] = [
        ["rows, no filter, first page", "/dashboard/rows"],
        ["rows, no filter, page at 90%", `/dashboard/rows?cursor=${deepCursor}`],
        ["HTML page, first page", "/"],
        ["HTML page, page at 90%", `/?cursor=${deepCursor}`],
        ["status=dead (0.1%), first page", "/dashboard/rows?status=dead"],
        ["status=dead, page at 90%", `/dashboard/rows?status=dead&cursor=${deepCursor}`],
        ["endpoint=bot (33%), page at 90%", `/dashboard/rows?endpoint=bot&cursor=${deepCursor}`],
        ["scope=discussion (20%), page at 90%", `/dashboard/rows?scope=discussion&cursor=${deepCursor}`],
        ["repo contains model-42 (2%), first page", "/dashboard/rows?repo=model-42"],
        ["repo matches nothing (full scan)", "/dashboard/rows?repo=no-such-repo"],
      ];
      const lines = ["| query | rows | first request ms | median of 5 more ms |", "| --- | ---: | ---: | ---: |"];
      for (const [label, url] of cases) {
        const times: number[] = [];
        let count = 0;
        for (let run = 0; run < 6; run++) {
          const started = performance.now();
          const res = await fetch(s.url + url);
          const text = await res.text();
          const elapsed = performance.now() - started;
          expect(res.status, label).toBe(200);
          count = url.startsWith("/dashboard/rows") ? (JSON.parse(text) as { rows: unknown[] }).rows.length : (text.match(/<tr data-id=/g) ?? []).length;
          times.push(elapsed);
        }
        const [first, ...rest] = times;
        rest.sort((a, b) => a - b);
        lines.push(`| ${label} | ${count} | ${first!.toFixed(1)} | ${rest[Math.floor(rest.length / 2)]!.toFixed(1)} |`);
      }
      const deep = (await (await fetch(`${s.url}/dashboard/rows?cursor=${deepCursor}`)).json()) as { rows: { id: string }[] };
      expect(deep.rows).toHaveLength(50);
      expect(deep.rows[0]!.id).toBe(deepFirstId);
      console.log(`[pagination] ${ROWS} rows, Node ${process.version}\n${lines.join("\n")}`);
    } finally {
      await s.close();
    }
  }, LONG);
});
