import { ManualClock } from "../../src/internal/clock.js";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { fixture } from "../../src/payload/index.js";
import { startServer } from "../helpers/server.js";
import { closeAfterEach } from "../helpers/close-after-each.js";

type Started = Awaited<ReturnType<typeof startServer>>;
const track = closeAfterEach();
const start = async (...args: Parameters<typeof startServer>) => track(await startServer(...args));

const comment = () => fixture("discussion.comment.create");

describe("routes (real listening server)", () => {
  it("serves /webhooks/<name> for explicit and implicit names, nested names, and strips slashes", async () => {
    const s = await start({}, (app) => {
      app.addWebhook("say_hello", () => ({ message: "hello" }));
      app.addWebhook(async function goodbye() {
        return "bye";
      });
      app.addWebhook("/team/nested/", () => null);
    });
    expect(s.app.routes).toEqual(["/webhooks/say_hello", "/webhooks/goodbye", "/webhooks/team/nested"]);
    let res = await s.post("/webhooks/say_hello", comment());
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ message: "hello" });
    res = await s.post("/webhooks/goodbye", comment());
    expect(await res.text()).toBe('"bye"');
    res = await s.post("/webhooks/team/nested", comment());
    expect(res.status).toBe(200);
    expect(await res.text()).toBe("null");
  });

  it("rejects a duplicate route with the Python message", async () => {
    const s = await start({}, (app) => app.addWebhook("dup", () => null));
    expect(() => s.app.addWebhook("/dup/", () => null)).toThrow("Webhook /webhooks/dup already exists.");
  });

  it("does not double a /webhooks/ prefix given by the user", async () => {
    const s = await start({}, (app) => app.addWebhook("/webhooks/x", () => "x"));
    expect(s.app.routes).toEqual(["/webhooks/x"]);
    expect((await s.post("/webhooks/x", comment())).status).toBe(200);
    expect((await s.post("/webhooks/webhooks/x", comment())).status).toBe(404);
  });

  it("serves endpoints added after launch and prints them", async () => {
    const s = await start();
    s.app.addWebhook("late", () => ({ late: true }));
    const res = await s.post("/webhooks/late", comment());
    expect(await res.json()).toEqual({ late: true });
    expect(s.lines.at(-1)).toBe(`Webhook added: POST ${s.info.localUrl}/webhooks/late`);
  });

  it("answers 404 for unknown endpoints and 405 for other methods, as JSON", async () => {
    const s = await start({}, (app) => app.addWebhook("a", () => null));
    let res = await s.post("/webhooks/nope", comment());
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ error: "No webhook endpoint at /webhooks/nope." });
    res = await fetch(s.info.localUrl + "/webhooks/a");
    expect(res.status).toBe(405);
    expect(res.headers.get("allow")).toBe("POST");
    expect(await res.json()).toEqual({ error: "Method GET not allowed: webhooks accept POST." });
  });

  it("serves a name with characters clients percent-encode (café, ü, a{b}) at the URL it printed", async () => {
    const s = await start({}, (app) => {
      app.addWebhook("café", () => "cafe");
      app.addWebhook("über/a{b}", () => "nested");
    });
    expect(s.lines).toContain(`  - POST ${s.info.localUrl}/webhooks/café`);
    // fetch encodes the path as any HTTP client does: /webhooks/caf%C3%A9
    const cafe = await s.post("/webhooks/café", comment());
    expect(cafe.status).toBe(200);
    expect(await cafe.json()).toBe("cafe");
    const nested = await s.post("/webhooks/%C3%BCber/a%7Bb%7D", comment());
    expect(await nested.json()).toBe("nested");
    const malformed = await s.post("/webhooks/%E0%A4%A", comment());
    expect(malformed.status).toBe(404);
    expect(await malformed.json()).toEqual({ error: "No webhook endpoint at /webhooks/%E0%A4%A." });
    const slash = await s.post("/webhooks/caf%C3%A9%2Fx", comment());
    expect(slash.status).toBe(404);
  });

  it("answers /healthz", async () => {
    const s = await start();
    const res = await fetch(s.info.localUrl + "/healthz");
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: "ok" });
  });
});

describe("secret", () => {
  const setup = (app: Started["app"]) => app.addWebhook("hook", () => ({ ok: true }));

  it("401 without the header, 403 when wrong, 200 when right (header is case-insensitive)", async () => {
    const s = await start({ webhookSecret: "my_secret_key" }, setup);
    let res = await s.post("/webhooks/hook", comment());
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ error: "x-webhook-secret header not set." });
    res = await s.post("/webhooks/hook", comment(), { "x-webhook-secret": "wrong" });
    expect(res.status).toBe(403);
    expect(await res.json()).toEqual({ error: "Invalid webhook secret." });
    res = await s.post("/webhooks/hook", comment(), { "X-Webhook-Secret": "my_secret_key" });
    expect(res.status).toBe(200);
  });

  it("accepts the Hub-documented ?secret= query parameter", async () => {
    const s = await start({ webhookSecret: "q" }, setup);
    expect((await s.post("/webhooks/hook?secret=q", comment())).status).toBe(200);
    expect((await s.post("/webhooks/hook?secret=bad", comment())).status).toBe(403);
  });

  it("accepts every configured secret (rotation)", async () => {
    const s = await start({ webhookSecret: ["new", "old"] }, setup);
    expect((await s.post("/webhooks/hook", comment(), { "x-webhook-secret": "old" })).status).toBe(200);
    expect((await s.post("/webhooks/hook", comment(), { "x-webhook-secret": "new" })).status).toBe(200);
    expect((await s.post("/webhooks/hook", comment(), { "x-webhook-secret": "older" })).status).toBe(403);
  });

  it("falls back to WEBHOOK_SECRET", async () => {
    const s = await start({ env: { WEBHOOK_SECRET: "from-env" } }, setup);
    expect((await s.post("/webhooks/hook", comment(), { "x-webhook-secret": "from-env" })).status).toBe(200);
    expect(s.lines[0]).toBe("Webhook secret is correctly defined.");
  });

  it("checks the secret before the body: an unauthenticated invalid body gets 401/403, never 400/413/422", async () => {
    const s = await start({ webhookSecret: "s", bodyLimit: 10 }, setup);
    expect((await s.post("/webhooks/hook", "{not json")).status).toBe(401);
    expect((await s.post("/webhooks/hook", { nope: 1 }, { "x-webhook-secret": "x" })).status).toBe(403);
    const res = await s.post("/webhooks/hook", "x".repeat(100), { "x-webhook-secret": "x" });
    expect(res.status).toBe(403);
    expect(await res.text()).not.toContain("issues");
  });

  it("never echoes the secret in an error response", async () => {
    const s = await start({ webhookSecret: "super-secret-value" }, (app) =>
      app.addWebhook("boom", () => {
        throw new Error("failed with super-secret-value inside");
      }),
    );
    const res = await s.post("/webhooks/boom", comment(), { "x-webhook-secret": "super-secret-value" });
    expect(res.status).toBe(202);
    expect((await res.json()).error).toBe("failed with *** inside");
    const inline = await start({ webhookSecret: "super-secret-value", database: false }, (app) =>
      app.addWebhook("boom", () => {
        throw new Error("failed with super-secret-value inside");
      }),
    );
    const answered = await inline.post("/webhooks/boom", comment(), { "x-webhook-secret": "super-secret-value" });
    expect(answered.status).toBe(500);
    expect(await answered.json()).toEqual({ error: "failed with *** inside" });
  });
});

describe("bad input", () => {
  const setup = (app: Started["app"]) => app.addWebhook("hook", () => ({ ok: true }));

  it("400 for a body that is not JSON", async () => {
    const s = await start({}, setup);
    const res = await s.post("/webhooks/hook", "{nope");
    expect(res.status).toBe(400);
    expect((await res.json()).error).toMatch(/^Request body is not valid JSON: /);
    expect((await s.post("/webhooks/hook", "")).status).toBe(400);
  });

  it("a structurally invalid payload: quarantined as invalid and answered 202 with its problems; inline: 422", async () => {
    const s = await start({}, setup);
    const res = await s.post("/webhooks/hook", { event: { scope: 1 }, repo: "x" });
    expect(res.status).toBe(202);
    const body = await res.json();
    expect(body.status).toBe("invalid");
    expect(body.error).toMatch(/^Invalid webhook payload: /);
    expect(body.issues.length).toBeGreaterThan(0);
    expect(body.issues.length).toBeLessThanOrEqual(5);
    expect(body.issues.join("\n")).toMatch(/event\.scope/);
    const stored = await s.app.store!.get(body.deliveryId);
    expect(stored).toMatchObject({ status: "invalid", attempts: 0, nextAttemptAt: null });
    expect(stored!.error).toMatch(/event\.scope/);
    const inline = await start({ database: false }, setup);
    const refused = await inline.post("/webhooks/hook", { event: { scope: 1 }, repo: "x" });
    expect(refused.status).toBe(422);
    expect((await refused.json()).issues.join("\n")).toMatch(/event\.scope/);
  });

  it("an empty Webhook-Id is no id: two different deliveries with it are two deliveries", async () => {
    let runs = 0;
    const s = await start({}, (app) => app.addWebhook("hook", () => ++runs));
    const a = await s.post("/webhooks/hook", comment(), { "webhook-id": "" });
    const b = await s.post("/webhooks/hook", comment(), { "webhook-id": "" });
    expect([await a.json(), await b.json()]).toEqual([1, 2]);
    expect(a.headers.get("x-hubhooks-delivery")).not.toBe(b.headers.get("x-hubhooks-delivery"));
  });

  it("413 over the body limit (declared or streamed)", async () => {
    const s = await start({ bodyLimit: 64 }, setup);
    const res = await s.post("/webhooks/hook", { pad: "x".repeat(100) });
    expect(res.status).toBe(413);
    expect(await res.json()).toEqual({ error: "Request body is larger than the limit of 64 bytes." });
    const stream = new ReadableStream({
      start(controller) {
        for (let i = 0; i < 10; i++) controller.enqueue(new TextEncoder().encode("x".repeat(20)));
        controller.close();
      },
    });
    const chunked = await fetch(s.info.localUrl + "/webhooks/hook", {
      method: "POST",
      body: stream,
      duplex: "half",
    } as RequestInit);
    expect(chunked.status).toBe(413);
  });

  it("a throwing handler: recorded, so 202 with what happens next (the queue retries); inline: 500 as in Python", async () => {
    const setup = (app: Started["app"]) => {
      app.addWebhook("boom", { retry: { maxAttempts: 2, jitter: 0, initialDelayMs: 1_000 } }, () => {
        throw new Error("kaput");
      });
      app.addWebhook("fine", () => "fine");
    };
    const clock = new ManualClock(5_000);
    const s = await start({ clock }, setup);
    const res = await s.post("/webhooks/boom", comment());
    expect(res.status).toBe(202);
    const id = res.headers.get("x-hubhooks-delivery");
    expect(await res.json()).toEqual({ deliveryId: id, status: "retrying", error: "kaput", nextAttemptAt: 6_000 });
    expect((await s.post("/webhooks/fine", comment())).status).toBe(200);
    clock.advance(1_000);
    await s.app.queue!.drain();
    expect(await s.app.store!.get(id!)).toMatchObject({ status: "dead", attempts: 2 }); // our queue retried, once
    // Inline (no log) there is no retry to configure: the Hub's own retry is the only one.
    const inline = await start({ database: false }, (app) => {
      app.addWebhook("boom", () => {
        throw new Error("kaput");
      });
      app.addWebhook("fine", () => "fine");
    });
    const thrown = await inline.post("/webhooks/boom", comment());
    expect(thrown.status).toBe(500);
    expect(await thrown.json()).toEqual({ error: "kaput" });
    expect((await inline.post("/webhooks/fine", comment())).status).toBe(200);
  });
});

describe("handler results and context", () => {
  it("passes a returned Response through unchanged", async () => {
    const s = await start({}, (app) =>
      app.addWebhook("task", () => new Response("Task scheduled.", { status: 202 })),
    );
    const res = await s.post("/webhooks/task", comment());
    expect(res.status).toBe(202);
    expect(await res.text()).toBe("Task scheduled.");
  });

  it("gives the handler the raw body, headers, request, signal, logger and delivery id", async () => {
    let seen: Record<string, unknown> = {};
    const s = await start({ webhookSecret: "s" }, (app) =>
      app.addWebhook("ctx", async (payload, ctx) => {
        seen = {
          raw: new TextDecoder().decode(ctx.rawBody),
          webhookId: ctx.webhookId,
          header: ctx.headers.get("x-custom"),
          secretHeader: ctx.headers.get("x-webhook-secret"),
          method: ctx.request.method,
          body: await ctx.request.text(),
          aborted: ctx.signal.aborted,
          deliveryId: ctx.deliveryId,
          attempt: ctx.attempt,
          event: ctx.event.key,
          repo: payload.repo.name,
          hasLogger: typeof ctx.logger.info === "function",
        };
        return null;
      }),
    );
    const text = JSON.stringify(comment());
    await s.post("/webhooks/ctx", text, { "x-webhook-secret": "s", "x-custom": "yes", "webhook-id": "wh-1" });
    expect(seen).toMatchObject({
      raw: text,
      body: text,
      webhookId: "wh-1",
      header: "yes",
      secretHeader: null,
      method: "POST",
      aborted: false,
      attempt: 1,
      event: "discussion.comment.create",
      repo: "some-user/some-space",
      hasLogger: true,
    });
    expect(seen.deliveryId).toMatch(/^dlv_/);
  });

  it("routes events with narrowing and repo filters; unknown narrower scopes reach the broader scope as update", async () => {
    const calls: string[] = [];
    const s = await start({}, (app) => {
      app
        .addWebhook("bot")
        .on("discussion.comment.create", (p) => {
          calls.push(`comment:${p.comment.content}`);
          return { replied: p.comment.content };
        })
        .on("repo.content.update", { repoType: "model", repo: "some-user/*" }, (p) => {
          calls.push(`push:${p.repo.headSha}`);
        })
        .on("repo.config.update", (p) => {
          calls.push(`config:${JSON.stringify(p.updatedConfig)}`);
        });
    });
    const res = await s.post("/webhooks/bot", comment());
    expect(await res.json()).toEqual({ replied: "This adds an env key" });
    await s.post("/webhooks/bot", fixture("repo.content.update"));
    await s.post("/webhooks/bot", fixture("repo.content.update", { repo: { name: "other/repo" } }));
    const dois = { ...fixture("repo.config.update"), event: { action: "create", scope: "repo.config.dois" } };
    await s.post("/webhooks/bot", dois);
    expect(calls).toEqual([
      "comment:This adds an env key",
      "push:575db8b7a51b6f85eb06eee540738584589f131c",
      'config:{"private":false}',
    ]);
  });

  it("validates with a handler's own Standard Schema (zod)", async () => {
    const Schema = z.object({ event: z.object({ scope: z.literal("repo.content") }) });
    const s = await start({}, (app) =>
      app.addWebhook("typed", { schema: Schema }, (p) => ({ scope: p.event.scope })),
    );
    expect(await (await s.post("/webhooks/typed", fixture("repo.content.update"))).json()).toEqual({
      scope: "repo.content",
    });
    const res = await s.post("/webhooks/typed", comment());
    expect(res.status).toBe(202);
    expect((await res.json()).issues[0]).toMatch(/^event\.scope: /);
  });

  it("parses every documented field the Python server drops", async () => {
    const got: unknown[] = [];
    const s = await start({}, (app) =>
      app.addWebhook("read", (p) => {
        got.push(p);
        return null;
      }),
    );
    await s.post("/webhooks/read", fixture("repo.content.update"));
    await s.post("/webhooks/read", fixture("repo.config.update"));
    const hidden = fixture("discussion.comment.update", { comment: { hidden: true, content: undefined } });
    await s.post("/webhooks/read", hidden);
    const bucket = { ...fixture("repo.content.update"), repo: { ...fixture("repo.content.update").repo, type: "bucket" }, future: 1 };
    await s.post("/webhooks/read", { ...bucket, webhook: { id: "x", version: 4 } });
    const [content, config, comment, b] = got as any[];
    expect(content.repo.headSha).toBe("575db8b7a51b6f85eb06eee540738584589f131c");
    expect(content.updatedRefs[1].oldSha).toBeNull();
    expect(config.updatedConfig).toEqual({ private: false });
    expect(comment.comment.hidden).toBe(true);
    expect("content" in comment.comment).toBe(false);
    expect(b.repo.type).toBe("bucket");
    expect(b.future).toBe(1);
    expect(b.webhook.version).toBe(4);
  });
});
