import { afterEach, describe, expect, it } from "vitest";
import { discussionRef } from "../../src/hub/index.js";
import { fixture } from "../../src/payload/index.js";
import { startFakeHub } from "../helpers/fake-hub.js";
import { startServer } from "../helpers/server.js";

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
    const call = hub.requests.at(-1)!;
    expect(call.method).toBe("POST");
    expect(call.path).toBe("/api/spaces/some-user/some-space/discussions/4/comment");
    expect(call.headers.authorization).toBe("Bearer hf_bot");
    expect(call.body).toEqual({ comment: "You said: This adds an env key" });
  });
});
