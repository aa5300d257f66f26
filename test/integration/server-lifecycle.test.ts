import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pino } from "pino";
import { afterEach, describe, expect, it } from "vitest";
import { discussionRef } from "../../src/hub/index.js";
import { fixture } from "../../src/payload/index.js";
import { startFakeHub } from "../helpers/fake-hub.js";
import { startServer } from "../helpers/server.js";
import { WebhooksServer } from "../../src/server/webhooks-server.js";

let cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const fn of cleanup.reverse()) await fn();
  cleanup = [];
});

describe("lifecycle", () => {
  it("close() finishes an in-flight request before stopping, then refuses connections", async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let entered!: () => void;
    const inHandler = new Promise<void>((r) => (entered = r));
    const s = await startServer({}, (app) =>
      app.addWebhook("slow", async () => {
        entered();
        await gate;
        return { finished: true };
      }),
    );
    const pending = s.post("/webhooks/slow", fixture("repo.create"));
    await inHandler;
    const closing = s.close();
    release();
    const res = await pending;
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ finished: true });
    await closing;
    await expect(fetch(s.info.localUrl + "/healthz")).rejects.toThrow();
  });

  it("aborts handlers still running after the grace period", async () => {
    let signal!: AbortSignal;
    let entered!: () => void;
    const inHandler = new Promise<void>((r) => (entered = r));
    const s = await startServer({ shutdownGraceMs: 20 }, (app) =>
      app.addWebhook("stuck", { mode: "accepted" }, (_p, ctx) => {
        signal = ctx.signal;
        entered();
        return new Promise((_resolve, reject) => ctx.signal.addEventListener("abort", () => reject(ctx.signal.reason)));
      }),
    );
    expect((await s.post("/webhooks/stuck", fixture("repo.create"))).status).toBe(202);
    await inHandler;
    await s.close();
    expect(signal.aborted).toBe(true);
  });
});

describe("ctx.hub (local stand-in for the Hub)", () => {
  it("lets a discussion bot answer a comment with HF_TOKEN from the environment", async () => {
    const hub = await startFakeHub();
    cleanup.push(() => hub.close());
    const s = await startServer({ env: { HF_TOKEN: "hf_bot", HF_ENDPOINT: hub.url } }, (app) =>
      app.addWebhook("bot").on("discussion.comment.create", async (payload, ctx) => {
        await ctx.hub!.comment(discussionRef(payload), `You said: ${payload.comment.content}`);
        return "replied";
      }),
    );
    cleanup.push(() => s.close());
    const res = await s.post("/webhooks/bot", fixture("discussion.comment.create"));
    expect(await res.json()).toBe("replied");
    // The launch's Hub webhook check (GET /api/settings/webhooks) runs in the background: it may land after the comment.
    const call = hub.requests.filter((r) => r.method === "POST").at(-1)!;
    expect(call.method).toBe("POST");
    expect(call.path).toBe("/api/spaces/some-user/some-space/discussions/4/comment");
    expect(call.headers.authorization).toBe("Bearer hf_bot");
    expect(call.body).toEqual({ comment: "You said: This adds an env key" });
  });
});

describe("a delivery log that cannot be opened", () => {
  it("answers 503 STORE_UNAVAILABLE (the Hub retries), lets close() resolve, and opens the log on a later request", async () => {
    const dir = mkdtempSync(join(tmpdir(), "hubhooks-unopenable-"));
    cleanup.push(async () => rmSync(dir, { recursive: true, force: true }));
    const blocker = join(dir, "not-a-dir");
    writeFileSync(blocker, "a file where the database directory should be");
    const app = new WebhooksServer({
      database: join(blocker, "hubhooks.db"),
      logger: pino({ level: "silent" }),
      print: () => {},
      env: {},
      handleSignals: false,
    });
    let calls = 0;
    app.addWebhook("hook", () => ({ n: ++calls }));
    const post = () =>
      app.fetch(new Request("http://127.0.0.1/webhooks/hook", { method: "POST", body: JSON.stringify(fixture("repo.create")) }));

    const refused = await post();
    expect(refused.status).toBe(503);
    expect((await refused.json()).error).toMatch(/^The delivery log could not be opened \(.+\); the delivery was not recorded\. Retry later\.$/);
    expect(calls).toBe(0);

    rmSync(blocker);
    const accepted = await post();
    expect(accepted.status).toBe(200);
    expect(await accepted.json()).toEqual({ n: 1 });
    await expect(app.close()).resolves.toBeUndefined();
  });

  it("close() resolves even when the log never opened", async () => {
    const app = new WebhooksServer({ database: "/dev/null/x/hubhooks.db", logger: pino({ level: "silent" }), print: () => {}, env: {}, handleSignals: false });
    app.addWebhook("hook", () => 1);
    const res = await app.fetch(new Request("http://127.0.0.1/webhooks/hook", { method: "POST", body: JSON.stringify(fixture("repo.create")) }));
    expect(res.status).toBe(503);
    await expect(app.close()).resolves.toBeUndefined();
  });
});

describe("signals", () => {
  it("a launch that fails leaves no signal handler behind", async () => {
    const { WebhooksServer } = await import("../../src/server/webhooks-server.js");
    const { silentLogger } = await import("../helpers/server.js");
    const first = await startServer();
    cleanup.push(() => first.close());
    const before = process.listenerCount("SIGINT");
    const app = new WebhooksServer({ print: () => {}, logger: silentLogger, database: ":memory:", env: {} });
    await expect(app.launch({ port: first.info.port, host: "127.0.0.1" })).rejects.toThrow(/already in use/);
    expect(process.listenerCount("SIGINT")).toBe(before);
    await app.close();
  });
});
