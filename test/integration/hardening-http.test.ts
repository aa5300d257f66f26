// Issue 15 (hardening), the HTTP side: each test reproduces a reported defect (or a sibling of one) against a real
// listening server, most of them on a real SQLite file.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import { pino } from "pino";
import { afterAll, describe, expect, it } from "vitest";
import { DEFAULTS } from "../../src/defaults.js";
import { HubhooksError, httpErrorResponse } from "../../src/errors.js";
import { fixture } from "../../src/payload/index.js";
import { QUEUE_DEFAULTS } from "../../src/queue/queue-options.js";
import { ENDPOINT_DEFAULTS } from "../../src/server/queue-endpoint.js";
import { DEFAULTS as SERVER_DEFAULTS, resolveOptions } from "../../src/server/options.js";
import { WebhooksServer } from "../../src/server/webhooks-server.js";
import { loadNodeSqlite } from "../../src/store/sqlite/open-sqlite.js";
import { createSqliteStore } from "../../src/store/sqlite/create-sqlite-store.js";
import { runCli } from "../helpers/cli.js";
import { closeAfterEach } from "../helpers/close-after-each.js";
import { startServer } from "../helpers/server.js";

const track = closeAfterEach();
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
const tempDb = () => {
  const dir = mkdtempSync(join(tmpdir(), "hubhooks-harden-"));
  dirs.push(dir);
  return join(dir, "log.db");
};

/** A pino logger whose lines land in `lines` (parsed). */
function capturingLogger() {
  const lines: Array<Record<string, unknown>> = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      for (const line of String(chunk).split("\n").filter(Boolean)) lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  return { logger: pino({ level: "info" }, stream), lines };
}

const DEPTH = 100_000;
const deep = (n = DEPTH) => "[".repeat(n) + "]".repeat(n);
/** A valid Hub payload with an extra field nested `n` levels deep (200 KB: under the body limit). */
const deepPayload = (n = DEPTH) => JSON.stringify(fixture("repo.content.update")).replace(/}$/, `,"extra":${deep(n)}}`);

/** Insert a delivery row straight into the SQLite file, as a version without the nesting limit recorded it. */
function insertRow(path: string, id: string, body: string, result: string | null = null): void {
  const db = new (loadNodeSqlite().DatabaseSync)(path);
  db.prepare(
    `INSERT INTO deliveries (id, endpoint, body, headers, status, attempts, max_attempts, attempt_budget, received_at,
      updated_at, finished_at, result, scope, action, repo_type, repo_name)
     VALUES (?, 'hook', ?, '{}', 'succeeded', 1, 5, 5, ?, ?, ?, ?, 'repo.content', 'update', 'model', 'acme/deep')`,
  ).run(id, body, Date.now(), Date.now(), Date.now(), result);
  db.close();
}

describe("1. deeply nested JSON", () => {
  it("is refused at the webhook with 400 JSON_TOO_DEEP (not recorded), while a normal payload passes", async () => {
    const s = track(await startServer({ database: tempDb() }, (app) => app.addWebhook("hook", () => ({ ok: true }))));
    const res = await s.post("/webhooks/hook", deepPayload());
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ error: `Request body is nested deeper than ${DEFAULTS.jsonDepth} levels.` });
    // Exactly at the limit passes: the payload object is level 1, so the extra field can add 63 more.
    expect((await s.post("/webhooks/hook", deepPayload(DEFAULTS.jsonDepth - 1))).status).toBe(200);
    expect((await s.post("/webhooks/hook", deepPayload(DEFAULTS.jsonDepth))).status).toBe(400);
    const list = (await (await fetch(`${s.info.localUrl}/api/deliveries`)).json()) as { items: unknown[] };
    expect(list.items).toHaveLength(1);
  });

  it("a row recorded before the limit existed: the API, the dashboard and `hubhooks deliveries` answer, never 500", async () => {
    const path = tempDb();
    const s = track(await startServer({ database: path }, (app) => app.addWebhook("hook", () => ({ ok: true }))));
    const body = deepPayload();
    // A stored handler result that is too deep as well (a Response body parsed back from the log).
    insertRow(path, "dlv_deep", body, `{"status":200,"body":${deep()}}`);
    expect((await s.post("/webhooks/hook", fixture("repo.create"))).status).toBe(200);
    const base = s.info.localUrl;

    const list = await fetch(`${base}/api/deliveries`);
    expect(list.status).toBe(200);
    const items = ((await list.json()) as { items: Array<{ id: string; payload: unknown }> }).items;
    expect(items.map((d) => d.id)).toContain("dlv_deep");
    expect(items.find((d) => d.id === "dlv_deep")!.payload).toBe(body); // the text, as stored
    const one = await fetch(`${base}/api/deliveries/dlv_deep`);
    expect(one.status).toBe(200);
    expect(((await one.json()) as { delivery: { result: unknown } }).delivery.result).toBe(`{"status":200,"body":${deep()}}`);

    for (const page of ["/", "/?id=dlv_deep", "/dashboard/rows", "/dashboard/delivery?id=dlv_deep"]) {
      expect((await fetch(base + page)).status, page).toBe(200);
    }
    const ls = await runCli(["deliveries", "ls", "--url", base]);
    expect(ls.stderr).toBe("");
    expect(ls.code).toBe(0);
    expect(ls.stdout).toContain("dlv_deep");
    const show = await runCli(["deliveries", "show", "dlv_deep", "--url", base]);
    expect(show.code).toBe(0);
    expect((await runCli(["deliveries", "ls", "--json", "--url", base])).code).toBe(0);
  });

  it("sibling: replaying such a row quarantines it (invalid) instead of running the handler on it", async () => {
    const path = tempDb();
    let ran = 0;
    const s = track(await startServer({ database: path }, (app) => app.addWebhook("hook", () => ++ran)));
    insertRow(path, "dlv_deep", deepPayload());
    expect((await fetch(`${s.info.localUrl}/api/deliveries/dlv_deep/replay`, { method: "POST" })).status).toBe(200);
    await s.app.queue!.drain();
    const after = (await (await fetch(`${s.info.localUrl}/api/deliveries/dlv_deep`)).json()) as { delivery: { status: string; error: string } };
    expect(after.delivery).toMatchObject({ status: "invalid", error: `The payload is nested deeper than ${DEFAULTS.jsonDepth} levels.` });
    expect(ran).toBe(0);
  });

  it("sibling: a deep replay filter body is a 400, not a stack overflow (String() of a nested array recursed)", async () => {
    const s = track(await startServer({}, (app) => app.addWebhook("hook", () => null)));
    const res = await fetch(`${s.info.localUrl}/api/deliveries/replay`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: `{"status":${deep()}}`,
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ error: `The replay filter is nested deeper than ${DEFAULTS.jsonDepth} levels.` });
  });

  it("sibling: a handler's Response with a too-deep JSON body is stored as text and the API still answers", async () => {
    const s = track(await startServer({ database: tempDb() }, (app) =>
      app.addWebhook("hook", () => new Response(`{"a":${deep()}}`, { headers: { "content-type": "application/json" } })),
    ));
    const res = await s.post("/webhooks/hook", fixture("repo.create"));
    expect(res.status).toBe(200);
    const id = res.headers.get("x-hubhooks-delivery")!;
    const got = await fetch(`${s.info.localUrl}/api/deliveries/${id}`);
    expect(got.status).toBe(200);
    expect(((await got.json()) as { delivery: { result: { body: unknown } } }).delivery.result.body).toBe(`{"a":${deep()}}`);
  });
});

describe("6. dashboard POSTs with bad input: a clear 4xx, logged", () => {
  it("a multipart body that does not parse, a too-deep test event (form and JSON) → 400 with the reason, and a log line", async () => {
    const { logger, lines } = capturingLogger();
    const s = track(await startServer({ logger }, (app) => app.addWebhook("hook", () => null)));
    const base = s.info.localUrl;
    const broken = await fetch(`${base}/dashboard/test-event`, {
      method: "POST",
      headers: { "content-type": "multipart/form-data; boundary=----nope" },
      body: "this is not multipart at all",
    });
    expect(broken.status).toBe(400);
    expect(((await broken.json()) as { error: string }).error).toMatch(/^The form could not be read/);

    const form = new URLSearchParams({ endpoint: "/webhooks/hook", payload: deepPayload() });
    const deepForm = await fetch(`${base}/dashboard/test-event`, { method: "POST", body: form });
    expect(deepForm.status).toBe(400);
    expect(await deepForm.json()).toEqual({ error: `The payload is nested deeper than ${DEFAULTS.jsonDepth} levels.` });

    const deepJson = await fetch(`${base}/dashboard/test-event`, {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/json" },
      body: `{"endpoint":"/webhooks/hook","payload":${deepPayload()}}`,
    });
    expect(deepJson.status).toBe(400);
    expect(await deepJson.json()).toEqual({ error: `The form is nested deeper than ${DEFAULTS.jsonDepth} levels.` });

    const rejected = lines.filter((l) => l.msg === "request rejected");
    expect(rejected.map((l) => [l.method, l.path, l.status])).toEqual([
      ["POST", "/dashboard/test-event", 400],
      ["POST", "/dashboard/test-event", 400],
      ["POST", "/dashboard/test-event", 400],
    ]);
  });
});

describe("7. a non-ASCII secret", () => {
  it("matches in the X-Webhook-Secret header (UTF-8 bytes, read as latin-1 by the parser) as in ?secret=", async () => {
    const secret = "sécret-密钥-🔑";
    const s = track(await startServer({ webhookSecret: secret }, (app) => app.addWebhook("hook", () => ({ ok: true }))));
    const body = JSON.stringify(fixture("repo.create"));
    // fetch() refuses non-latin-1 header values: send the UTF-8 bytes as a latin-1 string, as a raw client does.
    const headerValue = Buffer.from(secret, "utf8").toString("latin1");
    const viaHeader = await s.post("/webhooks/hook", body, { "x-webhook-secret": headerValue });
    expect(viaHeader.status).toBe(200);
    const viaQuery = await s.post(`/webhooks/hook?secret=${encodeURIComponent(secret)}`, body);
    expect(viaQuery.status).toBe(200);
    expect((await s.post("/webhooks/hook", body, { "x-webhook-secret": "s\u00e9cret-wrong" })).status).toBe(403);
  });
});

describe("10. operations", () => {
  it("/readyz: 200 with the log open and the workers running; 503 with reasons while shutting down; /healthz stays liveness", async () => {
    const s = await startServer({ database: tempDb() }, (app) => app.addWebhook("hook", () => null));
    const ready = await fetch(`${s.info.localUrl}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({
      status: "ready", ready: true, reasons: [], checks: { log: "ok", workers: "running", shuttingDown: false },
    });
    // A request that holds the server open: close() waits for it, and /readyz answers meanwhile.
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    let started!: () => void;
    const handlerStarted = new Promise<void>((r) => (started = r));
    s.app.addWebhook("slow", async () => {
      started();
      await held;
    });
    const slow = s.post("/webhooks/slow", fixture("repo.create"));
    await handlerStarted;
    const closing = s.app.close();
    const during = await s.app.fetch(new Request("http://127.0.0.1/readyz"));
    expect(during.status).toBe(503);
    expect(await during.json()).toMatchObject({ ready: false, reasons: ["the server is shutting down"] });
    expect((await s.app.fetch(new Request("http://127.0.0.1/healthz"))).status).toBe(200);
    release();
    expect((await slow).status).toBe(200);
    await closing;
  });

  it("/readyz: 503 with JSON reasons when the log cannot be opened, while /healthz answers 200", async () => {
    const s = track(await startServer({ database: "/proc/nope/hubhooks.db" }, (app) => app.addWebhook("hook", () => null)));
    const res = await fetch(`${s.info.localUrl}/readyz`);
    expect(res.status).toBe(503);
    expect(await res.json()).toEqual({
      status: "unavailable", ready: false, reasons: ["the delivery log cannot be opened"],
      checks: { log: "unavailable", workers: "stopped", shuttingDown: false },
    });
    expect((await fetch(`${s.info.localUrl}/healthz`)).status).toBe(200);
    expect((await s.post("/webhooks/hook", fixture("repo.create"))).status).toBe(503);
  });

  it("the dashboard sends CSP (with frame-ancestors), X-Frame-Options, nosniff and Referrer-Policy; a Space may frame it from huggingface.co", async () => {
    const s = track(await startServer({}, (app) => app.addWebhook("hook", () => null)));
    for (const path of ["/", "/dashboard/app.js", "/dashboard/rows"]) {
      const res = await fetch(s.info.localUrl + path);
      const csp = res.headers.get("content-security-policy") ?? "";
      expect(csp, path).toContain("frame-ancestors 'none'");
      expect(csp).toContain("script-src 'self'");
      expect(csp).toMatch(/style-src 'sha256-[^']+' 'sha256-[^']+'/);
      expect(res.headers.get("x-frame-options")).toBe("DENY");
      expect(res.headers.get("x-content-type-options")).toBe("nosniff");
      expect(res.headers.get("referrer-policy")).toBe("same-origin");
    }
    // The delivery API is not a page: no CSP needed there (and /healthz neither).
    expect((await fetch(`${s.info.localUrl}/healthz`)).headers.get("content-security-policy")).toBeNull();

    const space = track(await startServer({ env: { SPACE_ID: "me/space" }, dashboardToken: "t" }, (app) => app.addWebhook("hook", () => null)));
    const res = await fetch(space.info.localUrl + "/");
    expect(res.headers.get("content-security-policy")).toContain("frame-ancestors https://huggingface.co");
    expect(res.headers.get("x-frame-options")).toBeNull();
  });

  it("the built-in landing page (database: false) has the headers too; a custom UI is left alone", async () => {
    const plain = track(await startServer({ database: false }, (app) => app.addWebhook("hook", () => null)));
    expect((await fetch(plain.info.localUrl + "/")).headers.get("x-frame-options")).toBe("DENY");
    const custom = track(await startServer({ database: false, ui: "<p>mine</p>" }, (app) => app.addWebhook("hook", () => null)));
    expect((await fetch(custom.info.localUrl + "/")).headers.get("content-security-policy")).toBeNull();
  });

  it("environment forms: HUBHOOKS_BODY_LIMIT, _RETENTION_MS, _LEASE_MS, _SHUTDOWN_GRACE_MS, _CONCURRENCY; bad values refused by name", async () => {
    const env = {
      HUBHOOKS_BODY_LIMIT: "2048", HUBHOOKS_RETENTION_MS: "false", HUBHOOKS_LEASE_MS: "120000",
      HUBHOOKS_SHUTDOWN_GRACE_MS: "2500", HUBHOOKS_CONCURRENCY: "1",
    };
    expect(resolveOptions({ env })).toMatchObject({ bodyLimit: 2048, retentionMs: false, leaseMs: 120_000, shutdownGraceMs: 2500 });
    expect(resolveOptions({ env, leaseMs: 5000 }).leaseMs).toBe(5000); // an option wins over the environment
    expect(() => resolveOptions({ env: { HUBHOOKS_LEASE_MS: "1m" } })).toThrow(
      'HUBHOOKS_LEASE_MS must be a whole number ≥ 1000, not "1m".',
    );
    expect(() => resolveOptions({ env: { HUBHOOKS_CONCURRENCY: "0" } })).toThrow(/HUBHOOKS_CONCURRENCY must be a whole number ≥ 1/);
    // Sibling: a durability the store does not know was silently taken as "normal".
    expect(() => resolveOptions({ env: { HUBHOOKS_DURABILITY: "fulll" } })).toThrow('HUBHOOKS_DURABILITY must be "normal" or "full", not "fulll".');
    expect(resolveOptions({ env: { HUBHOOKS_DURABILITY: "full" } }).durability).toBe("full");
    // PORT and HUBHOOKS_HOST: a typo was silently ignored and the server listened on the default.
    expect(() => resolveOptions({ env: { PORT: "abc" } })).toThrow('PORT must be a whole number from 0 to 65535, not "abc".');
    expect(() => resolveOptions({ env: { PORT: "-1" } })).toThrow(/PORT must be a whole number/);
    expect(() => resolveOptions({ env: { HUBHOOKS_HOST: "http://0.0.0.0" } })).toThrow(/HUBHOOKS_HOST must be a host name or an IP address/);
    expect(resolveOptions({ env: { PORT: "8080", HUBHOOKS_HOST: "::" } })).toMatchObject({ port: 8080, host: "::" });
    expect(resolveOptions({ env: { PORT: "", HUBHOOKS_HOST: "" } })).toMatchObject({ port: 7860, host: "127.0.0.1" });
    expect(resolveOptions({ env: { HUBHOOKS_HOST: "my-box.local" } }).host).toBe("my-box.local");

    // Over real HTTP: the body limit applies, and concurrency 1 keeps a second delivery queued while the first runs.
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    let started!: () => void;
    const first = new Promise<void>((r) => (started = r));
    const s = track(await startServer({ env }, (app) =>
      app.addWebhook("hook", { mode: "accepted" }, async () => {
        started();
        await held;
      }),
    ));
    expect((await s.post("/webhooks/hook", "x".repeat(4096))).status).toBe(413);
    expect((await s.post("/webhooks/hook", fixture("repo.create"))).status).toBe(202);
    await first;
    expect((await s.post("/webhooks/hook", fixture("repo.update"))).status).toBe(202);
    expect(s.app.queue!.running).toBe(1);
    release();
    await s.app.queue!.drain();
  });
});

describe("11. one error mapper, one defaults module", () => {
  it("an unexpected error in the API answers 500 'Internal error.' (no raw message, no secret) and is logged in full", async () => {
    const { logger, lines } = capturingLogger();
    const secret = "hunter2-secret";
    // The store fails below us with a message naming the secret (a driver error quoting a query, say).
    const store = await createSqliteStore({ path: ":memory:" });
    store.list = () => Promise.reject(new Error(`disk I/O error near ${secret}`));
    const s = track(await startServer({ logger, webhookSecret: secret, store }, (app) => app.addWebhook("hook", () => null)));
    const res = await fetch(`${s.info.localUrl}/api/deliveries`);
    expect(res.status).toBe(500);
    expect(await res.json()).toEqual({ error: "Internal error." });
    const logged = lines.find((l) => l.msg === "unexpected error")!;
    expect(logged).toMatchObject({ method: "GET", path: "/api/deliveries" });
    expect(JSON.stringify(logged)).toContain("disk I/O error near ***");
    expect(JSON.stringify(lines)).not.toContain(secret);
  });

  it("one policy: a HubhooksError answers its status and public message; a 4xx-carrying error its status; the rest 500", async () => {
    const known = httpErrorResponse(new HubhooksError("NOT_FOUND", "No such thing with s3cr3t.", { status: 404 }), ["s3cr3t"]);
    expect([known.status, await known.json()]).toEqual([404, { error: "No such thing with ***." }]);
    const carried = httpErrorResponse(Object.assign(new Error("Malformed part"), { status: 400 }));
    expect([carried.status, await carried.json()]).toEqual([400, { error: "Malformed part" }]);
    const bug = httpErrorResponse(new RangeError("Maximum call stack size exceeded"));
    expect([bug.status, await bug.json()]).toEqual([500, { error: "Internal error." }]);
  });

  it("inline mode keeps the Python answer for a handler's own error: 500 with its message, secrets removed", async () => {
    const s = track(await startServer({ database: false, webhookSecret: "k3y" }, (app) =>
      app.addWebhook("hook", () => {
        throw new Error("boom with k3y");
      }),
    ));
    const res = await s.post("/webhooks/hook", fixture("repo.create"), { "x-webhook-secret": "k3y" });
    expect([res.status, await res.json()]).toEqual([500, { error: "boom with ***" }]);
  });

  it("every default comes from src/defaults.ts: the queue's lease is the server's (60 s), as documented", () => {
    expect(QUEUE_DEFAULTS.leaseMs).toBe(DEFAULTS.leaseMs);
    expect(SERVER_DEFAULTS.leaseMs).toBe(60_000);
    expect(QUEUE_DEFAULTS.retention.succeededMaxAgeMs).toBe(SERVER_DEFAULTS.retentionMs);
    expect(ENDPOINT_DEFAULTS).toEqual({ mode: DEFAULTS.mode, deadlineMs: DEFAULTS.deadlineMs, timeoutMs: DEFAULTS.timeoutMs, concurrency: DEFAULTS.concurrency });
    const app = new WebhooksServer({ env: {}, print: () => {}, handleSignals: false });
    expect(app.queue).toBeUndefined();
    expect(resolveOptions({ env: {} }).leaseMs).toBe(DEFAULTS.leaseMs);
  });
});

describe("12. database settings", () => {
  it("a URL no engine understands is refused with one clear message (no folder named mysql: appears)", async () => {
    const app = new WebhooksServer({ env: {}, print: () => {}, handleSignals: false, database: "mysql://db/hooks", logger: pino({ level: "silent" }) });
    await expect(app.start()).rejects.toThrow('Unsupported database "mysql://db/hooks": use a SQLite file path, ":memory:" or a postgres:// URL.');
    const res = await app.fetch(new Request("http://127.0.0.1/api/deliveries"));
    expect(res.status).toBe(500);
    expect(((await res.json()) as { error: string }).error).toMatch(/^Unsupported database/);
    await app.close();
  });
});
