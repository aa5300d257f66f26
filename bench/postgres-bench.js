// The Postgres rows of `npm run bench` (issue 10), on one throwaway cluster (bench/postgres.js) started for all of
// them and stopped at the end, also on errors:
//   1. ingest: hubhooks result and accepted mode on Postgres, one replica and BENCH_PG_REPLICAS (3) replicas (server
//      processes on one database and schema; ONE load client whose connections are spread round-robin over their
//      URLs: runLoad's `urls`), 16 connections, × the baseline measured earlier in the same bench run;
//   2. drain: BENCH_DRAIN queued deliveries prefilled (batched INSERT … SELECT unnest), then start + drain in a child;
//   3. end to end against graphile-worker: BENCH_E2E deliveries pushed at 16 connections through hubhooks (accepted
//      mode) and through node:http + graphile-worker addJob + a graphile-worker runner (no-op task), each in one
//      process, timed from the first request until every delivery has *run* and its completion is committed
//      (hubhooks: that many succeeded rows and nothing queued/running; graphile-worker: that many task runs and an
//      empty jobs table). Both answer 202 only after their row committed; the cluster runs Postgres' durability
//      defaults (fsync on, synchronous_commit on), printed in the section header.
// Without server binaries: one line saying why, nothing else.
import { createRequire } from "node:module";
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { runLoad } from "./load.js";
import { spawnServer } from "./spawn-server.js";
import { startPostgres, withDatabase } from "./postgres.js";
import { waitForBacklog } from "./queue-depth.js";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const HUBHOOKS = join(ROOT, "bench/servers/hubhooks.js");
const GRAPHILE = join(ROOT, "bench/servers/graphile-worker.js");
const SECRET = "bench-secret";
const POLL_MS = 50;

const sleep = (millis) => new Promise((resolve) => setTimeout(resolve, millis));
const fixed = (n, d = 0) => (Number.isFinite(n) ? n.toFixed(d) : "n/a");
const thousands = (n) => (Number.isFinite(n) ? Math.round(n).toLocaleString("en-US") : "n/a");
const ms = (n) => (Number.isFinite(n) ? `${n.toFixed(n < 10 ? 2 : 1)} ms` : "n/a");
const mb = (bytes) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
const errorLine = (error) => String(error?.stack ?? error).split("\n").slice(0, 3).join(" / ");
const statusText = (r) =>
  Object.entries(r.statuses).map(([s, n]) => `${s}×${n}`).join(" ") +
  (r.errors ? ` errors×${r.errors} (${Object.entries(r.errorKinds).map(([k, n]) => `${k}×${n}`).join(", ")})` : "");

/** graphile-worker from the npm registry (a devDependency), or why not. */
async function graphileAvailable() {
  try {
    const require = createRequire(join(ROOT, "package.json"));
    const version = JSON.parse(readFileSync(join(dirname(require.resolve("graphile-worker")), "..", "package.json"), "utf8")).version;
    await import("graphile-worker");
    return { version };
  } catch (error) {
    return { unavailable: `graphile-worker is not installed (npm install --save-dev graphile-worker): ${String(error?.message ?? error).split("\n")[0]}` };
  }
}

/**
 * Everything Postgres; prints its sections and returns the numbers the goals need (`{ skipped }` without binaries).
 * @param {{ body: Buffer, payload: string, baselineRps: number, connections: number, requests: number,
 *   seconds: number, warmup: number, drain: number, drainSeconds: number, logLevel: string, replicas: number,
 *   e2e: number, e2eSeconds: number, backlogWaitMs: number }} o
 */
export async function runPostgresBench(o) {
  const cluster = await startPostgres();
  if (cluster.unavailable) {
    console.log(`\n## Postgres: rows skipped — ${cluster.unavailable}`);
    return { skipped: cluster.unavailable };
  }
  const stopCluster = () => cluster.stop();
  // A crash, an exit() elsewhere or ^C still stops it (stop() is synchronous; a signal's default action would skip
  // the exit handlers, so while the cluster runs SIGINT/SIGTERM exit the bench instead).
  const onSignal = (signal) => process.exit(signal === "SIGINT" ? 130 : 143);
  process.once("exit", stopCluster);
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  const results = {};
  let admin;
  try {
    const pg = (await import("pg")).default;
    admin = new pg.Pool({ connectionString: cluster.url, max: 2 });
    admin.on("error", () => {});
    const show = async (name) => (await admin.query(`show ${name}`)).rows[0][name];
    const settings = {};
    for (const name of ["fsync", "synchronous_commit", "wal_sync_method", "shared_buffers", "max_connections"]) settings[name] = await show(name);
    console.log(`\n## Postgres (${cluster.version}; one throwaway cluster for every row below, data in the OS temp directory)`);
    console.log(
      `settings: ${Object.entries(settings).map(([k, v]) => `${k}=${v}`).join(", ")} (Postgres defaults: every ` +
        "commit is flushed to the WAL before it returns, for both stacks); loopback TCP; hubhooks' pool: its default (10 per process)",
    );

    await ingest(o, cluster, results);
    await drain(o, cluster, results);
    {
      const { multiDrainRows } = await import("./drain-multi.js");
      const { prefillQueuedPostgres } = await import("./prefill.js");
      results.multiDrain = await multiDrainRows({
        label: "Postgres", perEndpoint: Math.min(10_000, o.drain), timeoutSeconds: o.drainSeconds,
        newTarget: () => ({ path: cluster.url, schema: freshSchema("multi") }),
        prefill: (t, endpoint, count) => prefillQueuedPostgres({ url: t.path, schema: t.schema, count, body: o.payload, endpoint }),
      });
    }
    await endToEnd(o, cluster, admin, results);
  } catch (error) {
    console.log(`Postgres rows failed: ${errorLine(error)}`);
  } finally {
    await admin?.end().catch(() => {});
    process.removeListener("exit", stopCluster);
    process.removeListener("SIGINT", onSignal);
    process.removeListener("SIGTERM", onSignal);
    stopCluster();
  }
  return results;
}

let schemaNo = 0;
const freshSchema = (tag) => `bench_${tag}_${++schemaNo}`;

async function startAll(script, argsList) {
  const servers = [];
  try {
    // One at a time: replicas starting together are safe (advisory-locked migrations), but the ready times then
    // measure the lock, not the server.
    for (const args of argsList) servers.push(await spawnServer(script, args));
    return servers;
  } catch (error) {
    await Promise.all(servers.map((s) => s.stop()));
    throw error;
  }
}

/** Row 1: throughput and latency of hubhooks on Postgres, 1 and N replicas, result and accepted mode. */
async function ingest(o, cluster, results) {
  const variants = [];
  for (const replicas of [1, o.replicas]) {
    for (const mode of ["result", "accepted"]) variants.push({ mode, replicas, key: `${mode}x${replicas}` });
  }
  console.log(
    `\n### ingest on Postgres (${o.connections} connections, closed loop, no-op handler, secret on; N replicas = N server ` +
      `processes on one database and schema, the one load client's connections spread round-robin over their URLs)`,
  );
  const rows = [];
  const notes = [];
  for (const v of variants) {
    const schema = freshSchema(`${v.mode}${v.replicas}`);
    let servers;
    try {
      servers = await startAll(HUBHOOKS, Array.from({ length: v.replicas }, () => [v.mode, cluster.url, o.logLevel, schema]));
      const urls = servers.map((s) => s.info.url);
      const tag = `pg-${v.key}-${Date.now().toString(36)}`;
      const load = (requests, maxSeconds, phase) => runLoad({
        urls, body: o.body, connections: o.connections, requests, maxSeconds,
        headers: { "X-Webhook-Secret": SECRET }, idPrefix: `${tag}-${phase}-`,
      });
      if (o.warmup > 0) await load(o.warmup, Math.max(1, o.seconds / 5), "warm");
      const cpu = () => servers.reduce((sum, s) => sum + s.cpuSeconds(), 0);
      const cpuBefore = cpu();
      const pgBefore = cluster.cpuSeconds();
      const main = await load(o.requests, o.seconds, "run");
      const serverCpu = (cpu() - cpuBefore) / main.seconds;
      const pgCpu = (cluster.cpuSeconds() - pgBefore) / main.seconds;
      const rss = servers.reduce((sum, s) => sum + s.rss(), 0);
      let backlog;
      if (v.mode === "accepted") backlog = await waitForBacklog(urls[0], o.backlogWaitMs);
      const died = servers.map((s) => s.exitStatus()).filter(Boolean);
      rows.push({ v, main, serverCpu, pgCpu, rss, driver: servers[0].info.driver });
      results[v.key] = main;
      if (died.length) notes.push(`${v.mode} ×${v.replicas}: ${died.length} server(s) exited during the run (${died.join(", ")})`);
      if (backlog) {
        notes.push(
          `accepted ×${v.replicas}: ${fixed(backlog.atEnd)} queued/running when the load stopped` +
            (backlog.atEnd > 0 ? `, ${backlog.left > 0 ? `${fixed(backlog.left)} still left after` : "all run within"} ${fixed(backlog.seconds, 1)} s` : ""),
        );
      }
    } catch (error) {
      notes.push(`${v.mode} ×${v.replicas}: failed: ${errorLine(error)}`);
    } finally {
      if (servers) await Promise.all(servers.map((s) => s.stop()));
    }
  }
  console.log(
    "| server | replicas | requests | req/s | × baseline | p50 | p99 | statuses | RSS after (sum) | CPU client / servers / Postgres |\n" +
      "|---|---:|---:|---:|---:|---:|---:|---|---:|---:|",
  );
  for (const { v, main: m, serverCpu, pgCpu, rss } of rows) {
    console.log(
      `| hubhooks ${v.mode} mode (Postgres) | ${v.replicas} | ${m.completed}${m.capped ? ` (${o.seconds} s cap)` : ""} | ` +
        `${thousands(m.rps)} | ${fixed(m.rps / o.baselineRps, 2)} | ${ms(m.p50)} | ${ms(m.p99)} | ${statusText(m)} | ${mb(rss)} | ` +
        `${fixed(m.clientCpu * 100)}% / ${fixed(serverCpu * 100)}% / ${fixed(pgCpu * 100)}% |`,
    );
  }
  for (const note of notes) console.log(`- ${note}`);
}


/** Row 2: the queue drain on Postgres. */
async function drain(o, cluster, results) {
  console.log(`\n### queue drain on Postgres (${thousands(o.drain)} queued no-op deliveries, then start + drain, one process)`);
  try {
    const { prefillQueuedPostgres } = await import("./prefill.js");
    const { measureDrain } = await import("./drain.js");
    const schema = freshSchema("drain");
    const started = performance.now();
    await prefillQueuedPostgres({ url: cluster.url, schema, count: o.drain, body: o.payload });
    console.log(
      `prefill: ${fixed((performance.now() - started) / 1000, 1)} s (migrations, then INSERT … SELECT unnest in ` +
        `${Math.ceil(o.drain / 20_000)} statements of ≤ 20,000 rows, one transaction, then ANALYZE)`,
    );
    const pgBefore = cluster.cpuSeconds();
    const d = await measureDrain({ path: cluster.url, schema, count: o.drain, timeoutSeconds: o.drainSeconds });
    const pgCpu = (cluster.cpuSeconds() - pgBefore) / d.drainSeconds;
    results.drain = d;
    console.log(
      `drain:   ${thousands(d.drainPerSecond)} deliveries/s (${thousands(d.done)} in ${fixed(d.drainSeconds, 1)} s incl. ` +
        `${fixed(d.startSeconds * 1000)} ms of start()${d.complete ? "" : `; stopped at the ${o.drainSeconds} s cap`}, endpoint ` +
        `concurrency 8) — driver ${d.driver}; Postgres CPU ${fixed(pgCpu * 100)}% of one core`,
    );
    console.log(
      `RSS:     ${mb(d.rssBefore)} before start → ${mb(d.rssAfter)} after the drain (+${mb(d.rssAfter - d.rssBefore)}), ` +
        `peak ${mb(d.rssPeak)}; left: ${JSON.stringify(d.counts)}`,
    );
  } catch (error) {
    console.log(`drain failed: ${errorLine(error)}`);
  }
}

/**
 * Push `count` deliveries through a stack at `connections` and time until `progress()` says all of them ran:
 * from just before the first request to the first poll (every 50 ms once the load stopped) that sees them done.
 * The rate is the deliveries accepted (2xx) ÷ that time. A warm-up of a tenth (≤ 2,000) goes first, through the
 * same path, waited for, not counted.
 */
async function pushAndWait({ o, urls, tag, progress }) {
  const load = (requests, maxSeconds, phase) => runLoad({
    urls, body: o.body, connections: o.connections, requests, maxSeconds,
    headers: { "X-Webhook-Secret": SECRET }, idPrefix: `${tag}-${phase}-`,
  });
  const accepted = (r) => Object.entries(r.statuses).reduce((n, [s, k]) => n + (Number(s) >= 200 && Number(s) < 300 ? k : 0), 0);
  const waitDone = async (expected, deadline) => {
    for (;;) {
      const p = await progress();
      if (p.ran >= expected && p.left === 0) return { ...p, complete: true, at: performance.now() };
      if (performance.now() > deadline) return { ...p, complete: false, at: performance.now() };
      await sleep(POLL_MS);
    }
  };
  const before = await progress();
  const warmCount = Math.min(2_000, Math.ceil(o.e2e / 10));
  const warm = await load(warmCount, Math.max(1, o.seconds / 5), "warm");
  const warmed = await waitDone(before.ran + accepted(warm), performance.now() + 30_000);
  const started = performance.now();
  const run = await load(o.e2e, o.e2eSeconds, "run");
  const loadEnded = performance.now();
  const leftAtLoadEnd = (await progress()).left;
  const done = await waitDone(warmed.ran + accepted(run), started + o.e2eSeconds * 1000 + 30_000);
  const seconds = (done.at - started) / 1000;
  const ran = done.ran - warmed.ran;
  return {
    run, accepted: accepted(run), ran, complete: done.complete, left: done.left, seconds, rate: ran / seconds,
    loadSeconds: (loadEnded - started) / 1000, leftAtLoadEnd, warmComplete: warmed.complete,
  };
}

/** Row 3: hubhooks (accepted mode) against node:http + graphile-worker, end to end. */
async function endToEnd(o, cluster, admin, results) {
  console.log(
    `\n### end to end on Postgres: ${thousands(o.e2e)} deliveries at ${o.connections} connections, until every one has run ` +
      "(one process per stack, no-op handler / task, 202 after the commit)",
  );
  const rows = [];
  const notes = [];
  // hubhooks, accepted mode.
  {
    const schema = freshSchema("e2e");
    let server;
    try {
      [server] = await startAll(HUBHOOKS, [["accepted", cluster.url, o.logLevel, schema]]);
      const table = `"${schema}".deliveries`;
      const progress = async () => {
        const { rows: counts } = await admin.query(`select status, count(*)::int as n from ${table} group by status`);
        const by = Object.fromEntries(counts.map((r) => [r.status, r.n]));
        return { ran: by.succeeded ?? 0, left: (by.queued ?? 0) + (by.running ?? 0) + (by.failed ?? 0) };
      };
      const pgBefore = cluster.cpuSeconds();
      const cpuBefore = server.cpuSeconds();
      const r = await pushAndWait({ o, urls: [server.info.url], tag: `e2e-hh-${Date.now().toString(36)}`, progress });
      rows.push({
        name: "hubhooks accepted mode", r, serverCpu: (server.cpuSeconds() - cpuBefore) / r.seconds,
        pgCpu: (cluster.cpuSeconds() - pgBefore) / r.seconds, how: "succeeded rows in its log",
      });
      results.e2eHubhooks = r;
      if (server.exitStatus()) notes.push(`hubhooks: the server exited during the run (${server.exitStatus()})`);
    } catch (error) {
      notes.push(`hubhooks end to end failed: ${errorLine(error)}`);
    } finally {
      await server?.stop();
    }
  }
  // graphile-worker, receiver and runner in one process; its own database.
  const gw = await graphileAvailable();
  if (gw.unavailable) {
    notes.push(`graphile-worker row skipped: ${gw.unavailable}`);
  } else {
    let server;
    let pool;
    try {
      await admin.query("create database bench_graphile");
      const url = withDatabase(cluster.url, "bench_graphile");
      [server] = await startAll(GRAPHILE, [[url, "both", "8"]]);
      const pg = (await import("pg")).default;
      pool = new pg.Pool({ connectionString: url, max: 1 });
      pool.on("error", () => {});
      const stats = new URL("/stats", server.info.url);
      const progress = async () => {
        const { rows: counts } = await pool.query("select count(*)::int as n from graphile_worker._private_jobs");
        const { runs } = await (await fetch(stats, { signal: AbortSignal.timeout(10_000) })).json();
        return { ran: runs, left: counts[0].n };
      };
      const pgBefore = cluster.cpuSeconds();
      const cpuBefore = server.cpuSeconds();
      const r = await pushAndWait({ o, urls: [server.info.url], tag: `e2e-gw-${Date.now().toString(36)}`, progress });
      rows.push({
        name: `node:http + graphile-worker ${gw.version} (addJob; runner concurrency 8)`, r,
        serverCpu: (server.cpuSeconds() - cpuBefore) / r.seconds, pgCpu: (cluster.cpuSeconds() - pgBefore) / r.seconds,
        how: "task runs, and its jobs table empty",
      });
      results.e2eGraphile = r;
      if (server.exitStatus()) notes.push(`graphile-worker: the server exited during the run (${server.exitStatus()})`);
    } catch (error) {
      notes.push(`graphile-worker end to end failed: ${errorLine(error)}`);
    } finally {
      await pool?.end().catch(() => {});
      await server?.stop();
    }
  }
  console.log(
    "| stack | accepted | ran | end-to-end deliveries/s | ingest req/s | p50 | p99 | left at load end | statuses | CPU server / Postgres | done = |\n" +
      "|---|---:|---:|---:|---:|---:|---:|---:|---|---:|---|",
  );
  for (const { name, r, serverCpu, pgCpu, how } of rows) {
    console.log(
      `| ${name} | ${r.accepted} | ${r.ran}${r.complete ? "" : ` (${r.left} left at the cap)`} | ${thousands(r.rate)} | ` +
        `${thousands(r.run.rps)} | ${ms(r.run.p50)} | ${ms(r.run.p99)} | ${fixed(r.leftAtLoadEnd)} | ${statusText(r.run)} | ` +
        `${fixed(serverCpu * 100)}% / ${fixed(pgCpu * 100)}% | ${how} |`,
    );
  }
  const { e2eHubhooks: h, e2eGraphile: g } = results;
  if (h && g) console.log(`- hubhooks ÷ graphile-worker, end to end: ${fixed(h.rate / g.rate, 2)}×`);
  for (const r of rows) if (!r.r.warmComplete) notes.push(`${r.name}: its warm-up had not all run after 30 s`);
  for (const note of notes) console.log(`- ${note}`);
}
