// Drain rate: a server started on a file that already holds a backlog (see prefill.js), timed until its queue has
// run every delivery. It runs in a child process (this file is also its script), so its RSS is the server's own.
//
//   node bench/drain.js <database file or postgres:// URL> <timeout ms> [schema]     # prints `BENCH_DRAIN {json}`
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

const SCRIPT = fileURLToPath(import.meta.url);

/**
 * Start a WebhooksServer with a no-op "noop" endpoint (endpoint concurrency 8, the default) on `path`, in a
 * child process, and time `start()` + `queue.drain()`. The file must hold the backlog already. At most
 * `timeoutSeconds` of draining: past that the deliveries done so far are reported (`complete: false`). `path` may
 * be a postgres:// URL, with `schema` the Postgres schema holding the backlog (see prefillQueuedPostgres).
 * @example
 * await prefillQueued(path, { count: 100_000, body });
 * const r = await measureDrain({ path, count: 100_000, timeoutSeconds: 120 });
 * console.log(r.drainPerSecond, r.rssBefore, r.rssAfter, r.driver);
 * @param {{ path: string, count: number, timeoutSeconds: number, schema?: string }} options
 */
export async function measureDrain({ path, count, timeoutSeconds, schema }) {
  const args = [SCRIPT, path, String(timeoutSeconds * 1000), ...(schema ? [schema] : [])];
  const r = await runDrainChild(args, "BENCH_DRAIN", timeoutSeconds);
  const left = unsettled(r.counts);
  const done = count - left;
  return {
    ...r, count, done, complete: left === 0, drainPerSecond: done / r.drainSeconds,
  };
}

/**
 * Run a drain child (`node <args>`), killed past `timeoutSeconds` + 60 s, and parse the `<MARKER> {json}` line it prints.
 * @example
 * const r = await runDrainChild([SCRIPT, path, "60000"], "BENCH_DRAIN", 60);
 */
export async function runDrainChild(args, marker, timeoutSeconds) {
  const child = spawn(process.execPath, args, { stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk) => (stdout += chunk));
  child.stderr.on("data", (chunk) => (stderr += chunk));
  const killer = setTimeout(() => child.kill("SIGKILL"), timeoutSeconds * 1000 + 60_000);
  const code = await new Promise((resolve) => child.once("exit", (c, signal) => resolve(c ?? signal)));
  clearTimeout(killer);
  const match = new RegExp(`^${marker} (\\{.*\\})$`, "m").exec(stdout);
  if (!match) throw new Error(`drain child exited (${code}) without a result:\n${stdout}${stderr}`.trim());
  return JSON.parse(match[1]);
}

/** Deliveries not settled yet in a `countsByStatus()` result (`failed` is the name of `retrying` before migration 008). */
export function unsettled(counts) {
  return (counts.queued ?? 0) + (counts.running ?? 0) + (counts.retrying ?? 0) + (counts.failed ?? 0);
}

async function child(path, timeoutMs, schema) {
  const { WebhooksServer } = await import("../dist/index.js");
  const app = new WebhooksServer({
    database: path, ...(schema ? { databaseSchema: schema } : {}), retentionMs: false, handleSignals: false, print: () => {}, env: { LOG_LEVEL: "silent" },
  });
  app.addWebhook("noop", {}, () => undefined);
  const rssBefore = process.memoryUsage().rss;
  const started = performance.now();
  await app.start();
  const startSeconds = (performance.now() - started) / 1000;
  let timer;
  const timedOut = await Promise.race([
    app.queue.drain().then(() => false),
    new Promise((resolve) => (timer = setTimeout(() => resolve(true), timeoutMs))),
  ]);
  clearTimeout(timer);
  const drainSeconds = (performance.now() - started) / 1000;
  const rssAfter = process.memoryUsage().rss;
  const counts = await app.store.countsByStatus();
  const result = {
    driver: app.store.driver, startSeconds, drainSeconds, timedOut, counts, rssBefore, rssAfter,
    rssPeak: process.resourceUsage().maxRSS * 1024,
  };
  console.log(`BENCH_DRAIN ${JSON.stringify(result)}`);
  await Promise.race([app.close(), new Promise((resolve) => setTimeout(resolve, 15_000).unref())]);
  process.exit(0);
}

if (process.argv[1] === SCRIPT) await child(process.argv[2], Number(process.argv[3]), process.argv[4]);
