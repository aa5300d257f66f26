// `npm run bench`: throughput/latency against a bare node:http baseline, startup time, idle RSS and queue drain
// rate, on loopback only, on the built package (dist/: run `npm run build` first). Not part of the tests:
// it prints numbers and ratios, it asserts nothing about them. Bounded: fixed request counts, timeouts on
// every wait, about 2-3 minutes on 2 cores. Knobs (environment): BENCH_REQUESTS (20000: baseline and
// inline), BENCH_REQUESTS_DURABLE (6000: the two SQLite modes, ~15x slower), BENCH_WARMUP (10% of the
// run), BENCH_CONNECTIONS (32), BENCH_DRAIN (10000), BENCH_STARTS (3), BENCH_LOG_LEVEL (info: a user's default).
//
//   npm run bench                             # the current node
//   npx -y -p node@24 node bench/run.js       # Node 24: the built-in node:sqlite driver
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { runLoad } from "./load.js";
import { spawnServer } from "./spawn-server.js";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const HUBHOOKS = join(ROOT, "bench/servers/hubhooks.js");
const BASELINE = join(ROOT, "bench/servers/baseline.js");
const SECRET = "bench-secret";

const env = process.env;
const int = (name, fallback) => (env[name] && /^\d+$/.test(env[name]) ? Number(env[name]) : fallback);
const REQUESTS = int("BENCH_REQUESTS", 20_000);
const REQUESTS_DURABLE = int("BENCH_REQUESTS_DURABLE", 6_000);
const warmupFor = (requests) => int("BENCH_WARMUP", Math.round(requests / 10));
const CONNECTIONS = int("BENCH_CONNECTIONS", 32);
const DRAIN = int("BENCH_DRAIN", 10_000);
const STARTS = Math.max(1, int("BENCH_STARTS", 3));
const LOG_LEVEL = env.BENCH_LOG_LEVEL || "info";

if (!existsSync(join(ROOT, "dist/index.js"))) {
  console.error("bench: dist/ is missing; build first: npx tsc -p tsconfig.build.json");
  process.exit(1);
}
const { getFixture } = await import("../dist/index.js");
const { measureDrain } = await import("./drain.js");
const { measureClaimCost } = await import("./claim-cost.js");

const dir = mkdtempSync(join(os.tmpdir(), "hubhooks-bench-"));
const payload = JSON.stringify(getFixture("repo.content.update", { repo: "acme/bench-model" }));
const body = Buffer.from(payload);
let dbNo = 0;
const freshDb = () => join(dir, `bench-${++dbNo}.db`);

/** The servers compared: the baseline and hubhooks in its three dispatch modes. */
const VARIANTS = [
  { name: "baseline node:http + JSON.parse", script: BASELINE, args: () => [], requests: REQUESTS },
  { name: "hubhooks result mode (SQLite log)", script: HUBHOOKS, args: () => ["result", freshDb(), LOG_LEVEL], requests: REQUESTS_DURABLE },
  {
    name: "hubhooks accepted mode (SQLite log)", script: HUBHOOKS, args: () => ["accepted", freshDb(), LOG_LEVEL],
    requests: REQUESTS_DURABLE, accepted: true,
  },
  { name: "hubhooks database: false (inline)", script: HUBHOOKS, args: () => ["inline", "", LOG_LEVEL], requests: REQUESTS },
];

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor((values.length - 1) / 2)];
const mb = (bytes) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
const fixed = (n, d = 0) => n.toFixed(d);
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function startup(variant) {
  const readies = [];
  const rsses = [];
  let driver;
  for (let i = 0; i < STARTS; i++) {
    const server = await spawnServer(variant.script, variant.args());
    await sleep(1000); // idle: let startup garbage and lazy work settle before reading RSS
    readies.push(server.readyMs);
    rsses.push(server.rss());
    driver = server.info.driver;
    await server.stop();
  }
  return { readyMs: median(readies), rss: median(rsses), driver };
}

async function throughput(variant, tag) {
  const server = await spawnServer(variant.script, variant.args());
  try {
    const headers = (phase) => (i) => ({ "x-webhook-secret": SECRET, "webhook-id": `${tag}-${phase}-${i}` });
    const url = server.info.url;
    const warmup = warmupFor(variant.requests);
    if (warmup > 0) await runLoad({ url, body, connections: CONNECTIONS, requests: warmup, headers: headers("warm") });
    const result = await runLoad({ url, body, connections: CONNECTIONS, requests: variant.requests, headers: headers("run") });
    const backlog = variant.accepted ? await queuedAfterLoad(url) : undefined;
    return { ...result, driver: server.info.driver, backlog, rssAfter: server.rss() };
  } finally {
    await server.stop();
  }
}

/** hubhooks_queue_depth{status="queued"} from /metrics (loopback needs no token). */
async function queuedAfterLoad(endpointUrl) {
  const response = await fetch(new URL("/metrics", endpointUrl), { signal: AbortSignal.timeout(10_000) });
  const match = /^hubhooks_queue_depth\{status="queued"\} (\d+)$/m.exec(await response.text());
  return match ? Number(match[1]) : undefined;
}

function cpuModel() {
  try {
    return /^model name\s*:\s*(.+)$/m.exec(readFileSync("/proc/cpuinfo", "utf8"))?.[1] ?? os.cpus()[0]?.model;
  } catch {
    return os.cpus()[0]?.model;
  }
}

const benchStarted = performance.now();
console.log(`# hubhooks bench — node ${process.version} (${process.platform}/${process.arch})`);
console.log(`machine: ${os.availableParallelism()} cores, ${cpuModel()}, ${mb(os.totalmem())} RAM`);
console.log(
  `load: ${CONNECTIONS} keep-alive connections, closed loop, POSTs of a ${body.length}-byte repo.content.update ` +
    `payload (secret header, unique Webhook-Id), a warm-up of 10% first; server logs at ${LOG_LEVEL}\n`,
);
try {
  console.log("## startup (spawn → ready banner line; idle RSS 1 s after ready; median of " + STARTS + ")");
  console.log("| server | ready | idle RSS | driver |\n|---|---:|---:|---|");
  for (const variant of [VARIANTS[0], VARIANTS[1], VARIANTS[3]]) {
    const s = await startup(variant);
    console.log(`| ${variant.name} | ${fixed(s.readyMs)} ms | ${mb(s.rss)} | ${s.driver} |`);
  }

  console.log("\n## throughput and latency (closed loop)");
  console.log("| server | requests | req/s | × baseline | p50 | p99 | statuses | driver |\n|---|---:|---:|---:|---:|---:|---|---|");
  let baseline;
  for (const [i, variant] of VARIANTS.entries()) {
    const r = await throughput(variant, `v${i}`);
    baseline ??= r.rps;
    const statuses = Object.entries(r.statuses).map(([s, n]) => `${s}×${n}`).join(" ") + (r.errors ? ` errors×${r.errors}` : "");
    const extra = r.backlog === undefined ? "" : ` (queued at end: ${r.backlog})`;
    console.log(
      `| ${variant.name} | ${r.requests} | ${fixed(r.rps)} | ${fixed(r.rps / baseline, 2)} | ${fixed(r.p50, 2)} ms | ${fixed(r.p99, 2)} ms | ` +
        `${statuses}${extra} | ${r.driver} |`,
    );
  }

  console.log(`\n## queue drain (${DRAIN} no-op deliveries recorded straight into the store, then start + drain)`);
  const d = await measureDrain({ path: freshDb(), body: payload, count: DRAIN });
  console.log(`record: ${fixed(d.recordPerSecond)} deliveries/s (${fixed(d.recordSeconds, 1)} s, one awaited store.record each)`);
  console.log(`drain:  ${fixed(d.drainPerSecond)} deliveries/s (${fixed(d.drainSeconds, 1)} s, endpoint concurrency 8) — driver ${d.driver}`);

  console.log("\n## one claim + complete vs backlog (200 sequential pairs, no handler)");
  console.log("| backlog | due times | ms per pair | driver |\n|---:|---|---:|---|");
  for (const row of await measureClaimCost({ dir, backlogs: [1_000, 5_000] })) {
    console.log(`| ${row.backlog} | ${row.dueTimes} | ${fixed(row.ms, 2)} | ${row.driver} |`);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
  console.log(`\nbench took ${fixed((performance.now() - benchStarted) / 1000, 1)} s`);
}
