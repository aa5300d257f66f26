import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fixture } from "../../src/payload/fixtures.js";
import { heldNotifier } from "../helpers/held-notifier.js";
import { buildNextExample, nextBin } from "../helpers/next-example-build.js";

// A real Next.js app: examples/mount/next built by `next build` (Turbopack, SWC from the registry's optional packages,
// telemetry off) and served by `next start`. Its App Router routes are the README's: /api/hooks on the nodejs runtime
// (SQLite delivery log, after()), /api/edge-hooks on Next's Edge runtime (database: false, an accepted endpoint whose
// work runs in after()). The build is kept in .cache/next-example and redone only when its inputs change.
const next = nextBin();
if (!next) console.warn("[hubhooks] skipping the Next.js tests: the next package cannot be loaded; npm ci installs it.");
const SECRET = "next-secret";
const TOKEN = "next-token";
const body = JSON.stringify(fixture("repo.content.update"));

describe.skipIf(!next)("a real Next.js app (next build + next start)", () => {
  let base: string;
  let child: ChildProcess;
  let notifier: Awaited<ReturnType<typeof heldNotifier>>;
  let out = "";
  const post = (path: string, headers: Record<string, string>, text = body) =>
    fetch(`${base}${path}`, { method: "POST", headers: { "content-type": "application/json", ...headers }, body: text });
  const auth = { authorization: `Bearer ${TOKEN}` };

  beforeAll(async () => {
    notifier = await heldNotifier(); // holds its answer until the test lets it go
    const build = await buildNextExample(next!);
    console.log(build.built ? `[hubhooks] next build of examples/mount/next: ${build.ms} ms` : "[hubhooks] next build: cached (inputs unchanged)");
    const database = join(mkdtempSync(join(tmpdir(), "hubhooks-next-")), "log.db");
    child = spawn(process.execPath, [next!, "start", "-p", "0", "-H", "127.0.0.1"], {
      cwd: build.dir,
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        NEXT_TELEMETRY_DISABLED: "1",
        WEBHOOK_SECRET: SECRET,
        HUBHOOKS_DASHBOARD_TOKEN: TOKEN,
        HUBHOOKS_DATABASE: database,
        NOTIFY_URL: notifier.url,
        LOG_LEVEL: "info",
      },
    });
    child.stdout!.on("data", (d) => (out += d));
    child.stderr!.on("data", (d) => (out += d));
    base = await new Promise<string>((resolve, reject) => {
      child.stdout!.on("data", () => {
        const m = /Local:\s+(http:\/\/\S+)/.exec(out);
        if (m) resolve(m[1]!);
      });
      child.on("exit", (code) => reject(new Error(`next start exited ${code}: ${out}`)));
    });
  }, 300_000);
  afterAll(async () => {
    if (child && child.exitCode === null) {
      const exited = new Promise((resolve) => child.on("exit", resolve));
      child.kill("SIGTERM");
      await exited;
    }
    await notifier?.close();
  });

  it("nodejs route: a delivery with the secret is recorded and answered by the handler; wrong secret 403, bad JSON 400", async () => {
    const ok = await post("/api/hooks/webhooks/train", { "x-webhook-secret": SECRET });
    expect(ok.status).toBe(200);
    // Next hands route handlers the URL with its own host name for the listen address.
    expect(await ok.json()).toEqual({ repo: "some-user/some-repo", url: `${base.replace("127.0.0.1", "localhost")}/api/hooks/webhooks/train` });
    expect(ok.headers.get("x-hubhooks-delivery")).toMatch(/^dlv_/);
    const wrong = await post("/api/hooks/webhooks/train", { "x-webhook-secret": "nope" });
    expect(wrong.status).toBe(403);
    expect(await wrong.json()).toEqual({ error: "Invalid webhook secret." });
    const bad = await post("/api/hooks/webhooks/train", { "x-webhook-secret": SECRET }, "{not json");
    expect(bad.status).toBe(400);
  });

  it("the dashboard lives under the base path, and a replay through the mounted API runs the delivery again", async () => {
    const page = await fetch(`${base}/api/hooks`, { headers: auth });
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('<base href="/api/hooks/">');
    expect(html).toContain("/api/hooks/webhooks/train");
    expect((await fetch(`${base}/api/hooks/dashboard/app.js`)).status).toBe(200);
    const delivered = await post("/api/hooks/webhooks/train", { "x-webhook-secret": SECRET });
    const id = delivered.headers.get("x-hubhooks-delivery")!;
    expect((await fetch(`${base}/api/hooks/api/deliveries/${id}/replay`, { method: "POST" })).status).toBe(401);
    const replay = await fetch(`${base}/api/hooks/api/deliveries/${id}/replay`, { method: "POST", headers: auth });
    expect(replay.status).toBe(200);
    expect(((await replay.json()) as { delivery: { id: string; status: string } }).delivery).toMatchObject({ id, status: "queued" });
    const read = async () => ((await (await fetch(`${base}/api/hooks/api/deliveries/${id}`, { headers: auth })).json()) as { delivery: { status: string; attempts: number } }).delivery;
    await expect.poll(read, { timeout: 15_000 }).toMatchObject({ status: "succeeded", attempts: 2 });
  });

  it("edge route: the secret is checked (403), a delivery answered, and an accepted endpoint works in after() once answered 202", async () => {
    expect((await post("/api/edge-hooks/webhooks/train", { "x-webhook-secret": "nope" })).status).toBe(403);
    const ok = await post("/api/edge-hooks/webhooks/train", { "x-webhook-secret": SECRET });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ repo: "some-user/some-repo" });
    const answer = await post("/api/edge-hooks/webhooks/notify", { "x-webhook-secret": SECRET });
    expect(answer.status).toBe(202);
    expect(await answer.json()).toMatchObject({ status: "accepted" });
    const done = () => out.split("\n").filter((line) => line.includes('"msg":"notified"'));
    await expect.poll(() => notifier.notified, { timeout: 15_000 }).toEqual(['{"repo":"some-user/some-repo"}']); // running, held
    expect(done()).toEqual([]);
    notifier.release();
    await expect.poll(done, { timeout: 15_000 }).toHaveLength(1);
    expect(JSON.parse(done()[0]!)).toMatchObject({ endpoint: "notify", status: 204 });
  });
});
