import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { getFixture } from "../../src/payload/fixtures.js";
import { createSqliteStore } from "../../src/store/sqlite/create-sqlite-store.js";
import type { DeliveryRecord, DeliveryStore } from "../../src/store/types.js";

// The crash guarantee: a delivery the server acknowledged with a 2xx is in the SQLite log, so a process
// killed with SIGKILL right after loses none of them; the next process on the same file runs them all.
// Real parts only: `node` subprocesses serving the built package (dist/) on loopback, a real SQLite file.

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const CHILD = join(ROOT, "test/helpers/crash-child.mjs");
const TOTAL = 3000;
const CLIENTS = 32;
const KILL_AFTER_ACKS = TOTAL / 2;
const LEASE_MS = 2000;
/** Async work after the handled-log append, so the kill finds handlers mid-run (rows still "running"). */
const WORK_MS = 5;
/** Bounds of the waits on the child processes (failures, not timing assertions). */
const READY_TIMEOUT_MS = 20_000;
const DRAIN_POLLS = 600;
const POLL_MS = 100;

const dir = mkdtempSync(join(tmpdir(), "hubhooks-crash-"));
const children = new Set<ChildProcess>();
afterEach(() => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  children.clear();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Child {
  process: ChildProcess;
  url: string;
  driver: string;
  exited: Promise<void>;
}

/** Spawn the crash child and wait for its `READY <url> <driver>` line. */
async function startChild(
  database: string,
  handledLog: string,
  mode: "accepted" | "result",
  env: Record<string, string> = {},
): Promise<Child> {
  const child = spawn(process.execPath, [CHILD, database, handledLog, mode, String(LEASE_MS), String(WORK_MS)], {
    cwd: ROOT,
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, ...env },
  });
  children.add(child);
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  let stderr = "";
  child.stderr!.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const ready = await new Promise<{ url: string; driver: string }>((resolve, reject) => {
    let stdout = "";
    const timer = setTimeout(() => reject(new Error(`crash child not ready after ${READY_TIMEOUT_MS} ms: ${stderr}`)), READY_TIMEOUT_MS);
    child.stdout!.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
      const match = /^READY (\S+) (\S+)$/m.exec(stdout);
      if (match) {
        clearTimeout(timer);
        resolve({ url: match[1], driver: match[2] });
      }
    });
    child.once("exit", (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`crash child exited (${code ?? signal}) before ready: ${stderr}`));
    });
  });
  return { process: child, ...ready, exited };
}

/**
 * CLIENTS concurrent keep-alive clients post deliveries 0..TOTAL-1 (payload field `n`, a Webhook-Id each);
 * once KILL_AFTER_ACKS got a 2xx the child is SIGKILLed while the other requests are in flight.
 */
async function loadUntilKilled(child: Child) {
  const acked = new Set<number>();
  let next = 0;
  let sent = 0;
  let errors = 0;
  let killed = false;
  const client = async () => {
    while (!killed && next < TOTAL) {
      const n = next++;
      sent++;
      const body = JSON.stringify(getFixture("repo.content.update", { repo: "acme/crash-model", set: { n } }));
      try {
        const response = await fetch(`${child.url}/webhooks/crash`, {
          method: "POST",
          headers: { "content-type": "application/json", "webhook-id": `crash-${n}` },
          body,
        });
        await response.arrayBuffer();
        if (response.status >= 200 && response.status < 300) acked.add(n);
        else errors++;
      } catch {
        errors++; // connection reset by the kill: not acknowledged
      }
      if (!killed && acked.size >= KILL_AFTER_ACKS) {
        killed = true;
        child.process.kill("SIGKILL");
      }
    }
  };
  await Promise.all(Array.from({ length: CLIENTS }, client));
  return { acked, sent, errors, killed };
}

/** Poll the child's delivery API (loopback needs no token) until nothing is queued, running or failed. */
async function waitDrained(child: Child): Promise<number> {
  let pending = -1;
  for (let poll = 0; poll < DRAIN_POLLS; poll++) {
    const response = await fetch(`${child.url}/api/deliveries?status=queued,running,retrying&limit=500`);
    expect(response.status).toBe(200);
    pending = ((await response.json()) as { items: unknown[] }).items.length;
    if (pending === 0) return 0;
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
  return pending;
}

async function allDeliveries(store: DeliveryStore): Promise<DeliveryRecord[]> {
  const all: DeliveryRecord[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < TOTAL; page++) {
    const { items, nextCursor } = await store.list({}, { limit: 500, cursor });
    all.push(...items);
    if (!nextCursor) break;
    cursor = nextCursor;
  }
  return all;
}

function readHandled(path: string): Map<number, number> {
  const counts = new Map<number, number>();
  const text = existsSync(path) ? readFileSync(path, "utf8") : "";
  for (const line of text.split("\n")) {
    if (!/^\d+$/.test(line)) continue;
    counts.set(Number(line), (counts.get(Number(line)) ?? 0) + 1);
  }
  return counts;
}

describe("crash recovery: SIGKILL of a real server process under load, then restart on the same SQLite file", () => {
  it.each(["accepted", "result"] as const)(
    "%s mode: every delivery acknowledged with a 2xx before the kill is handled after the restart",
    async (mode) => {
      expect(existsSync(join(ROOT, "dist/index.js")), "build first: npx tsc -p tsconfig.build.json").toBe(true);
      const database = join(dir, `${mode}.db`);
      const handledLog = join(dir, `${mode}-handled.log`);

      const first = await startChild(database, handledLog, mode);
      const loadStart = performance.now();
      const load = await loadUntilKilled(first);
      const loadMs = performance.now() - loadStart;
      await first.exited;
      expect(load.killed).toBe(true);
      expect(first.process.signalCode).toBe("SIGKILL");
      expect(load.acked.size).toBeGreaterThanOrEqual(KILL_AFTER_ACKS);
      const handledBeforeRestart = readHandled(handledLog).size;

      const second = await startChild(database, handledLog, mode);
      const drainStart = performance.now();
      expect(await waitDrained(second)).toBe(0);
      const drainMs = performance.now() - drainStart;
      second.process.kill("SIGKILL");
      await second.exited;

      const handled = readHandled(handledLog);
      const lost = [...load.acked].filter((n) => !handled.has(n));
      expect(lost).toEqual([]);

      // Stronger than the HTTP contract: every delivery that reached the log ran, and succeeded.
      const store = await createSqliteStore({ path: database });
      try {
        const rows = await allDeliveries(store);
        const statuses = new Map<string, number>();
        for (const row of rows) statuses.set(row.status, (statuses.get(row.status) ?? 0) + 1);
        expect(Object.fromEntries(statuses)).toEqual({ succeeded: rows.length });
        const recorded = rows.map((row) => (JSON.parse(row.body) as { n: number }).n);
        expect(recorded.filter((n) => !handled.has(n))).toEqual([]);
        expect(new Set(recorded).size).toBe(rows.length);
        const twice = [...handled.values()].filter((count) => count > 1).length;
        const resumed = rows.filter((row) => row.attempts > 1).length;
        console.log(
          `crash-recovery [${mode}, ${first.driver}]: sent ${load.sent}, acked ${load.acked.size}, ` +
            `recorded ${rows.length}, handled before kill ${handledBeforeRestart}, after restart ${handled.size}, ` +
            `handled twice ${twice}, re-claimed after lease expiry ${resumed}, lost 0 ` +
            `(load ${Math.round(loadMs)} ms, drain after restart ${Math.round(drainMs)} ms)`,
        );
      } finally {
        await store.close();
      }
    },
    120_000,
  );

  it.each(["accepted", "result"] as const)(
    "%s mode: killed between a group commit and its answers, the committed batch runs after the restart",
    async (mode) => {
      const database = join(dir, `${mode}-between.db`);
      const handledLog = join(dir, `${mode}-between-handled.log`);
      // The first batch of 4 or more: with 32 concurrent clients, the first few commits are group commits.
      const first = await startChild(database, handledLog, mode, { HUBHOOKS_CRASH_AFTER_COMMIT: "4" });
      const load = await loadUntilKilled(first);
      await first.exited;
      expect(first.process.signalCode).toBe("SIGKILL");
      const committed = readFileSync(`${handledLog}.batch`, "utf8").trim().split("\n").map(Number);
      expect(committed.length).toBeGreaterThanOrEqual(4);
      // Nobody was told about the batch; whatever was acknowledged came from earlier batches.
      for (const n of committed) expect(load.acked.has(n)).toBe(false);

      const second = await startChild(database, handledLog, mode);
      expect(await waitDrained(second)).toBe(0);
      second.process.kill("SIGKILL");
      await second.exited;
      const handled = readHandled(handledLog);
      expect(committed.filter((n) => !handled.has(n))).toEqual([]);
      expect([...load.acked].filter((n) => !handled.has(n))).toEqual([]);
      const store = await createSqliteStore({ path: database });
      try {
        const rows = await allDeliveries(store);
        expect(rows.every((row) => row.status === "succeeded")).toBe(true);
        const inBatch = rows.filter((row) => committed.includes((JSON.parse(row.body) as { n: number }).n));
        expect(inBatch).toHaveLength(committed.length);
      } finally {
        await store.close();
      }
    },
    120_000,
  );
});
