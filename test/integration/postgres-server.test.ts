import pg from "pg";
import { afterEach, describe, expect, inject, it } from "vitest";
import { getFixture } from "../../src/payload/index.js";
import { startServer } from "../helpers/server.js";
import { tcpForwarder } from "../helpers/tcp-forwarder.js";

// A WebhooksServer on a real PostgreSQL server (the throwaway cluster of the global setup), through a URL.
const url = inject("postgresUrl");
const cleanup: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const fn of cleanup.splice(0).reverse()) await fn().catch(() => {});
});
let n = 0;
const freshSchema = () => `srv_${process.pid}_${++n}`;
const withPort = (port: number) => url.replace(/:\d+\//, `:${port}/`);
const payload = () => getFixture("repo.content.update", { repo: "acme/pg-model" });

/** Post until the server answers 200 (bounded: 50 tries 100 ms apart), as the Hub's retries would. */
async function postUntilAccepted(s: { post: (path: string, body: unknown) => Promise<Response> }): Promise<number> {
  let status = 0;
  for (let i = 0; i < 50 && status !== 200; i++) {
    status = (await s.post("/webhooks/hook", payload())).status;
    if (status !== 200) await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return status;
}

describe.skipIf(!url)("WebhooksServer on Postgres (real server)", () => {
  it("records, runs and answers through database: postgres://…, in its own schema", async () => {
    const schema = freshSchema();
    const s = await startServer({ database: url, databaseSchema: schema }, (app) => app.addWebhook("hook", () => ({ ok: 1 })));
    cleanup.push(() => s.close());
    expect(s.app.store!.engine).toBe("postgres");
    const res = await s.post("/webhooks/hook", payload(), { "webhook-id": "pg-1" });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: 1 });
    const dup = await s.post("/webhooks/hook", payload(), { "webhook-id": "pg-1" });
    expect(await dup.json()).toMatchObject({ duplicate: true, status: "succeeded" });
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    cleanup.push(() => client.end());
    const { rows } = await client.query(`select status, attempts, webhook_id from "${schema}".deliveries`);
    expect(rows).toEqual([{ status: "succeeded", attempts: 1, webhook_id: "pg-1" }]);
  });

  it("a replica's delivery left queued is woken on another replica at once (LISTEN/NOTIFY), not by polling", async () => {
    const schema = freshSchema();
    const ran: string[] = [];
    // A: no free slot (concurrency 1, a handler that holds it), so its delivery stays queued for anyone to claim.
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const a = await startServer({ database: url, databaseSchema: schema }, (app) =>
      app.addWebhook("hook", { mode: "accepted", concurrency: 1 }, async (p) => {
        ran.push(`a:${(p as unknown as { n?: number }).n ?? "hold"}`);
        if ((p as unknown as { n?: number }).n === undefined) await held;
      }),
    );
    cleanup.push(async () => (release(), a.close()));
    const b = await startServer({ database: url, databaseSchema: schema }, (app) =>
      app.addWebhook("hook", { mode: "accepted" }, (p) => void ran.push(`b:${(p as unknown as { n: number }).n}`)),
    );
    cleanup.push(() => b.close());
    await new Promise((resolve) => setTimeout(resolve, 300)); // both LISTENing
    expect((await a.post("/webhooks/hook", payload())).status).toBe(202); // takes A's only slot
    const started = Date.now();
    expect((await a.post("/webhooks/hook", { ...payload(), n: 7 })).status).toBe(202);
    for (let i = 0; i < 100 && !ran.includes("b:7"); i++) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(ran).toContain("b:7");
    expect(Date.now() - started).toBeLessThan(4_000); // the poll is every 5 s: this was the notification
  });

  it("database down at start: listens, answers 503 (the Hub retries), and opens the log once it is up", async () => {
    const target = Number(new URL(url).port);
    const forwarder = await tcpForwarder(target);
    cleanup.push(() => forwarder.down());
    const s = await startServer({ database: withPort(forwarder.port), databaseSchema: freshSchema() }, (app) =>
      app.addWebhook("hook", () => ({ ok: 2 })),
    );
    cleanup.push(() => s.close());
    const refused = await s.post("/webhooks/hook", payload());
    expect(refused.status).toBe(503);
    expect((await refused.json()).error).toMatch(/^The delivery log could not be opened/);
    // Nothing of the URL is printed but the banner's own "Delivery log:" line (which masks a password).
    expect(JSON.stringify(s.lines.filter((l) => !l.startsWith("Delivery log: ")))).not.toContain("postgres@");
    expect(s.lines.at(-1)).toBe(`Delivery log: ${withPort(forwarder.port)}`);
    await forwarder.up();
    expect(await postUntilAccepted(s)).toBe(200);
  });

  it("connection lost mid-run: 503 for new deliveries, no crash, recovery without a restart", async () => {
    const target = Number(new URL(url).port);
    const forwarder = await tcpForwarder(target);
    await forwarder.up();
    cleanup.push(() => forwarder.down());
    const s = await startServer({ database: withPort(forwarder.port), databaseSchema: freshSchema() }, (app) =>
      app.addWebhook("hook", () => ({ ok: 3 })),
    );
    cleanup.push(() => s.close());
    expect((await s.post("/webhooks/hook", payload())).status).toBe(200);
    // A connection checked out with no statement in flight when the network drops (as between two statements of
    // a transaction): its "error" event must be heard, or it would end the process.
    const pool = (s.app.store as unknown as { pool: pg.Pool }).pool;
    const held = await pool.connect();
    expect(held.listenerCount("error")).toBeGreaterThan(0);
    const ended = new Promise((resolve) => held.once("end", resolve));
    await forwarder.down();
    await ended; // its "error" came first: unheard, vitest would report an uncaught exception here
    held.release(true);
    const during = await s.post("/webhooks/hook", payload());
    expect(during.status).toBe(503);
    expect((await during.json()).error).toMatch(/not recorded/);
    await forwarder.up();
    expect(await postUntilAccepted(s)).toBe(200);
    const health = await fetch(s.info.localUrl + "/healthz");
    expect(health.status).toBe(200);
  });
});
