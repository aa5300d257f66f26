// What the person on call reads: log lines (errors with their stack, the delivery's ids, one access line per request,
// never the secret), the console format, and the metrics of a real server.
import { Writable } from "node:stream";
import { pino } from "pino";
import { collectDefaultMetrics, Registry } from "prom-client";
import { describe, expect, it } from "vitest";
import { ManualClock } from "../../src/internal/clock.js";
import { logFormat } from "../../src/internal/logger.js";
import { fixture } from "../../src/payload/index.js";
import { closeAfterEach } from "../helpers/close-after-each.js";
import { startServer } from "../helpers/server.js";

const track = closeAfterEach();
const SECRET = "s3cret-value-9f2c";
const noJitter = { maxAttempts: 2, initialDelayMs: 1_000, factor: 4, jitter: 0, maxDelayMs: 60_000 };

/** A pino logger (no redaction configured: hubhooks must not rely on it) whose lines land in `lines`, parsed. */
function capture() {
  const raw: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      raw.push(...String(chunk).split("\n").filter(Boolean));
      done();
    },
  });
  const logger = pino({ level: "debug" }, stream);
  const lines = () => raw.map((line) => JSON.parse(line) as Record<string, any>);
  return { logger, raw, lines, find: (msg: string) => lines().filter((l) => l.msg === msg) };
}

describe("logs", () => {
  it("logs a failed attempt's error as pino's err (type, message, stack), with the delivery's ids, secrets removed", async () => {
    const log = capture();
    const clock = new ManualClock();
    let calls = 0;
    const s = track(await startServer({ logger: log.logger, webhookSecret: SECRET, clock }, (app) =>
      app.addWebhook("bot", { retry: noJitter }, () => {
        calls++;
        throw new TypeError(`the Hub said no to ${SECRET}`);
      }),
    ));
    const res = await s.post("/webhooks/bot", fixture("discussion.comment.create"), { "x-webhook-secret": SECRET, "webhook-id": "wh-7" });
    expect(res.status).toBe(202);
    const id = res.headers.get("x-hubhooks-delivery")!;
    const [retrying] = log.find("delivery attempt failed; will retry");
    expect(retrying).toMatchObject({
      level: 40, deliveryId: id, endpoint: "bot", webhookId: "wh-7", attempt: 1, outcome: "failed", retryInMs: 1_000,
      err: { type: "TypeError", message: "the Hub said no to ***" },
    });
    expect(retrying!.err.stack).toMatch(/^TypeError: the Hub said no to \*\*\*\n\s+at .*observability\.test\.ts:\d+:\d+/);
    expect(retrying).not.toHaveProperty("error");
    clock.advance(1_000);
    await s.app.queue!.drain();
    expect(calls).toBe(2);
    expect(log.find("delivery is dead: no attempt left")[0]).toMatchObject({
      level: 50, deliveryId: id, webhookId: "wh-7", attempt: 2, err: { type: "TypeError", message: "the Hub said no to ***" },
    });
    expect(log.raw.join("\n")).not.toContain(SECRET);
  });

  it("every delivery line carries webhookId: recorded, succeeded, the handler's own ctx.logger, a duplicate", async () => {
    const log = capture();
    const s = track(await startServer({ logger: log.logger }, (app) =>
      app.addWebhook("sync", (_payload, ctx) => {
        ctx.logger.info("syncing");
        return "ok";
      }),
    ));
    const first = await s.post("/webhooks/sync", fixture("repo.content.update"), { "webhook-id": "wh-42" });
    const id = first.headers.get("x-hubhooks-delivery")!;
    await s.post("/webhooks/sync", fixture("repo.content.update"), { "webhook-id": "wh-42" });
    await s.app.queue!.drain();
    const mine = { deliveryId: id, endpoint: "sync", webhookId: "wh-42" };
    expect(log.find("delivery recorded")[0]).toMatchObject(mine);
    expect(log.find("syncing")[0]).toMatchObject({ ...mine, attempt: 1 });
    expect(log.find("delivery succeeded")[0]).toMatchObject({ ...mine, attempt: 1 });
    expect(log.find("duplicate delivery acknowledged")[0]).toMatchObject(mine);
  });

  it("writes one access line per request (method, path, status, ms, delivery id) and never the secret", async () => {
    const log = capture();
    const s = track(await startServer({ logger: log.logger, webhookSecret: SECRET }, (app) => {
      app.addWebhook("ok", () => ({ done: true }));
      app.addWebhook("boom", { retry: { maxAttempts: 1 } }, () => {
        throw new Error(`cannot reach ${SECRET}`);
      });
    }));
    const body = fixture("repo.content.update");
    const viaHeader = await s.post("/webhooks/ok", body, { "x-webhook-secret": SECRET, "webhook-id": "wh-a" });
    const viaQuery = await s.post(`/webhooks/ok?secret=${SECRET}&x=1`, body);
    const dead = await s.post(`/webhooks/boom?secret=${SECRET}`, body);
    const wrong = await s.post("/webhooks/ok", body, { "x-webhook-secret": `${SECRET}-wrong` });
    const missing = await s.post("/webhooks/ok", body);
    const notFound = await fetch(`${s.info.localUrl}/webhooks/nope?secret=${SECRET}`, { method: "POST" });
    const metrics = await fetch(`${s.info.localUrl}/metrics`);
    expect([viaHeader, viaQuery, dead, wrong, missing, notFound, metrics].map((r) => r.status)).toEqual([200, 200, 202, 403, 401, 404, 200]);
    await s.app.queue!.drain();
    const access = log.find("request");
    expect(access.map((l) => [l.method, l.path, l.status, l.level])).toEqual([
      ["POST", "/webhooks/ok", 200, 30],
      ["POST", "/webhooks/ok", 200, 30],
      ["POST", "/webhooks/boom", 202, 30],
      ["POST", "/webhooks/ok", 403, 40],
      ["POST", "/webhooks/ok", 401, 40],
      ["POST", "/webhooks/nope", 404, 40],
      ["GET", "/metrics", 200, 20], // a successful read is debug: dashboard page loads, SSE, favicon, /metrics
    ]);
    expect(access[0]).toMatchObject({ deliveryId: viaHeader.headers.get("x-hubhooks-delivery"), webhookId: "wh-a" });
    expect(access[1]!.deliveryId).toBe(viaQuery.headers.get("x-hubhooks-delivery"));
    expect(access[2]!.deliveryId).toBe(dead.headers.get("x-hubhooks-delivery"));
    expect(access[3]).not.toHaveProperty("deliveryId");
    for (const line of access) expect(typeof line.durationMs).toBe("number");
    // Not in any line: not the access lines, not the rejection warnings, not the dead delivery's error.
    expect(log.raw.length).toBeGreaterThan(access.length);
    for (const line of log.raw) expect(line).not.toContain(SECRET);
    expect(log.find("delivery is dead: no attempt left")[0]!.err.message).toBe("cannot reach ***");
  });
});

describe("console format", () => {
  it("is readable on a terminal, JSON when piped, and LOG_FORMAT decides when set", () => {
    expect(logFormat({}, { isTTY: true })).toBe("pretty");
    expect(logFormat({}, { isTTY: false })).toBe("json");
    expect(logFormat({}, {})).toBe("json");
    expect(logFormat({ LOG_FORMAT: "json" }, { isTTY: true })).toBe("json");
    expect(logFormat({ LOG_FORMAT: "PRETTY" }, { isTTY: false })).toBe("pretty");
    expect(logFormat({ HUBHOOKS_PRETTY: "1" }, { isTTY: false })).toBe("pretty"); // what `hubhooks dev` sets
    expect(logFormat({ LOG_FORMAT: "json", HUBHOOKS_PRETTY: "1" }, { isTTY: true })).toBe("json");
  });
});

describe("metrics of a running server", () => {
  it("shows every endpoint's counters at 0 before the first delivery", async () => {
    const s = track(await startServer({}, (app) => {
      app.addWebhook("quiet", () => "ok");
    }));
    const text = await (await fetch(`${s.info.localUrl}/metrics`)).text();
    expect(text).toContain('hubhooks_deliveries_received_total{endpoint="quiet"} 0');
    expect(text).toContain('hubhooks_attempts_total{endpoint="quiet",outcome="failed"} 0');
    expect(text).toContain('hubhooks_deliveries_total{endpoint="quiet",status="dead"} 0');
    expect(text).toContain('hubhooks_deliveries_running{endpoint="quiet"} 0');
    expect(text).toContain("hubhooks_oldest_due_age_seconds 0");
  });

  it("counts a running handler, and ages the oldest due delivery by the server's clock", async () => {
    const clock = new ManualClock();
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const s = track(await startServer({ clock }, (app) => {
      app.addWebhook("slow", { mode: "accepted", concurrency: 1 }, () => gate);
    }));
    await s.post("/webhooks/slow", fixture("repo.content.update"));
    await s.post("/webhooks/slow", fixture("repo.content.update")); // waits: the one slot is taken
    clock.advance(90_000);
    const text = await (await fetch(`${s.info.localUrl}/metrics`)).text();
    expect(text).toContain('hubhooks_deliveries_running{endpoint="slow"} 1');
    expect(text).toContain('hubhooks_queue_depth{status="queued"} 1');
    expect(text).toContain('hubhooks_queue_depth{status="running"} 1');
    expect(text).toContain("hubhooks_oldest_due_age_seconds 90");
    release();
    await s.app.queue!.drain();
    const after = await (await fetch(`${s.info.localUrl}/metrics`)).text();
    expect(after).toContain('hubhooks_deliveries_running{endpoint="slow"} 0');
    expect(after).toContain('hubhooks_deliveries_total{endpoint="slow",status="succeeded"} 2');
    expect(after).toContain("hubhooks_oldest_due_age_seconds 0");
  });

  it("metrics: { defaultMetrics: false } lets the application merge its registry with the server's", async () => {
    const appRegistry = new Registry();
    collectDefaultMetrics({ register: appRegistry });
    const s = track(await startServer({ metrics: { defaultMetrics: false } }, (app) => app.addWebhook("m", () => "ok")));
    const merged = Registry.merge([appRegistry, s.app.metrics!.registry]);
    const text = await merged.metrics();
    expect(text).toContain("process_cpu_user_seconds_total");
    expect(text).toContain('hubhooks_deliveries_received_total{endpoint="m"} 0');
    const withDefaults = track(await startServer({}, (app) => app.addWebhook("d", () => "ok")));
    expect(() => Registry.merge([appRegistry, withDefaults.app.metrics!.registry])).toThrow(
      "A metric with the name process_cpu_user_seconds_total has already been registered.",
    );
  });
});
