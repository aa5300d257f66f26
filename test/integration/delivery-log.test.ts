import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import { pino } from "pino";
import { afterEach, describe, expect, it } from "vitest";
import { NonRetryableError } from "../../src/errors.js";
import { ManualClock } from "../../src/internal/clock.js";
import { fixture } from "../../src/payload/index.js";
import { startServer } from "../helpers/server.js";

type Started = Awaited<ReturnType<typeof startServer>>;
const open: Started[] = [];
async function start(...args: Parameters<typeof startServer>) {
  const s = await startServer(...args);
  open.push(s);
  return s;
}
afterEach(async () => {
  while (open.length) await open.pop()!.close();
});

const tmpDb = () => join(mkdtempSync(join(tmpdir(), "hubhooks-log-")), "hubhooks.db");
const comment = () => fixture("discussion.comment.create");
const noJitter = { initialDelayMs: 1000, factor: 4, jitter: 0, maxDelayMs: 60_000 };

function deferred<T = void>() {
  let resolve!: (v: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

describe("delivery log on a real SQLite file", () => {
  it("commits the delivery before the handler starts and records the result", async () => {
    let seenInLog: unknown;
    const s = await start({ database: tmpDb() }, (app) =>
      app.addWebhook("hook", async (_p, ctx) => {
        seenInLog = await app.store!.get(ctx.deliveryId);
        return { ok: true };
      }),
    );
    const res = await s.post("/webhooks/hook", comment(), { "webhook-id": "wh-1" });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true });
    const id = res.headers.get("x-hubhooks-delivery")!;
    expect(seenInLog).toMatchObject({ id, status: "running", attempts: 1, webhookId: "wh-1", endpoint: "hook" });
    await s.app.queue!.drain();
    const stored = await s.app.store!.get(id);
    expect(stored).toMatchObject({
      status: "succeeded",
      result: { ok: true },
      scope: "discussion.comment",
      action: "create",
      repoType: "space",
      repoName: "some-user/some-space",
    });
    expect(stored!.body).toBe(JSON.stringify(comment()));
  });

  it("answers 503 when the delivery cannot be recorded, and the handler never runs", async () => {
    let ran = false;
    const s = await start({}, (app) => app.addWebhook("hook", () => void (ran = true)));
    await s.app.queue!.stop(0);
    await s.app.store!.close();
    const res = await s.post("/webhooks/hook", comment());
    expect(res.status).toBe(503);
    expect(await res.json()).toEqual({
      error: "The delivery log is unavailable; the delivery was not recorded. Retry later.",
    });
    expect(ran).toBe(false);
  });

  it('"result" mode answers 202 with the delivery id past the deadline and lets the handler finish', async () => {
    const gate = deferred();
    const s = await start({}, (app) =>
      app.addWebhook("slow", { deadlineMs: 20 }, async () => {
        await gate.promise;
        return "done";
      }),
    );
    const res = await s.post("/webhooks/slow", comment());
    expect(res.status).toBe(202);
    const body = await res.json();
    expect(body).toMatchObject({ status: "running", deliveryId: expect.stringMatching(/^dlv_/) });
    gate.resolve();
    await s.app.queue!.drain();
    expect(await s.app.store!.get(body.deliveryId)).toMatchObject({ status: "succeeded", result: "done" });
  });

  it('"accepted" mode answers 202 right after the commit', async () => {
    const gate = deferred();
    const s = await start({}, (app) =>
      app.addWebhook("bg", { mode: "accepted" }, async () => {
        await gate.promise;
        return 1;
      }),
    );
    const res = await s.post("/webhooks/bg", comment());
    expect(res.status).toBe(202);
    const { deliveryId, status } = await res.json();
    expect(status).toBe("queued");
    gate.resolve();
    await s.app.queue!.drain();
    expect((await s.app.store!.get(deliveryId))!.status).toBe("succeeded");
  });

  it("retries with exponential backoff on an injected clock, then succeeds", async () => {
    const clock = new ManualClock(1_000_000);
    let calls = 0;
    const s = await start({ clock }, (app) =>
      app.addWebhook("flaky", { retry: { ...noJitter, maxAttempts: 3 } }, (_p, ctx) => {
        calls++;
        if (ctx.attempt < 3) throw new Error(`boom ${ctx.attempt}`);
        return { attempt: ctx.attempt };
      }),
    );
    const res = await s.post("/webhooks/flaky", comment());
    expect(res.status).toBe(202); // recorded: the Hub gets a 2xx, our queue owns the retries
    const id = res.headers.get("x-hubhooks-delivery")!;
    expect(await res.json()).toEqual({ deliveryId: id, status: "retrying", error: "boom 1", nextAttemptAt: 1_001_000 });
    await s.app.queue!.drain();
    expect(await s.app.store!.get(id)).toMatchObject({ status: "retrying", attempts: 1, nextAttemptAt: 1_001_000 });
    clock.advance(999);
    await s.app.queue!.drain();
    expect(calls).toBe(1);
    clock.advance(1);
    await s.app.queue!.drain();
    expect(await s.app.store!.get(id)).toMatchObject({ status: "retrying", attempts: 2, nextAttemptAt: 1_005_000 });
    clock.advance(4000);
    await s.app.queue!.drain();
    expect(await s.app.store!.get(id)).toMatchObject({ status: "succeeded", attempts: 3, result: { attempt: 3 } });
    const attempts = await s.app.store!.attempts(id);
    expect(attempts.map((a) => [a.attempt, a.outcome, a.error])).toEqual([
      [1, "failed", "boom 1"],
      [2, "failed", "boom 2"],
      [3, "succeeded", null],
    ]);
  });

  it("goes dead after the last attempt, or at once on NonRetryableError", async () => {
    const clock = new ManualClock(0);
    const s = await start({ clock }, (app) => {
      app.addWebhook("fails", { retry: { ...noJitter, maxAttempts: 2 } }, () => {
        throw new Error("always");
      });
      app.addWebhook("refuses", () => {
        throw new NonRetryableError("not for me");
      });
    });
    const a = (await s.post("/webhooks/fails", comment())).headers.get("x-hubhooks-delivery")!;
    const b = (await s.post("/webhooks/refuses", comment())).headers.get("x-hubhooks-delivery")!;
    clock.advance(1000);
    await s.app.queue!.drain();
    expect(await s.app.store!.get(a)).toMatchObject({ status: "dead", attempts: 2 });
    expect(await s.app.store!.get(b)).toMatchObject({ status: "dead", attempts: 1, error: "not for me" });
    expect((await s.app.store!.attempts(b))[0]!.outcome).toBe("non-retryable");
  });

  it("times out a handler through its AbortSignal", async () => {
    let aborted = false;
    const s = await start({}, (app) =>
      app.addWebhook("hangs", { timeoutMs: 30, retry: { maxAttempts: 1 } }, (_p, ctx) => {
        return new Promise((_resolve, reject) =>
          ctx.signal.addEventListener("abort", () => {
            aborted = true;
            reject(ctx.signal.reason);
          }),
        );
      }),
    );
    const res = await s.post("/webhooks/hangs", comment());
    expect(res.status).toBe(202);
    const id = res.headers.get("x-hubhooks-delivery")!;
    expect(await res.json()).toEqual({ deliveryId: id, status: "dead", error: 'Handler "hangs" timed out after 30 ms.', nextAttemptAt: null });
    await s.app.queue!.drain();
    expect(aborted).toBe(true);
    expect(await s.app.store!.get(id)).toMatchObject({ status: "dead" });
    expect((await s.app.store!.attempts(id))[0]!.outcome).toBe("timeout");
  });
});

describe("deliveries no handler applied to", () => {
  it("are recorded as skipped with the reason (not succeeded), counted, and answered 200 null as in Python", async () => {
    const s = await start({}, (app) => {
      app.addWebhook("routes").on("repo.content.update", () => ({ pushed: true }));
      app.addWebhook("filtered", { filter: { repo: "acme/only-this" } }, () => ({ ran: true }));
    });
    const noRoute = await s.post("/webhooks/routes", comment());
    expect(noRoute.status).toBe(200);
    expect(await noRoute.text()).toBe("null");
    const filtered = await s.post("/webhooks/filtered", comment());
    expect(await filtered.text()).toBe("null");
    await s.app.queue!.drain();
    expect(await s.app.store!.get(noRoute.headers.get("x-hubhooks-delivery")!)).toMatchObject({
      status: "skipped", error: 'no route matched event "discussion.comment.create"',
    });
    expect((await s.app.store!.get(filtered.headers.get("x-hubhooks-delivery")!))!.status).toBe("skipped");
    expect((await s.app.store!.get(filtered.headers.get("x-hubhooks-delivery")!))!.error).toMatch(/left out by the endpoint's filter$/);
    const pushed = await s.post("/webhooks/routes", fixture("repo.content.update"));
    expect(await pushed.json()).toEqual({ pushed: true });
    const metrics = await (await fetch(s.info.localUrl + "/metrics")).text();
    expect(metrics).toContain('hubhooks_deliveries_total{endpoint="routes",status="skipped"} 1');
    expect(metrics).toContain('hubhooks_deliveries_total{endpoint="filtered",status="skipped"} 1');
    expect(metrics).toContain('hubhooks_attempts_total{endpoint="routes",outcome="skipped"} 1');
    const listed = await (await fetch(s.info.localUrl + "/api/deliveries?status=skipped")).json();
    expect(listed.items).toHaveLength(2);
  });
});

describe("routes as steps", () => {
  it("a retry runs only the routes that have not succeeded: the first route's side effect happens once", async () => {
    const clock = new ManualClock(0);
    const calls: string[] = [];
    let failSecond = true;
    const s = await start({ clock }, (app) =>
      app
        .addWebhook("bot", { retry: { ...noJitter, maxAttempts: 3 } })
        .on("discussion.comment.create", (_p, ctx) => {
          calls.push(`comment#${ctx.attempt}:${ctx.step}`);
          return "commented";
        })
        .on("*", (_p, ctx) => {
          calls.push(`label#${ctx.attempt}:${ctx.completedSteps.join(",")}`);
          if (failSecond) throw new Error("label API down");
          return "labelled";
        }),
    );
    const res = await s.post("/webhooks/bot", comment());
    expect((await res.json()).status).toBe("retrying");
    const id = res.headers.get("x-hubhooks-delivery")!;
    expect(await s.app.store!.get(id)).toMatchObject({ status: "retrying", completedSteps: ["on:0:discussion.comment.create"] });
    const detail = await (await fetch(`${s.info.localUrl}/?id=${id}`)).text();
    expect(detail).toContain("<dt>Steps done</dt><dd><code>on:0:discussion.comment.create</code>");
    failSecond = false;
    clock.advance(1_000);
    await s.app.queue!.drain();
    expect(calls).toEqual([
      "comment#1:on:0:discussion.comment.create",
      "label#1:",
      "label#2:on:0:discussion.comment.create",
    ]);
    expect(await s.app.store!.get(id)).toMatchObject({ status: "succeeded", attempts: 2, result: "labelled", completedSteps: [] });
    // A full replay of a succeeded delivery runs every route again, on purpose.
    expect((await fetch(`${s.info.localUrl}/api/deliveries/${id}/replay`, { method: "POST" })).status).toBe(200);
    await s.app.queue!.drain();
    expect(calls.slice(3)).toEqual(["comment#3:on:0:discussion.comment.create", "label#3:"]);
  });
});

describe("quarantine of invalid payloads", () => {
  it("records an invalid payload, never runs it, and replays it once the endpoint's schema accepts it", async () => {
    let strict = true;
    const schema = {
      "~standard": {
        version: 1 as const,
        vendor: "test",
        validate: (value: unknown) => {
          const v = value as { event?: { scope?: string } };
          return !strict || v.event?.scope === "repo.content"
            ? { value }
            : { issues: [{ message: "only repo.content", path: ["event", "scope"] }] };
        },
      },
    };
    let runs = 0;
    const s = await start({}, (app) => app.addWebhook("typed", { schema }, () => ({ run: ++runs })));
    const res = await s.post("/webhooks/typed", comment(), { "webhook-id": "q-1" });
    expect(res.status).toBe(202);
    const { deliveryId, status, issues } = await res.json();
    expect([status, issues]).toEqual(["invalid", ["event.scope: only repo.content"]]);
    await s.app.queue!.drain();
    expect(runs).toBe(0);
    expect(await s.app.store!.get(deliveryId)).toMatchObject({ status: "invalid", attempts: 0 });
    // Replay before the fix: validated again, still invalid, still never run.
    expect((await fetch(`${s.info.localUrl}/api/deliveries/${deliveryId}/replay`, { method: "POST" })).status).toBe(200);
    await s.app.queue!.drain();
    expect(await s.app.store!.get(deliveryId)).toMatchObject({ status: "invalid", attempts: 1 });
    expect(runs).toBe(0);
    strict = false; // the code (its schema) is fixed
    expect((await fetch(`${s.info.localUrl}/api/deliveries/${deliveryId}/replay`, { method: "POST" })).status).toBe(200);
    await s.app.queue!.drain();
    expect(await s.app.store!.get(deliveryId)).toMatchObject({ status: "succeeded", result: { run: 1 } });
    expect((await s.app.store!.attempts(deliveryId)).map((a) => a.outcome)).toEqual(["invalid", "succeeded"]);
  });
});

describe("handler results that cannot be JSON", () => {
  it("fails the delivery for good when the result cannot be sent (BigInt), and answers null for a function", async () => {
    const s = await start({}, (app) => {
      app.addWebhook("bigint", () => ({ n: 1n }));
      app.addWebhook("fn", () => () => 1);
    });
    const res = await s.post("/webhooks/bigint", comment());
    expect(res.status).toBe(202);
    const body = await res.json();
    expect(body.status).toBe("dead");
    expect(body.error).toMatch(/^The handler's return value cannot be sent as JSON: /);
    await s.app.queue!.drain();
    const stored = await s.app.store!.get(res.headers.get("x-hubhooks-delivery")!);
    expect(stored).toMatchObject({ status: "dead", attempts: 1 });
    const fn = await s.post("/webhooks/fn", comment());
    expect(fn.status).toBe(200);
    expect(await fn.text()).toBe("null");
  });
});

describe("deduplication on Webhook-Id", () => {
  it("acknowledges a duplicate of a succeeded delivery without running it; re-runs a dead one (Hub Replay)", async () => {
    let runs = 0;
    let fail = true;
    const s = await start({}, (app) =>
      app.addWebhook("hook", { retry: { maxAttempts: 1 } }, () => {
        runs++;
        if (fail) throw new Error("down");
        return "ok";
      }),
    );
    const first = await s.post("/webhooks/hook", comment(), { "webhook-id": "same" });
    expect(first.status).toBe(202);
    expect(await first.json()).toMatchObject({ status: "dead", error: "down" });
    await s.app.queue!.drain();
    fail = false;
    const replayed = await s.post("/webhooks/hook", comment(), { "webhook-id": "same" });
    expect(replayed.status).toBe(200);
    expect(await replayed.json()).toBe("ok");
    expect(replayed.headers.get("x-hubhooks-delivery")).toBe(first.headers.get("x-hubhooks-delivery"));
    const dup = await s.post("/webhooks/hook", comment(), { "webhook-id": "same" });
    expect(dup.status).toBe(200);
    expect(await dup.json()).toMatchObject({ duplicate: true, status: "succeeded" });
    expect(runs).toBe(2);
    const metrics = await (await fetch(s.info.localUrl + "/metrics")).text();
    expect(metrics).toContain('hubhooks_deliveries_duplicate_total{endpoint="hook"} 1');
  });
});

describe("limits", () => {
  it("runs at most `concurrency` deliveries of an endpoint at once", async () => {
    const gate = deferred();
    let running = 0;
    let peak = 0;
    const s = await start({}, (app) =>
      app.addWebhook("one", { mode: "accepted", concurrency: 1 }, async () => {
        peak = Math.max(peak, ++running);
        await gate.promise;
        running--;
      }),
    );
    for (let i = 0; i < 3; i++) expect((await s.post("/webhooks/one", comment())).status).toBe(202);
    await s.app.queue!.tick();
    expect((await s.app.store!.countsByStatus()).running).toBe(1);
    gate.resolve();
    await s.app.queue!.drain();
    expect(peak).toBe(1);
    expect((await s.app.store!.countsByStatus()).succeeded).toBe(3);
  });

  it("runs one delivery per ordering key at a time (repo name)", async () => {
    const gate = deferred();
    const started: string[] = [];
    const s = await start({}, (app) =>
      app.addWebhook("ordered", { mode: "accepted", concurrency: 5, orderingKey: "repo" }, async (p) => {
        started.push(p.repo.name);
        await gate.promise;
      }),
    );
    const repoA = fixture("repo.content.update", { repo: { name: "a/one" } });
    const repoB = fixture("repo.content.update", { repo: { name: "b/two" } });
    await s.post("/webhooks/ordered", repoA);
    await s.post("/webhooks/ordered", repoA);
    await s.post("/webhooks/ordered", repoB);
    await s.app.queue!.tick();
    expect(started.sort()).toEqual(["a/one", "b/two"]);
    gate.resolve();
    await s.app.queue!.drain();
    expect(started).toHaveLength(3);
  });

  it("prunes succeeded deliveries past the retention age when the queue starts", async () => {
    const database = tmpDb();
    const clock = new ManualClock(0);
    const first = await start({ database, clock, retentionMs: 1000 }, (app) => app.addWebhook("x", () => 1));
    await first.post("/webhooks/x", comment());
    await first.app.queue!.drain();
    await first.close();
    open.pop();
    clock.advance(5000);
    const second = await start({ database, clock, retentionMs: 1000 }, (app) => app.addWebhook("x", () => 1));
    await second.app.queue!.drain();
    expect(await second.app.store!.count({})).toBe(0);
  });
});

describe("delivery API, replay and metrics", () => {
  it("lists, shows, replays one and replays all matching", async () => {
    let fail = true;
    const s = await start({}, (app) =>
      app.addWebhook("hook", { retry: { maxAttempts: 1 } }, () => {
        if (fail) throw new Error("nope");
        return "fixed";
      }),
    );
    for (let i = 0; i < 3; i++) await s.post("/webhooks/hook", comment());
    await s.app.queue!.drain();
    const list = await (await fetch(`${s.info.localUrl}/api/deliveries?status=dead`)).json();
    expect(list.items).toHaveLength(3);
    expect(list.items[0]).toMatchObject({ endpoint: "hook", status: "dead", event: "discussion.comment.create" });
    expect(list.items[0].payload.repo.name).toBe("some-user/some-space");
    const id = list.items[0].id;
    const detail = await (await fetch(`${s.info.localUrl}/api/deliveries/${id}`)).json();
    expect(detail.attempts).toHaveLength(1);
    expect(detail.attempts[0]).toMatchObject({ outcome: "failed", error: "nope" });
    fail = false;
    const one = await fetch(`${s.info.localUrl}/api/deliveries/${id}/replay`, { method: "POST" });
    expect(one.status).toBe(200);
    await s.app.queue!.drain();
    expect((await s.app.store!.get(id))!.status).toBe("succeeded");
    const bulk = await fetch(`${s.info.localUrl}/api/deliveries/replay`, {
      method: "POST",
      body: JSON.stringify({ status: "dead", endpoint: "hook" }),
    });
    expect(await bulk.json()).toEqual({ replayed: 2, notServed: {} });
    await s.app.queue!.drain();
    expect((await s.app.store!.countsByStatus()).succeeded).toBe(3);
    expect((await fetch(`${s.info.localUrl}/api/deliveries/nope`)).status).toBe(404);
    const csrf = await fetch(`${s.info.localUrl}/api/deliveries/replay`, {
      method: "POST",
      headers: { origin: "https://evil.example" },
      body: "{}",
    });
    expect(csrf.status).toBe(403);
    expect(await csrf.json()).toEqual({ error: "Cross-origin request refused." });
    const bad = await fetch(`${s.info.localUrl}/api/deliveries?status=weird`);
    expect(bad.status).toBe(400);
    expect((await bad.json()).error).toMatch(/Invalid status "weird"/);
  });

  it("exposes Prometheus metrics by endpoint", async () => {
    const s = await start({ webhookSecret: "s" }, (app) => {
      app.addWebhook("ok", () => 1);
      app.addWebhook("bad", { retry: { maxAttempts: 1 } }, () => {
        throw new Error("x");
      });
    });
    await s.post("/webhooks/ok", comment(), { "x-webhook-secret": "s" });
    await s.post("/webhooks/bad", comment(), { "x-webhook-secret": "s" });
    await s.post("/webhooks/ok", "{", { "x-webhook-secret": "s" });
    await s.post("/webhooks/ok", comment(), { "x-webhook-secret": "wrong" });
    await s.app.queue!.drain();
    const text = await (await fetch(s.info.localUrl + "/metrics")).text();
    for (const line of [
      'hubhooks_deliveries_received_total{endpoint="ok"} 1',
      'hubhooks_deliveries_received_total{endpoint="bad"} 1',
      'hubhooks_attempts_total{endpoint="ok",outcome="succeeded"} 1',
      'hubhooks_deliveries_total{endpoint="ok",status="succeeded"} 1',
      'hubhooks_attempts_total{endpoint="bad",outcome="failed"} 1',
      'hubhooks_deliveries_total{endpoint="bad",status="dead"} 1',
      'hubhooks_deliveries_total{endpoint="bad",status="succeeded"} 0',
      'hubhooks_deliveries_invalid_total{endpoint="ok",reason="json"} 1',
      'hubhooks_deliveries_invalid_total{endpoint="ok",reason="secret"} 1',
      'hubhooks_queue_depth{status="queued"} 0',
      'hubhooks_deliveries_running{endpoint="ok"} 0',
      "hubhooks_oldest_due_age_seconds 0",
    ]) {
      expect(text).toContain(line);
    }
    expect(text).toMatch(/hubhooks_handler_duration_seconds_count\{endpoint="ok"\} 1/);
    expect(text).toMatch(/hubhooks_queue_lag_seconds_count\{endpoint="ok"\} 1/);
  });
});

describe("access and secrecy", () => {
  it("requires the dashboard token when one is set", async () => {
    const s = await start({ dashboardToken: "tok" });
    const url = `${s.info.localUrl}/api/deliveries`;
    expect((await fetch(url)).status).toBe(401);
    expect((await fetch(url, { headers: { authorization: "Bearer nope" } })).status).toBe(403);
    expect((await fetch(url, { headers: { authorization: "Bearer tok" } })).status).toBe(200);
    expect((await fetch(`${s.info.localUrl}/metrics`)).status).toBe(401);
  });

  it("refuses the delivery API without a token in a Space or beyond loopback", async () => {
    const space = await start({ env: { SPACE_ID: "me/app" }, host: "127.0.0.1" });
    const res = await fetch(`${space.info.localUrl}/api/deliveries`);
    expect(res.status).toBe(403);
    expect((await res.json()).error).toMatch(/HUBHOOKS_DASHBOARD_TOKEN/);
    const wide = await (async () => {
      const { WebhooksServer } = await import("../../src/server/webhooks-server.js");
      const app = new WebhooksServer({ print: () => {}, logger: pino({ level: "silent" }), handleSignals: false, env: {}, database: ":memory:" });
      const info = await app.launch({ port: 0, host: "0.0.0.0" });
      return { app, info };
    })();
    try {
      expect((await fetch(`http://127.0.0.1:${wide.info.port}/api/deliveries`)).status).toBe(403);
    } finally {
      await wide.app.close();
    }
  });

  it("never stores, logs or serves the secret", async () => {
    const secret = "top-secret-value-123";
    const lines: string[] = [];
    const logger = pino(
      { level: "debug" },
      new Writable({
        write(chunk, _enc, cb) {
          lines.push(String(chunk));
          cb();
        },
      }),
    );
    const s = await start({ webhookSecret: secret, logger }, (app) =>
      app.addWebhook("leaky", { retry: { maxAttempts: 1 } }, () => {
        throw new Error(`cannot use ${secret}`);
      }),
    );
    const res = await s.post(`/webhooks/leaky?secret=${secret}`, comment(), { "x-webhook-secret": secret });
    expect(await res.text()).not.toContain(secret);
    await s.app.queue!.drain();
    const id = res.headers.get("x-hubhooks-delivery")!;
    const stored = await s.app.store!.get(id);
    expect(JSON.stringify(stored)).not.toContain(secret);
    expect(stored!.headers["x-webhook-secret"]).toBeUndefined();
    expect(JSON.stringify(await s.app.store!.attempts(id))).not.toContain(secret);
    const api = await (await fetch(`${s.info.localUrl}/api/deliveries/${id}`)).text();
    expect(api).not.toContain(secret);
    expect(api).toContain("***");
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.join("")).not.toContain(secret);
  });
});

describe("bulk replay filter body", () => {
  it("refuses an array, null or a misspelt field (400) instead of replaying every delivery", async () => {
    const s = await start({}, (app) => app.addWebhook("hook", { retry: { maxAttempts: 1 } }, () => {
      throw new Error("nope");
    }));
    for (let i = 0; i < 2; i++) await s.post("/webhooks/hook", comment());
    await s.app.queue!.drain();
    const replay = (body: string) => fetch(`${s.info.localUrl}/api/deliveries/replay`, { method: "POST", body });
    for (const body of ["[1]", "null", "\"dead\"", "7"]) {
      const res = await replay(body);
      expect(res.status, body).toBe(400);
      expect((await res.json()).error, body).toMatch(/must be a JSON object/);
    }
    const typo = await replay(JSON.stringify({ stauts: "dead" }));
    expect(typo.status).toBe(400);
    expect((await typo.json()).error).toMatch(/Unknown filter field "stauts"/);
    expect((await s.app.store!.countsByStatus()).dead).toBe(2);
    const ok = await replay(JSON.stringify({ status: ["dead"], endpoint: "hook" }));
    expect(await ok.json()).toEqual({ replayed: 2, notServed: {} });
  });
});
