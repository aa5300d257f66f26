// Cost of one claim (+ its complete) as the backlog grows, with distinct due times (a steady stream) and
// with one shared due time (what a bulk replay or a burst within one millisecond leaves behind).
import { createSqliteStore } from "../dist/store.js";

const CLAIMS = 200;

/**
 * For each backlog size and due-time shape: record the backlog into a fresh SQLite file, then time
 * CLAIMS sequential `claim` + `complete` pairs. Milliseconds of wall time per pair.
 * @example
 * for (const row of await measureClaimCost({ dir: "/tmp/x", backlogs: [1000, 5000] })) console.log(row);
 * @param {{ dir: string, backlogs: number[] }} options
 */
export async function measureClaimCost({ dir, backlogs }) {
  const rows = [];
  let fileNo = 0;
  for (const backlog of backlogs) {
    for (const spreadMs of [1, 0]) {
      const store = await createSqliteStore({ path: `${dir}/claim-${++fileNo}.db` });
      try {
        await store.migrate();
        const start = Date.now() - backlog * spreadMs - 1;
        for (let i = 0; i < backlog; i++) {
          await store.record({
            endpoint: "noop", body: "{}", headers: {}, webhookId: null, scope: null, action: null, repoType: null,
            repoName: null, orderingKey: null, maxAttempts: 5, now: start + i * spreadMs,
          });
        }
        const now = Date.now();
        const started = performance.now();
        for (let i = 0; i < CLAIMS; i++) {
          const claimed = await store.claim({ now, leaseMs: 30_000, endpoints: ["noop"] });
          if (!claimed) throw new Error("claim found nothing due");
          await store.complete(claimed.id, claimed.attempts, { now, startedAt: now, result: null });
        }
        const ms = (performance.now() - started) / CLAIMS;
        rows.push({ backlog, dueTimes: spreadMs ? "distinct" : "all equal", ms, driver: store.driver });
      } finally {
        await store.close();
      }
    }
  }
  return rows;
}
