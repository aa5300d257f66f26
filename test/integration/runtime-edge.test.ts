import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fixture } from "../../src/payload/fixtures.js";
import { heldNotifier } from "../helpers/held-notifier.js";
import { bundleForRuntime } from "../helpers/runtime-bundle.js";
import { optionalPackage } from "../helpers/optional-package.js";

// examples/mount/next's Edge route (`export const runtime = "edge"`, database: false) bundled as Next does for an Edge
// function (every Node builtin replaced by a module that throws when used) and run in Vercel's Edge runtime (the
// edge-runtime package: web APIs only, and a `process` that has `env` and nothing else, as Next gives Edge routes).
// A secret check that reached node:crypto, or a logger that reached process.stderr, would fail here.
const edge = await optionalPackage<typeof import("edge-runtime")>("edge-runtime", "the Edge runtime tests");
const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const SECRET = "edge-secret";
const body = JSON.stringify(fixture("repo.content.update"));

describe.skipIf(!edge)("Vercel's Edge runtime (edge-runtime package, the Next.js Edge route bundled with esbuild)", () => {
  let server: { url: string; close(): Promise<void> };
  let notifier: Awaited<ReturnType<typeof heldNotifier>>;
  const logs: string[] = [];
  const post = (path: string, headers: Record<string, string>, text = body) =>
    fetch(new URL(`api/edge-hooks${path}`, server.url), { method: "POST", headers: { "content-type": "application/json", ...headers }, body: text });

  beforeAll(async () => {
    notifier = await heldNotifier(); // holds its answer until the test lets it go
    const outdir = mkdtempSync(join(tmpdir(), "hubhooks-edge-"));
    const [bundle] = await bundleForRuntime({
      entry: "test/helpers/edge-route-host.js",
      outdir,
      format: "iife",
      builtins: "stub",
      aliases: {
        "edge-route": join(ROOT, "examples/mount/next/app/api/edge-hooks/[[...path]]/route.ts"),
        "next/server": join(ROOT, "test/helpers/next-server-edge-stand-in.js"),
      },
    });
    const env = { WEBHOOK_SECRET: SECRET, NOTIFY_URL: notifier.url, LOG_LEVEL: "info" };
    const runtime = new edge!.EdgeRuntime({
      initialCode: readFileSync(bundle!, "utf8"),
      extend: (context) =>
        Object.assign(context, {
          process: { env },
          console: { ...context.console, log: (line: unknown) => logs.push(String(line)), error: (line: unknown) => logs.push(String(line)) },
        }),
    });
    server = await edge!.runServer({ runtime, port: 0, host: "127.0.0.1" });
  }, 30_000);
  afterAll(async () => {
    await server?.close();
    await notifier?.close();
  });

  it("a delivery with the secret runs the handler (200); a wrong secret 403 (Web Crypto), a missing one 401, bad JSON 400", async () => {
    const ok = await post("/webhooks/train", { "x-webhook-secret": SECRET });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ repo: "some-user/some-repo", url: new URL("api/edge-hooks/webhooks/train", server.url).href });
    const wrong = await post("/webhooks/train", { "x-webhook-secret": "nope" });
    expect(wrong.status).toBe(403);
    expect(await wrong.json()).toEqual({ error: "Invalid webhook secret." });
    expect((await post("/webhooks/train", {})).status).toBe(401);
    const bad = await post("/webhooks/train", { "x-webhook-secret": SECRET }, "{not json");
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: string }).error).toMatch(/^Request body is not valid JSON/);
    expect(logs).toContain("Webhook secret is correctly defined."); // constructed without process.stderr
  });

  it("an accepted endpoint answers 202 before its work is done and finishes it in after()", async () => {
    const answer = await post("/webhooks/notify", { "x-webhook-secret": SECRET });
    expect(answer.status).toBe(202);
    expect(await answer.json()).toMatchObject({ status: "accepted" });
    const done = () => logs.filter((line) => line.includes('"msg":"notified"'));
    await expect.poll(() => notifier.notified).toEqual(['{"repo":"some-user/some-repo"}']); // the handler runs, its call held
    expect(done()).toEqual([]);
    notifier.release();
    await expect.poll(done).toHaveLength(1);
    expect(JSON.parse(done()[0]!)).toMatchObject({ level: 30, endpoint: "notify", status: 204, msg: "notified" });
    expect(logs.filter((line) => line.includes('"level":50'))).toEqual([]); // no handler failed, no unexpected error
  });

  it("serves /healthz and the landing page (its CSP hashes come from Web Crypto)", async () => {
    expect(await (await fetch(new URL("api/edge-hooks/healthz", server.url))).json()).toEqual({ status: "ok" });
    const page = await fetch(new URL("api/edge-hooks/", server.url));
    expect(page.status).toBe(200);
    expect(page.headers.get("content-security-policy")).toMatch(/style-src 'sha256-[A-Za-z0-9+/]+=*' 'sha256-/);
    expect(await page.text()).toContain("POST ");
  });
});
