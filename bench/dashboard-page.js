// The dashboard page's time over a big delivery log (issue 21): the page with its health strip (the strip's ONE
// grouped statement over the last 24 h, plus the table's newest page), on a SQLite log of BENCH_DASHBOARD_ROWS
// succeeded deliveries (default 1,000,000, receive times over the past week: ~143,000 of them in the strip's
// window). Reuses the prefilled file of `npm run bench` when BENCH_LOG_ROWS made one; else fills its own (~35 s and
// ~1.5 GB at 1 M rows, in the OS temp directory, removed at the end). On the built package (dist/).
//
//   node bench/dashboard-page.js            # alone
//   BENCH_DASHBOARD_ROWS=200000 node bench/dashboard-page.js
// `npm run bench` prints the same table (one line in run.js; BENCH_DASHBOARD_ROWS=0 skips it). Loopback only;
// bounded (BENCH_DASHBOARD_LOADS loads, default 10).
import { mkdtempSync, rmSync, statSync } from "node:fs";
import os from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const env = process.env;
const int = (name, fallback) => (env[name] && /^\d+$/.test(env[name]) ? Number(env[name]) : fallback);
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const fixed = (n, digits = 1) => n.toFixed(digits);

/**
 * Print the dashboard page row: the first load (cold cache) and the median of the next loads, and the health
 * statement alone. `logDb`/`logRows`: a log already prefilled by the caller (reused, not removed).
 * @param {{ dir?: string, logDb?: string, logRows?: number }} options
 */
export async function printDashboardPage({ dir, logDb, logRows } = {}) {
  const rows = logDb ? logRows : int("BENCH_DASHBOARD_ROWS", 1_000_000);
  if (!rows) return; // BENCH_DASHBOARD_ROWS=0 skips the row
  const loads = Math.max(1, int("BENCH_DASHBOARD_LOADS", 10));
  const own = logDb ? undefined : mkdtempSync(join(dir ?? os.tmpdir(), "hubhooks-dashboard-bench-"));
  const path = logDb ?? join(own, "dashboard.db");
  console.log(`\n## dashboard page at ${rows.toLocaleString("en-US")} log rows (SQLite; health strip over 24 h + newest 50 rows; ${loads} loads)`);
  try {
    if (!logDb) {
      const [{ prefillLog }, { getFixture }] = await Promise.all([import("./prefill.js"), import("../dist/testing.js")]);
      const started = performance.now();
      await prefillLog(path, { rows, bodyFor: (repo) => JSON.stringify(getFixture("repo.content.update", { repo })) });
      console.log(`prefill: ${fixed((performance.now() - started) / 1000)} s, file ${fixed(statSync(path).size / 2 ** 20, 0)} MB`);
    }
    const { WebhooksServer } = await import("../dist/index.js");
    const { pino } = await import("pino");
    const app = new WebhooksServer({ database: path, handleSignals: false, print: () => {}, logger: pino({ level: "silent" }), env: {} });
    app.addWebhook("noop", () => null);
    const info = await app.launch({ port: 0, host: "127.0.0.1" });
    try {
      const times = [];
      let bytes = 0;
      for (let i = 0; i <= loads; i++) {
        const started = performance.now();
        const response = await fetch(`${info.localUrl}/`);
        const text = await response.text();
        times.push(performance.now() - started);
        if (!response.ok || !text.includes('class="health"')) throw new Error(`the page answered ${response.status} without its health strip`);
        bytes = text.length;
      }
      const statement = [];
      for (let i = 0; i < loads; i++) {
        const started = performance.now();
        await app.store.deliveryHealth(Date.now() - 86_400_000);
        statement.push(performance.now() - started);
      }
      console.log("| measure | time |\n|---|---:|");
      console.log(`| first page load (cold) | ${fixed(times[0])} ms |`);
      console.log(`| page load, median of ${loads} | ${fixed(median(times.slice(1)))} ms |`);
      console.log(`| health statement alone, median of ${loads} | ${fixed(median(statement))} ms |`);
      console.log(`page size: ${fixed(bytes / 1024)} KB`);
    } finally {
      await app.close();
    }
  } finally {
    if (own) rmSync(own, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await printDashboardPage();
