import { spawn } from "node:child_process";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, inject, it } from "vitest";
import { fixture } from "../../src/payload/fixtures.js";

// Every host recipe of examples/mount, as a real subprocess over real HTTP: a delivery with the secret, one with a
// wrong secret, and a replay through the mounted delivery API with the dashboard token.
const SECRET = "mount-secret";
const TOKEN = "mount-token";
const BUN = "bun@1.3.5";
const DENO = "deno@2.6.3";
const postgresUrl = inject("postgresUrl");
const ROOT = fileURLToPath(new URL("../..", import.meta.url));

// npx runs from outside the repository (inside it, npx reads the whole project tree first: ~70 s) and in its own
// process group, so SIGTERM reaches the runtime it started rather than orphaning it.
async function withHost(command: string, args: string[], env: Record<string, string>, check: (base: string, out: () => string) => Promise<void>) {
  const viaNpx = command === "npx";
  const child = spawn(command, viaNpx ? args.map((a) => (a.startsWith("examples/") ? join(ROOT, a) : a)) : args, {
    cwd: viaNpx ? tmpdir() : ROOT,
    detached: viaNpx,
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      // npx reaches the registry through this machine's TLS setup; without it npx retries ~70 s, then uses its cache.
      ...Object.fromEntries(["NODE_EXTRA_CA_CERTS", "SSL_CERT_FILE", "SSL_CERT_DIR"].flatMap((k) => (process.env[k] ? [[k, process.env[k]!]] : []))),
      PORT: "0",
      LOG_LEVEL: "silent",
      WEBHOOK_SECRET: SECRET,
      HUBHOOKS_DASHBOARD_TOKEN: TOKEN,
      HUBHOOKS_DATABASE: ":memory:",
      ...env,
    },
  });
  let out = "";
  child.stdout.on("data", (d) => (out += d));
  child.stderr.on("data", (d) => (out += d));
  const exited = new Promise<number | null>((resolve) => child.on("exit", resolve));
  try {
    const base = await new Promise<string>((resolve, reject) => {
      child.stdout.on("data", () => {
        const m = out.match(/Listening on (\S+)/);
        if (m) resolve(m[1]!);
      });
      void exited.then((code) => reject(new Error(`exited ${code}: ${out}`)));
    });
    await check(base, () => out);
  } finally {
    if (viaNpx) process.kill(-child.pid!, "SIGTERM");
    else child.kill("SIGTERM");
    await exited;
  }
}

async function deliverWrongSecretReplay(base: string, options: { durable: boolean }) {
  const body = JSON.stringify(fixture("repo.content.update"));
  const post = (secret: string) => fetch(`${base}/webhooks/train`, { method: "POST", headers: { "x-webhook-secret": secret, "content-type": "application/json" }, body });
  const ok = await post(SECRET);
  expect(ok.status).toBe(200);
  expect(await ok.json()).toEqual({ repo: "some-user/some-repo", url: `${base}/webhooks/train` });
  const wrong = await post("nope");
  expect(wrong.status).toBe(403);
  expect(await wrong.json()).toEqual({ error: "Invalid webhook secret." });
  if (!options.durable) return;
  const id = ok.headers.get("x-hubhooks-delivery");
  expect(id).toMatch(/^dlv_/);
  const refused = await fetch(`${base}/api/deliveries/${id}/replay`, { method: "POST" });
  expect(refused.status).toBe(401);
  const replay = await fetch(`${base}/api/deliveries/${id}/replay`, { method: "POST", headers: { authorization: `Bearer ${TOKEN}` } });
  expect(replay.status).toBe(200);
  expect(((await replay.json()) as { delivery: { id: string; status: string } }).delivery).toMatchObject({ id, status: "queued" });
}

const node = (file: string): [string, string[]] => [process.execPath, ["--import", "hubhooks/register", file]];

describe("mounted in a host app (real subprocess, real HTTP)", () => {
  it("Express 5 with express.json() app-wide (createNodeMiddleware, req.rawBody)", async () => {
    await withHost(...node("examples/mount/express.ts"), {}, async (base) => {
      await deliverWrongSecretReplay(base, { durable: true });
      const home = await fetch(new URL("/", base));
      expect(await home.text()).toBe("my app"); // next() for the host's own routes
    });
  });

  it("Fastify 5 (hubhooksFastify plugin)", async () => {
    await withHost(...node("examples/mount/fastify.ts"), {}, async (base) => {
      await deliverWrongSecretReplay(base, { durable: true });
      expect(await (await fetch(new URL("/", base))).text()).toBe("my app");
    });
  });

  it("Fastify 5 follows the server's bodyLimit, not Fastify's 1 MiB: under it accepted, over it hubhooks' 413 JSON", async () => {
    const limit = 2 * 1024 * 1024;
    await withHost(...node("examples/mount/fastify.ts"), { HUBHOOKS_BODY_LIMIT: String(limit) }, async (base) => {
      const sized = (size: number) => {
        const text = JSON.stringify({ ...fixture("repo.content.update"), pad: "" });
        return text.replace('"pad":""', `"pad":"${"x".repeat(size - text.length)}"`);
      };
      const post = (body: string) =>
        fetch(`${base}/webhooks/train`, { method: "POST", headers: { "x-webhook-secret": SECRET, "content-type": "application/json" }, body });
      const big = await post(sized(1.5 * 1024 * 1024)); // over Fastify's default, under ours
      expect(big.status).toBe(200);
      expect(await post(sized(limit))).toHaveProperty("status", 200);
    });
    // Over the limit with a small one: a 2 MiB body refused on Content-Length while still uploading races the
    // server's drain of the unread body (once seen as a stall in the loaded full suite), a 4 KiB one does not.
    await withHost(...node("examples/mount/fastify.ts"), { HUBHOOKS_BODY_LIMIT: "4096" }, async (base) => {
      const body = JSON.stringify({ ...fixture("repo.content.update"), pad: "x".repeat(4096) });
      const over = await fetch(`${base}/webhooks/train`, { method: "POST", headers: { "x-webhook-secret": SECRET, "content-type": "application/json" }, body });
      expect(over.status).toBe(413);
      expect(await over.json()).toEqual({ error: "Request body is larger than the limit of 4096 bytes." });
    });
  });

  it("Hono (app.route with hubhooksHono)", async () => {
    await withHost(...node("examples/mount/hono.ts"), {}, async (base) => {
      await deliverWrongSecretReplay(base, { durable: true });
      expect(await (await fetch(new URL("/", base))).text()).toBe("my app");
    });
  });

  // The route module alone, without Next.js: a real node:http server calls its exported POST/GET with real Requests;
  // `next/server`'s after() is a stand-in. Built and served by Next.js itself: runtime-next.test.ts.
  it("Next.js App Router route handler (its exported POST, with after())", async () => {
    const args = ["--import", "hubhooks/register", "test/helpers/next-route-host.mjs", "examples/mount/next/app/api/hooks/[[...path]]/route.ts"];
    await withHost(process.execPath, args, {}, async (base, out) => {
      await deliverWrongSecretReplay(base, { durable: true });
      await expect.poll(out).toContain("after: task ran");
    });
  });

  // Bun and Deno from their npm packages (which ship the binaries). node:sqlite is Node's: with a Postgres log the
  // replay runs too; without one (no server binaries here), database: false and no replay.
  it(`Bun (${BUN}: Bun.serve({ fetch: app.fetch }))`, { timeout: 120_000 }, async () => {
    const env: Record<string, string> = postgresUrl ? { DATABASE_URL: postgresUrl, HUBHOOKS_DATABASE_SCHEMA: "mount_bun" } : {};
    await withHost("npx", ["-y", BUN, "examples/mount/bun.ts"], env, (base) => deliverWrongSecretReplay(base, { durable: !!postgresUrl }));
  });

  it(`Deno (${DENO}: Deno.serve(app.fetch))`, { timeout: 120_000 }, async () => {
    const env: Record<string, string> = postgresUrl ? { DATABASE_URL: postgresUrl, HUBHOOKS_DATABASE_SCHEMA: "mount_deno" } : {};
    await withHost("npx", ["-y", DENO, "run", "-A", "examples/mount/deno.ts"], env, (base) => deliverWrongSecretReplay(base, { durable: !!postgresUrl }));
  });
});
