// `npm run bench`: what issue 9 asks, each hubhooks variant against a bare node:http baseline measured IN THE SAME
// RUN (ratios printed, nothing asserted; exit 0 whatever the numbers): throughput and p50/p99 over 16 keep-alive
// connections, the median latency over one connection (each paired with a one-connection run of the baseline right
// after it: that median drifts with the machine's state more than anything else here), RSS, startup, queue drain
// rate, claim cost, and at the end the issue's goals computed from those numbers. Loopback only, on the built
// package (dist/: build first with `npx tsc -p tsconfig.build.json`). The prefills use node:sqlite (Node >= 22.13). The client (load.js) is raw keep-alive sockets, cheap enough not to be the bottleneck.
//
// Then the Postgres rows (issue 10; bench/postgres-bench.js, on one throwaway cluster started for them and
// stopped after them): hubhooks' ingest on Postgres with one and three replicas, its drain, and an end-to-end
// comparison with node:http + graphile-worker.
//
// Bounded: every load run stops at a fixed request count or a time cap, whichever comes first (the tables show
// the requests actually answered), and every wait has a timeout. 1.5-3 minutes on 2 cores at the defaults, plus
// ~2 minutes of Postgres rows;
// BENCH_LOG_ROWS=1000000 adds ~35 s of prefill (a 1.5 GB file in the OS temp directory, removed at the end).
//
// Knobs (environment):
//   BENCH_CONNECTIONS    16       keep-alive connections of the throughput runs
//   BENCH_REQUESTS       50000    requests per throughput run (each variant) ...
//   BENCH_SECONDS        10       ... or this many seconds, whichever comes first
//   BENCH_WARMUP         5000     warm-up requests before each run (capped at a fifth of BENCH_SECONDS)
//   BENCH_ONE_REQUESTS   3000     requests of the one-connection run (each variant) ...
//   BENCH_ONE_SECONDS    5        ... or this many seconds
//   BENCH_DRAIN          100000   queued deliveries for the drain (prefilled with node:sqlite in one transaction)
//   BENCH_DRAIN_SECONDS  120      cap on the drain (deliveries done so far are reported)
//   BENCH_MULTI_DRAIN    10000    due deliveries on each of the 2 busy endpoints of the 8-endpoint drain (issue 19)
//   BENCH_LOG_ROWS       unset    prefill the delivery log with that many succeeded rows (real ~650 B fixture
//                                 bodies, receive times over the past week, one attempt row each) before the
//                                 SQLite startups, the two SQLite throughput runs and the drain. One file is
//                                 filled once and reused by all of them (copying it for each would cost ~2 s and
//                                 1.5 GB of dirty pages flushed during the next run; reusing costs nothing, the
//                                 runs only add their own rows). Unset: every SQLite run starts on an empty file.
//   BENCH_DASHBOARD_ROWS 1000000  log rows of the dashboard page row (bench/dashboard-page.js; the BENCH_LOG_ROWS file
//                                 when there is one); 0 skips it
//   BENCH_STARTS         3        startups per variant (median)
//   BENCH_IMPORTS        5        runs per entry of the import-cost row (median)
//   BENCH_POSTGRES       1        0: skip the Postgres rows (they also skip themselves, with a line saying why,
//                                 when there are no server binaries under /usr/lib/postgresql)
//   BENCH_PG_REPLICAS    3        replicas of the multi-replica Postgres ingest rows
//   BENCH_PG_DRAIN_SECONDS 30     cap on the Postgres drain (of the same BENCH_DRAIN deliveries)
//   BENCH_E2E            10000    deliveries pushed through each stack in the Postgres end-to-end comparison ...
//   BENCH_E2E_SECONDS    60       ... or this many seconds of load (then at most 30 s more waiting for them to run)
//   BENCH_LOG_LEVEL      info     the servers' log level (a user's default; logs go to /dev/null)
//   BENCH_SERVER_LOGS    unset    a directory: keep each server's logs there instead (to debug a server that dies)
//   BENCH_CEILING_ROUNDS 3        interleaved rounds of the ceiling rows (issue 20; bench/ceiling.js), run first ...
//   BENCH_CEILING_SECONDS 5       ... each server loaded this long per round, after 1 s of warm-up
//   BENCH_ONLY           unset    "ceiling": only the ceiling rows (about 8 servers × rounds × 7 s) and the
//                                 statements per delivery (bench/statements.js, ~30 s), then exit
//   BENCH_BEFORE_DIST    unset    another build's dist/ (an earlier commit: git archive <sha> | tar -x -C /tmp/b,
//                                 ln -s $PWD/node_modules /tmp/b, npx tsc -p /tmp/b/tsconfig.build.json): its hubhooks
//                                 rows run in the ceiling rounds too, each right after the current build's
//
//   export PATH=/opt/node24/node_modules/node/bin:$PATH && npx tsc -p tsconfig.build.json && npm run bench
//   BENCH_LOG_ROWS=1000000 npm run bench
//   BENCH_ONLY=ceiling npm run bench      # hubhooks ÷ the minimal servers only, ~3 minutes
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import os from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { runLoad } from "./load.js";
import { spawnServer } from "./spawn-server.js";
import { waitForBacklog } from "./queue-depth.js";
import { importCost } from "./import-cost.js";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const HUBHOOKS = join(ROOT, "bench/servers/hubhooks.js");
const BASELINE = join(ROOT, "bench/servers/baseline.js");
const SECRET = "bench-secret";

const env = process.env;
const int = (name, fallback) => (env[name] && /^\d+$/.test(env[name]) ? Number(env[name]) : fallback);
const CONNECTIONS = Math.max(1, int("BENCH_CONNECTIONS", 16));
const REQUESTS = int("BENCH_REQUESTS", 50_000);
const SECONDS = int("BENCH_SECONDS", 10);
const WARMUP = int("BENCH_WARMUP", 5_000);
const ONE_REQUESTS = int("BENCH_ONE_REQUESTS", 3_000);
const ONE_SECONDS = int("BENCH_ONE_SECONDS", 5);
const DRAIN = int("BENCH_DRAIN", 100_000);
const DRAIN_SECONDS = int("BENCH_DRAIN_SECONDS", 120);
const MULTI_DRAIN = int("BENCH_MULTI_DRAIN", 10_000);
const LOG_ROWS = int("BENCH_LOG_ROWS", 0);
const STARTS = Math.max(1, int("BENCH_STARTS", 3));
const LOG_LEVEL = env.BENCH_LOG_LEVEL || "info";
const POSTGRES = env.BENCH_POSTGRES !== "0";
const PG_REPLICAS = Math.max(1, int("BENCH_PG_REPLICAS", 3));
const PG_DRAIN_SECONDS = int("BENCH_PG_DRAIN_SECONDS", 30);
const E2E = Math.max(1, int("BENCH_E2E", 10_000));
const E2E_SECONDS = int("BENCH_E2E_SECONDS", 60);
const BACKLOG_WAIT_MS = 30_000;
const PG_BACKLOG_WAIT_MS = 15_000;

if (!existsSync(join(ROOT, "dist/index.js"))) {
  console.error("bench: dist/ is missing; build first: npx tsc -p tsconfig.build.json");
  process.exit(1);
}
const { getFixture } = await import("../dist/testing.js");
const { measureDrain } = await import("./drain.js");
const { measureClaimCost } = await import("./claim-cost.js");
const { prefillLog, prefillQueued } = await import("./prefill.js");

const dir = mkdtempSync(join(os.tmpdir(), "hubhooks-bench-"));
const payload = JSON.stringify(getFixture("repo.content.update", { repo: "acme/bench-model" }));
const body = Buffer.from(payload);
let dbNo = 0;
const freshDb = () => join(dir, `bench-${++dbNo}.db`);
/** With BENCH_LOG_ROWS: the one prefilled log file every SQLite run reuses; else a fresh empty file per run. */
let logDb;
const sqliteDb = () => logDb ?? freshDb();

/** The servers compared: the baseline and hubhooks in its three dispatch modes. */
const VARIANTS = [
  { key: "baseline", name: "baseline node:http + JSON.parse", script: BASELINE, args: () => [] },
  { key: "result", name: "hubhooks result mode (SQLite log)", script: HUBHOOKS, args: () => ["result", sqliteDb(), LOG_LEVEL] },
  {
    key: "accepted", name: "hubhooks accepted mode (SQLite log)", script: HUBHOOKS,
    args: () => ["accepted", sqliteDb(), LOG_LEVEL], accepted: true,
  },
  { key: "inline", name: "hubhooks database: false (inline)", script: HUBHOOKS, args: () => ["inline", "", LOG_LEVEL] },
];

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor((values.length - 1) / 2)];
const mb = (bytes) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
const fixed = (n, d = 0) => (Number.isFinite(n) ? n.toFixed(d) : "n/a");
const thousands = (n) => (Number.isFinite(n) ? Math.round(n).toLocaleString("en-US") : "n/a");
const ms = (n) => (Number.isFinite(n) ? `${n.toFixed(n < 10 ? 2 : 1)} ms` : "n/a");
const sleep = (millis) => new Promise((resolve) => setTimeout(resolve, millis));
const errorLine = (error) => String(error?.stack ?? error).split("\n").slice(0, 3).join(" / ");

async function startup(variant) {
  const readies = [];
  const rsses = [];
  let driver;
  for (let i = 0; i < STARTS; i++) {
    const server = await spawnServer(variant.script, variant.args());
    try {
      await sleep(1000); // idle: let startup garbage and lazy work settle before reading RSS
      readies.push(server.readyMs);
      rsses.push(server.rss());
      driver = server.info.driver;
    } finally {
      await server.stop();
    }
  }
  return { readyMs: median(readies), rss: median(rsses), driver };
}

const loader = (url, tag) => (connections, requests, maxSeconds, phase) =>
  runLoad({ url, body, connections, requests, maxSeconds, headers: { "X-Webhook-Secret": SECRET }, idPrefix: `${tag}-${phase}-` });

/** The one-connection run: a short warm-up on one connection, then the measured run. */
async function oneConnection(load) {
  await load(1, Math.min(500, ONE_REQUESTS), 1, "warm1");
  return load(1, ONE_REQUESTS, ONE_SECONDS, "one");
}

/**
 * Warm-up, the 16-connection run (then RSS, and in accepted mode the backlog), the one-connection run, and at
 * once after it the same one-connection run on `pair` (a baseline server kept running), the median to compare with.
 */
async function measureVariant(variant, tag, pair) {
  const server = await spawnServer(variant.script, variant.args());
  try {
    const url = server.info.url;
    const load = loader(url, tag);
    if (WARMUP > 0) await load(CONNECTIONS, WARMUP, Math.max(1, SECONDS / 5), "warm");
    const cpuBefore = server.cpuSeconds();
    const main = await load(CONNECTIONS, REQUESTS, SECONDS, "run");
    const serverCpu = (server.cpuSeconds() - cpuBefore) / main.seconds;
    const rssAfter = server.rss();
    let backlog;
    if (variant.accepted) backlog = await waitForBacklog(url, BACKLOG_WAIT_MS);
    const one = await oneConnection(load);
    const pairOne = pair ? await oneConnection(pair) : undefined;
    return { main: { ...main, serverCpu, rssAfter }, one, pairOne, backlog, driver: server.info.driver, died: server.exitStatus() };
  } finally {
    await server.stop();
  }
}


function cpuModel() {
  try {
    return /^model name\s*:\s*(.+)$/m.exec(readFileSync("/proc/cpuinfo", "utf8"))?.[1] ?? os.cpus()[0]?.model;
  } catch {
    return os.cpus()[0]?.model;
  }
}

const statusText = (r) =>
  Object.entries(r.statuses).map(([s, n]) => `${s}×${n}`).join(" ") +
  (r.errors ? ` errors×${r.errors} (${Object.entries(r.errorKinds).map(([k, n]) => `${k}×${n}`).join(", ")})` : "");

const benchStarted = performance.now();
const results = {};
console.log(`# hubhooks bench — node ${process.version} (${process.platform}/${process.arch})`);
console.log(
  `machine: ${os.availableParallelism()} cores, ${cpuModel()}, ${mb(os.totalmem())} RAM, ` +
    `load average ${os.loadavg().map((l) => l.toFixed(2)).join(" ")} at start`,
);
console.log(
  `load: raw keep-alive sockets, closed loop, POSTs of a ${body.length}-byte repo.content.update payload (secret ` +
    `header, unique Webhook-Id); ${CONNECTIONS} connections × up to ${thousands(REQUESTS)} requests or ${SECONDS} s, ` +
    `then 1 connection × up to ${thousands(ONE_REQUESTS)} or ${ONE_SECONDS} s; ${thousands(WARMUP)} warm-up requests first; ` +
    `server logs at ${LOG_LEVEL}`,
);
console.log(
  `log size: ${LOG_ROWS ? `${thousands(LOG_ROWS)} succeeded rows prefilled (BENCH_LOG_ROWS), one file reused by ` +
    "the SQLite startups, throughput runs and the drain" : "empty (a fresh SQLite file per run; BENCH_LOG_ROWS unset)"}\n`,
);
try {
  console.log(
    `## ceiling: hubhooks ÷ the least a server doing the same job does (${int("BENCH_CEILING_ROUNDS", 3)} interleaved ` +
      `rounds, ${CONNECTIONS} connections, ${int("BENCH_CEILING_SECONDS", 5)} s each after 1 s of warm-up)`,
  );
  const { runCeiling } = await import("./ceiling.js");
  results.ceiling = await runCeiling({
    body, dir, connections: CONNECTIONS, logLevel: LOG_LEVEL, postgres: POSTGRES, beforeDist: env.BENCH_BEFORE_DIST || undefined,
    rounds: Math.max(1, int("BENCH_CEILING_ROUNDS", 3)), seconds: Math.max(1, int("BENCH_CEILING_SECONDS", 5)), warmupSeconds: 1,
  });
  // Statements per delivery on the real store (bench/statements.js, its own process: it wraps the drivers).
  const counted = spawnSync(process.execPath, [join(ROOT, "bench/statements.js")], { encoding: "utf8", timeout: 300_000, env });
  console.log(`\n## ${counted.stdout.trim() || `statements per delivery: failed (${counted.status ?? counted.signal}): ${counted.stderr.split("\n")[0]}`}`);
  if (env.BENCH_ONLY === "ceiling") {
    rmSync(dir, { recursive: true, force: true });
    console.log(`\nbench took ${fixed((performance.now() - benchStarted) / 1000, 1)} s`);
    process.exit(0);
  }
  console.log("");
  if (LOG_ROWS) {
    logDb = join(dir, "log.db");
    const started = performance.now();
    await prefillLog(logDb, {
      rows: LOG_ROWS, bodyFor: (repo) => JSON.stringify(getFixture("repo.content.update", { repo })),
    });
    console.log(
      `prefill: ${thousands(LOG_ROWS)} succeeded rows (+ their attempt rows) in ${fixed((performance.now() - started) / 1000, 1)} s, ` +
        `file ${mb(statSync(logDb).size)}\n`,
    );
  }

  console.log(`## startup (spawn → ready banner line; idle RSS 1 s after ready; median of ${STARTS})`);
  console.log("| server | ready | idle RSS | driver |\n|---|---:|---:|---|");
  for (const variant of [VARIANTS[0], VARIANTS[1], VARIANTS[3]]) {
    try {
      const s = await startup(variant);
      console.log(`| ${variant.name} | ${fixed(s.readyMs)} ms | ${mb(s.rss)} | ${s.driver} |`);
    } catch (error) {
      console.log(`| ${variant.name} | failed: ${errorLine(error)} | | |`);
    }
  }

  console.log(`\n## import cost (a fresh process per import, warm, median of ${int("BENCH_IMPORTS", 5)}; modules incl. builtins)`);
  console.log("| import | time | modules |\n|---|---:|---:|");
  for (const row of importCost(Math.max(1, int("BENCH_IMPORTS", 5)))) console.log(`| ${row.name} | ${fixed(row.ms)} ms | ${row.modules} |`);
  await (await import("./dashboard-page.js")).printDashboardPage({ dir, ...(logDb ? { logDb, logRows: LOG_ROWS } : {}) });

  const notes = [];
  // A second baseline server, running through all the variants: each variant's one-connection run is followed at
  // once by one on this server (that median moves with other load and CPU placement more than anything else).
  let pairServer;
  try {
    pairServer = await spawnServer(BASELINE, []);
    const pair = loader(pairServer.info.url, `pair-${Date.now().toString(36)}`);
    if (WARMUP > 0) await pair(CONNECTIONS, WARMUP, Math.max(1, SECONDS / 5), "warm");
    for (const [i, variant] of VARIANTS.entries()) {
      try {
        results[variant.key] = await measureVariant(variant, `v${i}-${Date.now().toString(36)}`, i === 0 ? undefined : pair);
      } catch (error) {
        notes.push(`${variant.name}: failed: ${errorLine(error)}`);
      }
    }
    if (pairServer.exitStatus()) notes.push(`the paired baseline server exited during the runs (${pairServer.exitStatus()})`);
  } finally {
    await pairServer?.stop();
  }
  const base = results.baseline;
  /** The baseline's one-connection p50 measured right after this variant's (the baseline's own for itself). */
  const pairP50 = (r) => (r === base ? base.one.p50 : r?.pairOne?.p50);

  console.log(`\n## throughput and latency (${CONNECTIONS} connections, closed loop)`);
  console.log(
    "| server | requests | req/s | × baseline | p50 | p99 | statuses | RSS after | CPU client / server | driver |\n" +
      "|---|---:|---:|---:|---:|---:|---|---:|---:|---|",
  );
  for (const variant of VARIANTS) {
    const r = results[variant.key];
    if (!r) continue;
    const m = r.main;
    console.log(
      `| ${variant.name} | ${m.completed}${m.capped ? ` (${SECONDS} s cap)` : ""} | ${thousands(m.rps)} | ` +
        `${fixed(m.rps / base?.main.rps, 2)} | ${ms(m.p50)} | ${ms(m.p99)} | ${statusText(m)} | ${mb(m.rssAfter)} | ` +
        `${fixed(m.clientCpu * 100)}% / ${fixed(m.serverCpu * 100)}% | ${r.driver} |`,
    );
    if (r.died) notes.push(`${variant.name}: the server exited during the runs (${r.died}); BENCH_SERVER_LOGS=<dir> keeps its logs`);
    const b = r.backlog;
    if (b) {
      notes.push(
        `${variant.name}: ${fixed(b.atEnd)} queued/running when the load stopped` +
          (b.atEnd > 0 ? `, ${b.left > 0 ? `${fixed(b.left)} still left after` : "all run within"} ${fixed(b.seconds, 1)} s` : ""),
      );
    }
  }
  for (const note of notes) console.log(`- ${note}`);

  console.log("\n## one connection (closed loop: one request at a time)");
  console.log(
    "| server | requests | p50 | p99 | statuses | baseline p50 right after | × baseline p50 |\n|---|---:|---:|---:|---|---:|---:|",
  );
  for (const variant of VARIANTS) {
    const r = results[variant.key];
    if (!r) continue;
    const o = r.one;
    const b = r === base ? "(itself)" : r.pairOne ? `${ms(r.pairOne.p50)}${r.pairOne.errors ? ` (errors×${r.pairOne.errors})` : ""}` : "n/a";
    console.log(
      `| ${variant.name} | ${o.completed}${o.capped ? ` (${ONE_SECONDS} s cap)` : ""} | ${ms(o.p50)} | ${ms(o.p99)} | ` +
        `${statusText(o)} | ${b} | ${fixed(o.p50 / pairP50(r), 2)} |`,
    );
  }

  console.log(`\n## queue drain (${thousands(DRAIN)} queued no-op deliveries${LOG_ROWS ? " added to the prefilled log" : ""}, then start + drain)`);
  try {
    const path = logDb ?? freshDb();
    const started = performance.now();
    await prefillQueued(path, { count: DRAIN, body: payload });
    console.log(`prefill: ${fixed((performance.now() - started) / 1000, 1)} s (node:sqlite, one transaction)`);
    const d = await measureDrain({ path, count: DRAIN, timeoutSeconds: DRAIN_SECONDS });
    results.drain = d;
    console.log(
      `drain:   ${thousands(d.drainPerSecond)} deliveries/s (${thousands(d.done)} in ${fixed(d.drainSeconds, 1)} s incl. ` +
        `${fixed(d.startSeconds * 1000)} ms of start()${d.complete ? "" : `; stopped at the ${DRAIN_SECONDS} s cap`}, endpoint ` +
        `concurrency 8) — driver ${d.driver}`,
    );
    console.log(
      `RSS:     ${mb(d.rssBefore)} before start → ${mb(d.rssAfter)} after the drain (+${mb(d.rssAfter - d.rssBefore)}), ` +
        `peak ${mb(d.rssPeak)}; left: ${JSON.stringify(d.counts)}`,
    );
  } catch (error) {
    console.log(`drain failed: ${errorLine(error)}`);
  }

  // Issue 19: several endpoints, most idle, a backlog on two (the shape that stalled).
  const { multiDrainRows } = await import("./drain-multi.js");
  results.multiDrain = await multiDrainRows({
    label: "SQLite", perEndpoint: MULTI_DRAIN, timeoutSeconds: DRAIN_SECONDS, newTarget: () => ({ path: freshDb() }),
    prefill: (t, endpoint, count) => prefillQueued(t.path, { count, body: payload, endpoint }),
  });

  console.log("\n## one claim + complete vs backlog (200 sequential pairs, no handler, empty log)");
  try {
    const rows = await measureClaimCost({ dir, backlogs: [1_000, 5_000] });
    console.log("| backlog | due times | ms per pair | driver |\n|---:|---|---:|---|");
    for (const row of rows) console.log(`| ${row.backlog} | ${row.dueTimes} | ${fixed(row.ms, 3)} | ${row.driver} |`);
  } catch (error) {
    console.log(`claim cost failed: ${errorLine(error)}`);
  }

  let pg = {};
  if (!POSTGRES) {
    console.log("\n## Postgres: rows skipped — BENCH_POSTGRES=0");
  } else {
    const { runPostgresBench } = await import("./postgres-bench.js");
    pg = await runPostgresBench({
      body, payload, baselineRps: base?.main.rps, connections: CONNECTIONS, requests: REQUESTS, seconds: SECONDS,
      warmup: WARMUP, drain: DRAIN, drainSeconds: PG_DRAIN_SECONDS, logLevel: LOG_LEVEL, replicas: PG_REPLICAS,
      e2e: E2E, e2eSeconds: E2E_SECONDS, backlogWaitMs: PG_BACKLOG_WAIT_MS,
    });
  }

  console.log(`\n## goals (issues 9, 10 and 20)${LOG_ROWS ? ` at ${thousands(LOG_ROWS)} log rows (SQLite rows)` : ""}`);
  const goal = (label, value, target, met, digits = 2) =>
    console.log(`| ${label} | ${digits === null ? thousands(value) : fixed(value, digits)} | ${target} | ` +
      `${Number.isFinite(value) ? (met(value) ? "met" : "NOT met") : "n/a"} |`);
  console.log("| goal | value | target | |\n|---|---:|---|---|");
  const { result, accepted } = results;
  goal("result-mode req/s ÷ baseline req/s", result?.main.rps / base?.main.rps, "≥ 0.5", (v) => v >= 0.5);
  goal("result-mode one-connection p50 ÷ baseline p50", result?.one.p50 / pairP50(result), "≤ 4", (v) => v <= 4);
  goal("accepted-mode req/s ÷ result-mode req/s", accepted?.main.rps / result?.main.rps, "≥ 1", (v) => v >= 1);
  goal("drain deliveries/s", results.drain?.drainPerSecond, "≥ 20,000", (v) => v >= 20_000, null);
  goal("8-endpoint drain, no-op handlers, deliveries/s", results.multiDrain?.[0]?.drainPerSecond, "≥ 20,000", (v) => v >= 20_000, null);
  goal("8-endpoint drain, 2 ms handlers ÷ concurrency bound (8,000/s)", results.multiDrain?.[2]?.drainPerSecond / 8_000, "≥ 0.8", (v) => v >= 0.8);
  goal(
    "Postgres end to end: hubhooks accepted-mode deliveries/s ÷ node:http + graphile-worker",
    pg.e2eHubhooks?.rate / pg.e2eGraphile?.rate, "≥ 2", (v) => v >= 2,
  );
  // Issue 20: the ceiling rows' medians (req/s ratio within each round; the CPU ratio is printed with them).
  const ceiling = results.ceiling?.ratios ?? {};
  goal("result mode ÷ minimal durable SQLite result (ceiling rows)", ceiling.result, "≥ 0.75", (v) => v >= 0.75);
  goal("accepted mode ÷ minimal durable SQLite accepted (ceiling rows)", ceiling.accepted, "≥ 0.75", (v) => v >= 0.75);
  goal("inline ÷ bare node:http (ceiling rows)", ceiling.inline, "≥ 0.6", (v) => v >= 0.6);
  goal("Postgres result ÷ minimal durable Postgres result (ceiling rows)", ceiling.pgResult, "≥ 0.6", (v) => v >= 0.6);
} finally {
  rmSync(dir, { recursive: true, force: true });
  console.log(`\nbench took ${fixed((performance.now() - benchStarted) / 1000, 1)} s`);
}
