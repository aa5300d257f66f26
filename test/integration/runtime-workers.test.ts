import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Miniflare as MiniflareType, MiniflareOptions } from "miniflare";
import { fixture } from "../../src/payload/fixtures.js";
import { bundleForRuntime } from "../helpers/runtime-bundle.js";
import { optionalPackage } from "../helpers/optional-package.js";

// examples/workers/worker.ts bundled with esbuild and run by workerd (the Workers runtime, shipped in the miniflare
// package) with nodejs_compat; `cf: false` so nothing is fetched. The notify endpoint's outbound fetch goes to a
// stand-in (miniflare's outboundService) that holds its answer until the test lets it go.
// A call to discord.com goes to a stand-in speaking Discord's webhook protocol (204, no body) instead.
const miniflare = await optionalPackage<typeof import("miniflare")>("miniflare", "the Cloudflare Workers tests");
const SECRET = "worker-secret";
const body = JSON.stringify(fixture("repo.content.update"));
const post = (mf: MiniflareType, path: string, headers: Record<string, string>, text = body) =>
  mf.dispatchFetch(`http://localhost${path}`, { method: "POST", headers: { "content-type": "application/json", ...headers }, body: text });

describe.skipIf(!miniflare)("Cloudflare Workers (workerd through miniflare, the example Worker bundled by esbuild)", () => {
  let base: Omit<MiniflareOptions, "bindings">;
  let mf: MiniflareType;
  let release!: () => void;
  const held = new Promise<void>((resolve) => (release = resolve));
  const notified: string[] = [];
  const posted: Array<{ url: string; json: Record<string, unknown> }> = [];
  const DISCORD = "https://discord.com/api/webhooks/1234561234/worker-token";

  beforeAll(async () => {
    const outdir = mkdtempSync(join(tmpdir(), "hubhooks-worker-"));
    const outputs = await bundleForRuntime({ entry: "examples/workers/worker.ts", outdir, format: "esm", builtins: "external" });
    const entry = outputs.find((o) => o.endsWith("/worker.js"))!;
    base = {
      modulesRoot: outdir,
      // Every chunk listed: the entry first; lazy chunks load on their first import(), as deployed.
      modules: [entry, ...outputs.filter((o) => o !== entry && o.endsWith(".js"))].map((path) => ({ type: "ESModule" as const, path })),
      compatibilityDate: "2025-09-01",
      compatibilityFlags: ["nodejs_compat"],
      kvNamespaces: ["RESULTS"],
      cf: false,
      outboundService: async (request: Request) => {
        if (request.url.startsWith("https://discord.com/api/webhooks/")) {
          posted.push({ url: request.url, json: (await request.json()) as Record<string, unknown> });
          return new Response(null, { status: 204 });
        }
        notified.push(`${request.url} ${await request.text()}`);
        await held;
        return new Response(null, { status: 204 });
      },
    };
    mf = new miniflare!.Miniflare({
      ...base, bindings: { WEBHOOK_SECRET: SECRET, NOTIFY_URL: "https://notify.example/hook", DISCORD_WEBHOOK_URL: DISCORD, LOG_LEVEL: "silent" },
    });
    await mf.ready;
  }, 60_000);
  afterAll(async () => {
    release?.();
    await mf?.dispose();
  });

  it("a delivery with the secret runs the handler (200 with its value); a wrong secret 403, a missing one 401, bad JSON 400", async () => {
    const ok = await post(mf, "/webhooks/train", { "x-webhook-secret": SECRET });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ repo: "some-user/some-repo", ranIn: "worker" });
    const wrong = await post(mf, "/webhooks/train", { "x-webhook-secret": "nope" });
    expect(wrong.status).toBe(403);
    expect(await wrong.json()).toEqual({ error: "Invalid webhook secret." });
    const missing = await post(mf, "/webhooks/train", {});
    expect(missing.status).toBe(401);
    const bad = await post(mf, "/webhooks/train", { "x-webhook-secret": SECRET }, "{not json");
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: string }).error).toMatch(/^Request body is not valid JSON/);
    expect((await mf.dispatchFetch("http://localhost/healthz")).status).toBe(200);
  });

  it("serves the landing page; /metrics answers why it cannot (prom-client needs Node's modules), not a bare 500", async () => {
    const page = await mf.dispatchFetch("http://localhost/");
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("/webhooks/train");
    const metrics = await mf.dispatchFetch("http://localhost/metrics");
    expect(metrics.status).toBe(503);
    expect(((await metrics.json()) as { error: string }).error).toMatch(/^The metrics could not be set up \(.+\)\.$/);
  });

  it("an accepted endpoint answers 202 at once and finishes its work after the answer (ctx.waitUntil)", async () => {
    const answer = await post(mf, "/webhooks/notify", { "x-webhook-secret": SECRET });
    expect(answer.status).toBe(202);
    const { deliveryId, status } = (await answer.json()) as { deliveryId: string; status: string };
    expect(status).toBe("accepted");
    const results = (await mf.getKVNamespace("RESULTS")) as unknown as { get(key: string): Promise<string | null> };
    // The handler is still waiting for its outbound call: answered before the work was done.
    await expect.poll(() => notified).toEqual(['https://notify.example/hook {"repo":"some-user/some-repo"}']);
    expect(await results.get(deliveryId)).toBeNull();
    release();
    await expect.poll(() => results.get(deliveryId), { timeout: 10_000 }).toBe("some-user/some-repo notified: 204");
  });

  it("forwards to Discord from the Worker (hubhooks/forward): one embed, mentions off, the URL never in the answer", async () => {
    const answer = await post(mf, "/webhooks/discord", { "x-webhook-secret": SECRET });
    const text = await answer.text();
    expect(answer.status).toBe(200);
    expect(JSON.parse(text)).toEqual({ forwarded: { "discord:…/1234": "sent (204)" } });
    expect(text).not.toContain("worker-token");
    expect(posted).toHaveLength(1);
    expect(posted[0]!.url).toBe(DISCORD);
    expect(posted[0]!.json.allowed_mentions).toEqual({ parse: [] });
    expect(posted[0]!.json.embeds).toEqual([expect.objectContaining({ title: expect.stringContaining("some-user/some-repo") })]);
  });

  it("needs no nodejs_compat for deliveries: the web core imports no Node module", async () => {
    await mf.setOptions({ ...base, compatibilityFlags: [], bindings: { WEBHOOK_SECRET: SECRET, NOTIFY_URL: "https://notify.example/hook", LOG_LEVEL: "silent" } });
    expect((await post(mf, "/webhooks/train", { "x-webhook-secret": "nope" })).status).toBe(403);
    const ok = await post(mf, "/webhooks/train", { "x-webhook-secret": SECRET });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ repo: "some-user/some-repo", ranIn: "worker" });
  });

  it("refuses a delivery log in one line (a SQLite file needs a disk)", async () => {
    await mf.setOptions({ ...base, bindings: { WEBHOOK_SECRET: SECRET, NOTIFY_URL: "https://notify.example/hook", LOG_LEVEL: "silent", HUBHOOKS_DATABASE: "./hooks.db" } });
    const refused = await post(mf, "/webhooks/train", { "x-webhook-secret": SECRET });
    expect(refused.status).toBe(500);
    expect(await refused.json()).toEqual({
      error:
        'A Worker keeps no delivery log: "./hooks.db" (HUBHOOKS_DATABASE) cannot be opened there (a SQLite file needs a disk; the Postgres log is not supported in Workers). Leave it unset: handlers run in the request.',
    });
  });
});
