// Statements per delivery, counted on the real store (issue 20: "count the statements and rows written per
// delivery"): node:sqlite's StatementSync/DatabaseSync and pg's Client.query are wrapped to count what runs while a
// WebhooksServer (the built package, dist/) takes N deliveries through app.fetch, 16 at a time (what group commit
// batches) and then one at a time, and runs them to the end (queue drained). Counted by the statement's first
// keyword; transactions (BEGIN) and rows changed (SQLite's `changes`) too. The ceiling servers run 1 INSERT per
// delivery in accepted mode and INSERT + UPDATE + INSERT (history) in result mode, one transaction per batch.
//
//   node bench/statements.js                 # SQLite; Postgres too when server binaries are installed
//   BENCH_STATEMENT_DELIVERIES=400 node bench/statements.js
import { createRequire } from "node:module";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import { join } from "node:path";
import { DatabaseSync, StatementSync } from "node:sqlite";
import { startPostgres } from "./postgres.js";

const N = Number(process.env.BENCH_STATEMENT_DELIVERIES) || 200;
const counts = new Map();
let rows = 0;
let counting = false;
const keyword = (sql) => /^\s*(\w+)/.exec(String(sql))?.[1]?.toUpperCase() ?? "?";
const count = (sql) => {
  if (counting) counts.set(keyword(sql), (counts.get(keyword(sql)) ?? 0) + 1);
};

for (const method of ["run", "get", "all", "iterate"]) {
  const original = StatementSync.prototype[method];
  StatementSync.prototype[method] = function (...args) {
    count(this.sourceSQL);
    const result = original.apply(this, args);
    if (counting && method === "run") rows += Number(result.changes);
    return result;
  };
}
const exec = DatabaseSync.prototype.exec;
DatabaseSync.prototype.exec = function (sql) {
  count(sql);
  return exec.call(this, sql);
};
const require = createRequire(import.meta.url);
const pg = require("pg");
const query = pg.Client.prototype.query;
pg.Client.prototype.query = function (config, ...rest) {
  count(typeof config === "string" ? config : config?.text);
  return query.call(this, config, ...rest);
};

const { WebhooksServer } = await import("../dist/index.js");
const { getFixture } = await import("../dist/testing.js");
const body = JSON.stringify(getFixture("repo.content.update", { repo: "acme/bench-model" }));

/** Counts per delivery while `n` deliveries go through `app` `parallel` at a time and are run to the end. */
async function measure(app, n, parallel, tag) {
  counts.clear();
  rows = 0;
  counting = true;
  let next = 0;
  const one = async () => {
    while (next < n) {
      const i = next++;
      const response = await app.fetch(new Request("http://127.0.0.1/webhooks/noop", {
        method: "POST", body, headers: { "content-type": "application/json", "x-webhook-secret": "s", "webhook-id": `${tag}-${i}` },
      }));
      if (response.status >= 300) throw new Error(`delivery answered ${response.status}: ${await response.text()}`);
    }
  };
  await Promise.all(Array.from({ length: parallel }, one));
  await app.queue.drain();
  counting = false;
  const per = Object.fromEntries([...counts].sort(([, a], [, b]) => b - a).map(([k, v]) => [k, v / n]));
  const total = [...counts.values()].reduce((a, b) => a + b, 0) / n;
  return { per, total, rows: rows / n };
}

const fixed = (v) => (Math.round(v * 100) / 100).toString();
async function report(label, database, extra = {}) {
  for (const mode of ["result", "accepted"]) {
    const app = new WebhooksServer({ database, webhookSecret: "s", env: { LOG_LEVEL: "silent" }, print: () => {}, handleSignals: false, ...extra });
    app.addWebhook("noop", { mode }, () => undefined);
    try {
      await app.start();
      await measure(app, 20, 4, `warm-${mode}`);
      for (const parallel of [16, 1]) {
        const r = await measure(app, N, parallel, `${mode}-${parallel}-${Date.now()}`);
        const kinds = Object.entries(r.per).map(([k, v]) => `${k} ${fixed(v)}`).join(", ");
        console.log(`| ${label} | ${mode} | ${parallel} | **${fixed(r.total)}** | ${kinds} | ${label === "SQLite" ? fixed(r.rows) : "n/a"} |`);
      }
    } finally {
      await app.close();
    }
  }
}

console.log(`statements per delivery (${N} deliveries each, run to the end; counted where the drivers execute them)`);
console.log("| engine | mode | in flight | statements | by kind | rows changed |\n|---|---|---:|---:|---|---:|");
const dir = mkdtempSync(join(os.tmpdir(), "hubhooks-statements-"));
try {
  await report("SQLite", join(dir, "count.db"));
  if (process.env.BENCH_POSTGRES !== "0") {
    const cluster = await startPostgres();
    if (cluster.unavailable) console.log(`(Postgres skipped: ${cluster.unavailable})`);
    else {
      try {
        await report("Postgres", cluster.url, { databaseSchema: "count" });
      } finally {
        cluster.stop();
      }
    }
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
