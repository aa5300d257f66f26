import { readFileSync } from "node:fs";
import { afterEach, describe, expect, it } from "vitest";
import { startServer } from "../helpers/server.js";

const payload = readFileSync(new URL("../fixtures/hub/repo.content.update.json", import.meta.url), "utf8");
const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (closers.length) await closers.pop()!();
});

describe("database: false runs attempts through the queue's runner (real server)", () => {
  it("answers 504 when the handler runs past timeoutMs, and aborts ctx.signal with the timeout", async () => {
    let reason: unknown;
    let finished = false;
    const s = await startServer({ database: false }, (app) =>
      app.addWebhook("slow", { timeoutMs: 50 }, async (_payload, ctx) => {
        // Waits for its signal only: the outcome does not depend on how fast the machine is.
        await new Promise<void>((resolve) => ctx.signal.addEventListener("abort", () => resolve(), { once: true }));
        reason = ctx.signal.reason;
        finished = true;
        return "too late";
      }),
    );
    closers.push(s.close);
    const res = await s.post("/webhooks/slow", payload);
    expect(res.status).toBe(504);
    expect(await res.json()).toEqual({ error: 'Handler "slow" timed out after 50 ms.' });
    await expect.poll(() => finished).toBe(true);
    expect((reason as { code?: string }).code).toBe("HANDLER_TIMEOUT");
  });

  it("runs the handler and every matching .on() route as steps, like the queue", async () => {
    const seen: string[] = [];
    const s = await startServer({ database: false }, (app) => {
      const hook = app.addWebhook("both", (_p, ctx) => void seen.push(ctx.step));
      hook.on("repo.content", (_p, ctx) => void seen.push(ctx.step));
    });
    closers.push(s.close);
    const res = await s.post("/webhooks/both", payload);
    expect(res.status).toBe(200);
    expect(seen).toEqual(["handler", "on:0:repo.content"]);
  });

  it("hands the handler no credential header (one list for what is never stored or shown, proxy-authorization included)", async () => {
    let seen: Record<string, string> = {};
    const s = await startServer({ database: false, webhookSecret: "s3cr3t" }, (app) =>
      app.addWebhook("creds", (_p, ctx) => void (seen = Object.fromEntries(ctx.headers.entries()))),
    );
    closers.push(s.close);
    const res = await s.post("/webhooks/creds", payload, {
      "x-webhook-secret": "s3cr3t", authorization: "Bearer a", "proxy-authorization": "Basic b", cookie: "c=d", "x-other": "kept",
    });
    expect(res.status).toBe(200);
    expect(seen["x-other"]).toBe("kept");
    for (const name of ["x-webhook-secret", "authorization", "proxy-authorization", "cookie"]) expect(seen).not.toHaveProperty(name);
  });
});
