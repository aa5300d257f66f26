// Drain rate: a backlog recorded straight into the store while no worker runs, then a server started on
// that file, timed until its queue has run every delivery.
import { createSqliteStore, WebhooksServer } from "../dist/index.js";

/**
 * Record `count` deliveries of endpoint "noop" (body: `body`) into a fresh SQLite file, then start a
 * WebhooksServer with a no-op "noop" endpoint on it and time `start()` + `queue.drain()`. `spreadMs`
 * (default 1) is the gap between the deliveries' receive times; 0 gives them all the same due time, as a
 * bulk replay (`replayMatching`) does.
 * @example
 * const r = await measureDrain({ path: "/tmp/x/drain.db", body: JSON.stringify(payload), count: 20_000 });
 * console.log(r.recordPerSecond, r.drainPerSecond, r.driver);
 * @param {{ path: string, body: string, count: number, concurrency?: number, spreadMs?: number }} options
 */
export async function measureDrain({ path, body, count, concurrency, spreadMs = 1 }) {
  const store = await createSqliteStore({ path });
  await store.migrate();
  const start = Date.now() - count * spreadMs;
  const recordStarted = performance.now();
  for (let i = 0; i < count; i++) {
    await store.record({
      endpoint: "noop", body, headers: { "content-type": "application/json" }, webhookId: `drain-${i}`,
      scope: "repo.content", action: "update", repoType: "model", repoName: "acme/bench-model",
      orderingKey: null, maxAttempts: 5, now: start + i * spreadMs,
    });
  }
  const recordSeconds = (performance.now() - recordStarted) / 1000;
  const driver = store.driver;
  await store.close();

  const app = new WebhooksServer({
    database: path, retentionMs: false, handleSignals: false, print: () => {}, env: { LOG_LEVEL: "silent" },
  });
  app.addWebhook("noop", concurrency ? { concurrency } : {}, () => undefined);
  const drainStarted = performance.now();
  await app.start();
  await app.queue.drain();
  const drainSeconds = (performance.now() - drainStarted) / 1000;
  const counts = await app.store.countsByStatus();
  await app.close();
  if (counts.succeeded !== count) throw new Error(`drain left ${JSON.stringify(counts)}`);
  return {
    driver, count, recordSeconds, recordPerSecond: count / recordSeconds, drainSeconds, drainPerSecond: count / drainSeconds,
  };
}
