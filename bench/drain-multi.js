// Drain with several endpoints, the shape operators run (issue 19): 8 endpoints registered, 2 of them holding a
// backlog, the other 6 idle. Unlike drain.js it never calls queue.drain() (which asks every endpoint's log on each
// round): the server is started and left alone, as after a restart, and the log is read every 100 ms until nothing
// is queued, running or waiting for a retry. So it measures the queue's own liveness (claims following freed
// slots), not a test helper's loop. It runs in a child process (this file is also its script).
//
//   node bench/drain-multi.js <database file or postgres:// URL> <timeout ms> <handler ms> [schema]
//                                                                        # prints `BENCH_DRAIN_MULTI {json}`
import { fileURLToPath } from "node:url";
import { runDrainChild, unsettled } from "./drain.js";

const SCRIPT = fileURLToPath(import.meta.url);

/** The endpoints: the busy ones hold the backlog (prefill them under these names), the idle ones nothing. */
export const BUSY = ["busy0", "busy1"];
export const IDLE = ["idle2", "idle3", "idle4", "idle5", "idle6", "idle7"];

/**
 * Start a WebhooksServer with 8 endpoints (concurrency 8 each, the default) on `path`, whose BUSY endpoints hold
 * `count` queued deliveries in all, in a child process; time from `start()` until the log holds no due work.
 * `handlerMs` 0: a no-op handler; else the handler awaits a timer of that many ms.
 * @example
 * await prefillQueued(path, { count: 10_000, body, endpoint: "busy0" });
 * await prefillQueued(path, { count: 10_000, body, endpoint: "busy1" });
 * const r = await measureMultiDrain({ path, count: 20_000, handlerMs: 2, timeoutSeconds: 60 });
 * @param {{ path: string, count: number, handlerMs: number, timeoutSeconds: number, schema?: string }} options
 */
export async function measureMultiDrain({ path, count, handlerMs, timeoutSeconds, schema }) {
  const args = [SCRIPT, path, String(timeoutSeconds * 1000), String(handlerMs), ...(schema ? [schema] : [])];
  const r = await runDrainChild(args, "BENCH_DRAIN_MULTI", timeoutSeconds);
  const left = unsettled(r.counts);
  const done = count - left;
  return { ...r, count, done, complete: left === 0, drainPerSecond: done / r.drainSeconds };
}

async function child(path, timeoutMs, handlerMs, schema) {
  const { WebhooksServer } = await import("../dist/index.js");
  const { setTimeout: sleep } = await import("node:timers/promises");
  const app = new WebhooksServer({
    database: path, ...(schema ? { databaseSchema: schema } : {}), retentionMs: false, handleSignals: false,
    print: () => {}, env: { LOG_LEVEL: "silent" },
  });
  const handler = handlerMs > 0 ? () => sleep(handlerMs).then(() => undefined) : () => undefined;
  for (const name of [...BUSY, ...IDLE]) app.addWebhook(name, {}, handler);
  const started = performance.now();
  await app.start();
  const startSeconds = (performance.now() - started) / 1000;
  const deadline = started + timeoutMs;
  let counts = {};
  let timedOut = true;
  while (performance.now() < deadline) {
    counts = await app.store.countsByStatus();
    if (unsettled(counts) === 0) {
      timedOut = false;
      break;
    }
    await sleep(100);
  }
  const drainSeconds = (performance.now() - started) / 1000;
  console.log(`BENCH_DRAIN_MULTI ${JSON.stringify({ driver: app.store.driver, startSeconds, drainSeconds, timedOut, counts })}`);
  await Promise.race([app.close(), sleep(15_000)]);
  process.exit(0);
}

if (process.argv[1] === SCRIPT) await child(process.argv[2], Number(process.argv[3]), Number(process.argv[4]), process.argv[5]);

/**
 * The bench rows (`npm run bench`): for a no-op and a 2 ms handler, prefill `perEndpoint` due deliveries on each
 * busy endpoint (SQLite through `prefill(path, options)`, or Postgres through `prefillPg` into a fresh schema), then
 * time the drain. Prints one table; returns the results by handler time.
 * @param {{ label: string, perEndpoint: number, timeoutSeconds: number, newTarget: () => { path: string, schema?: string },
 *   prefill: (target: { path: string, schema?: string }, endpoint: string, count: number) => Promise<void> }} o
 */
export async function multiDrainRows(o) {
  const count = o.perEndpoint * BUSY.length;
  console.log(
    `\n## queue drain, 8 endpoints (${BUSY.length} of them holding ${o.perEndpoint.toLocaleString("en-US")} due deliveries ` +
      `each, 6 idle; concurrency 8 each; the server left to itself, no drain()) — ${o.label}`,
  );
  console.log("| handler | deliveries/s | done | seconds (incl. start) | concurrency bound | ÷ bound |\n|---|---:|---:|---:|---:|---:|");
  const results = {};
  for (const handlerMs of [0, 2]) {
    try {
      const target = o.newTarget();
      for (const endpoint of BUSY) await o.prefill(target, endpoint, o.perEndpoint);
      const r = await measureMultiDrain({ ...target, count, handlerMs, timeoutSeconds: o.timeoutSeconds });
      results[handlerMs] = r;
      const bound = handlerMs > 0 ? (BUSY.length * 8 * 1000) / handlerMs : Infinity;
      console.log(
        `| ${handlerMs ? `${handlerMs} ms async` : "no-op"} | ${Math.round(r.drainPerSecond).toLocaleString("en-US")} | ` +
          `${r.done}${r.complete ? "" : " (cap)"} | ${r.drainSeconds.toFixed(2)} | ` +
          `${Number.isFinite(bound) ? bound.toLocaleString("en-US") : "—"} | ${Number.isFinite(bound) ? (r.drainPerSecond / bound).toFixed(2) : "—"} |`,
      );
    } catch (error) {
      console.log(`| ${handlerMs} ms | failed: ${String(error?.message ?? error).split("\n")[0]} | | | | |`);
    }
  }
  return results;
}
