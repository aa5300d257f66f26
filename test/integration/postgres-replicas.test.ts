import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { afterAll, afterEach, describe, expect, inject, it } from "vitest";
import { getFixture } from "../../src/payload/fixtures.js";

// Three replicas (real `node` processes on the built package) behind "one URL" (the client spreads deliveries over
// them), one real Postgres database, one replica SIGKILLed mid-run and started again, duplicates of some ids sent
// to two replicas at once.
const url = inject("postgresUrl");
const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const CHILD = join(ROOT, "test/helpers/replica-child.mjs");
const TOTAL = 2400;
const CLIENTS = 24;
const KILL_AFTER_ACKS = TOTAL / 3;
const DUPLICATE_EVERY = 8;
const LEASE_MS = 2000;
const READY_TIMEOUT_MS = 20_000;

const dir = mkdtempSync(join(tmpdir(), "hubhooks-replicas-"));
const children = new Set<ChildProcess>();
afterEach(() => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  children.clear();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Replica {
  process: ChildProcess;
  url: string;
  exited: Promise<void>;
}

async function startReplica(schema: string, log: string, label: string): Promise<Replica> {
  const child = spawn(process.execPath, [CHILD, url, schema, log, label, String(LEASE_MS), "5"], { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
  children.add(child);
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  let stderr = "";
  child.stderr!.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const base = await new Promise<string>((resolve, reject) => {
    let stdout = "";
    const timer = setTimeout(() => reject(new Error(`replica ${label} not ready: ${stderr}`)), READY_TIMEOUT_MS);
    child.stdout!.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
      const match = /^READY (\S+)$/m.exec(stdout);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    });
    child.once("exit", (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`replica ${label} exited (${code ?? signal}): ${stderr}`));
    });
  });
  return { process: child, url: base, exited };
}

async function post(base: string, n: number): Promise<number> {
  try {
    const response = await fetch(`${base}/webhooks/hook`, {
      method: "POST",
      headers: { "content-type": "application/json", "webhook-id": `rep-${n}` },
      body: JSON.stringify(getFixture("repo.content.update", { repo: "acme/replicas", set: { n } })),
    });
    await response.arrayBuffer();
    return response.status;
  } catch {
    return 0; // the killed replica's connections
  }
}

describe.skipIf(!url)("three replicas on one Postgres database (real processes, real server)", () => {
  it("every acknowledged delivery runs, duplicates are one delivery, a killed replica's work is taken over", async () => {
    expect(existsSync(join(ROOT, "dist/index.js")), "build first: npx tsc -p tsconfig.build.json").toBe(true);
    const schema = `replicas_${process.pid}`;
    const log = join(dir, "handled.log");
    // Start one first so the schema is migrated once; the others then start together (migration under a lock).
    const replicas: Replica[] = [await startReplica(schema, log, "r0")];
    replicas.push(...(await Promise.all([startReplica(schema, log, "r1"), startReplica(schema, log, "r2")])));

    const acked = new Set<number>();
    let next = 0;
    let killed = false;
    let restarted: Promise<void> | undefined;
    const client = async (c: number) => {
      while (next < TOTAL) {
        const n = next++;
        const target = replicas[(n + c) % 3]!;
        let status = await post(target.url, n);
        if (n % DUPLICATE_EVERY === 0) {
          // The Hub's retry of the same id reaching another replica, at the same moment as the first copy.
          const [a, b] = await Promise.all([post(replicas[(n + c + 1) % 3]!.url, n), post(replicas[(n + c + 2) % 3]!.url, n)]);
          if (a >= 200 && a < 300) status = a;
          else if (b >= 200 && b < 300) status = b;
        }
        if (status >= 200 && status < 300) acked.add(n);
        if (!killed && acked.size >= KILL_AFTER_ACKS) {
          killed = true;
          replicas[1]!.process.kill("SIGKILL");
          restarted = replicas[1]!.exited.then(async () => {
            replicas[1] = await startReplica(schema, log, "r1-again");
          });
        }
      }
    };
    await Promise.all(Array.from({ length: CLIENTS }, (_, c) => client(c)));
    await restarted;
    expect(killed).toBe(true);

    const db = new pg.Client({ connectionString: url });
    await db.connect();
    try {
      let pending = -1;
      for (let poll = 0; poll < 300 && pending !== 0; poll++) {
        const { rows } = await db.query(`select count(*)::int as n from "${schema}".deliveries where status <> 'succeeded'`);
        pending = rows[0].n;
        if (pending !== 0) await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(pending).toBe(0);

      const handledBy = new Map<number, string[]>();
      for (const line of readFileSync(log, "utf8").split("\n")) {
        const match = /^(\S+) (\d+)$/.exec(line);
        if (match) handledBy.set(Number(match[2]), [...(handledBy.get(Number(match[2])) ?? []), match[1]!]);
      }
      expect([...acked].filter((n) => !handledBy.has(n))).toEqual([]);
      // Twice only when the first run was in the killed replica (its lease expired and another took it over).
      const twice = [...handledBy.entries()].filter(([, by]) => by.length > 1);
      for (const [n, by] of twice) {
        expect(by.length, `delivery ${n}: ${by.join(", ")}`).toBe(2);
        expect(by[0], `delivery ${n}: ${by.join(", ")}`).toBe("r1");
      }
      const { rows: perId } = await db.query(
        `select webhook_id, count(*)::int as n from "${schema}".deliveries group by webhook_id having count(*) > 1`,
      );
      expect(perId).toEqual([]); // every duplicate id is one delivery
      const { rows: [totals] } = await db.query(`select count(*)::int as n from "${schema}".deliveries`);
      expect(totals.n).toBe(handledBy.size);
      // No attempt settled by a replica that had lost its lease: one success per delivery, on its last attempt.
      const { rows: bad } = await db.query(
        `select d.id from "${schema}".deliveries d
         where (select count(*) from "${schema}".delivery_attempts a where a.delivery_id = d.id and a.outcome = 'succeeded') <> 1
            or not exists (select 1 from "${schema}".delivery_attempts a where a.delivery_id = d.id and a.attempt = d.attempts and a.outcome = 'succeeded')`,
      );
      expect(bad).toEqual([]);
      const { rows: [taken] } = await db.query(`select count(*)::int as n from "${schema}".deliveries where attempts > 1`);
      console.log(
        `postgres-replicas: ${TOTAL} deliveries (+${Math.ceil(TOTAL / DUPLICATE_EVERY) * 2} duplicate posts) over 3 replicas, ` +
          `acked ${acked.size}, recorded ${totals.n}, handled twice ${twice.length} (all first in the killed replica), ` +
          `taken over after lease expiry ${taken.n}, lost 0`,
      );
    } finally {
      await db.end();
    }
  }, 120_000);
});
