import { execFileSync } from "node:child_process";
import { createServer, request as httpRequest } from "node:http";
import type { AddressInfo } from "node:net";
import { createNodeMiddleware } from "../../src/node/middleware.js";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { WebhooksServer } from "../../src/server/webhooks-server.js";
import type { WebhooksServerOptions } from "../../src/server/options.js";
import { fixture } from "../../src/payload/fixtures.js";
import { silentLogger, startServer } from "../helpers/server.js";
import { closeAfterEach } from "../helpers/close-after-each.js";

const track = closeAfterEach();
const body = JSON.stringify(fixture("repo.content.update"));

/** One raw HTTP/1.1 request (node:http lets us send any Host and an absolute-form target). */
function raw(port: number, options: { method?: string; path: string; headers?: Record<string, string>; body?: string }) {
  return new Promise<{ status: number; body: string; headers: Record<string, unknown> }>((resolve, reject) => {
    const req = httpRequest({ host: "127.0.0.1", port, method: options.method ?? "GET", path: options.path, headers: options.headers, setHost: false }, (res) => {
      let text = "";
      res.on("data", (d) => (text += d));
      res.on("end", () => resolve({ status: res.statusCode!, body: text, headers: res.headers }));
    });
    req.on("error", reject);
    req.end(options.body);
  });
}

function server(options: WebhooksServerOptions = {}) {
  return track(new WebhooksServer({ print: () => {}, logger: silentLogger, handleSignals: false, env: {}, database: ":memory:", ...options }));
}

describe("basePath", () => {
  it("puts every route under it, in printed URLs, landing links and ctx.request.url", async () => {
    let seen = "";
    const s = track(
      await startServer({ basePath: "/api/hooks/", dashboardToken: "t" }, (app) => {
        app.addWebhook("train", (_p, ctx) => ((seen = ctx.request.url), { ok: true }));
      }),
    );
    const base = `${s.info.localUrl}/api/hooks`;
    expect(s.info.endpoints).toEqual([`${base}/webhooks/train`]);
    expect(s.lines).toContain(`  - POST ${base}/webhooks/train`);
    expect(s.lines).toContain(`Dashboard: ${base}/`);
    const posted = await s.post("/api/hooks/webhooks/train?x=1", body);
    expect(posted.status).toBe(200);
    expect(seen).toBe(`${base}/webhooks/train?x=1`);
    expect((await s.post("/webhooks/train", body)).status).toBe(404); // nothing outside the base
    expect(await (await fetch(`${base}/healthz`)).json()).toEqual({ status: "ok" });
    const auth = { authorization: "Bearer t" };
    expect((await fetch(`${base}/metrics`, { headers: auth })).status).toBe(200);
    const list = await fetch(`${base}/api/deliveries`, { headers: auth });
    expect(((await list.json()) as { items: unknown[] }).items).toHaveLength(1);
    for (const path of ["", "/"]) {
      const page = await (await fetch(`${base}${path}`, { headers: auth })).text();
      expect(page).toContain(`<base href="/api/hooks/">`);
      expect(page).toContain(`POST ${base}/webhooks/train`);
    }
    expect((await fetch(`${base}/dashboard/app.js`)).status).toBe(200);
  });

  it("moves the dashboard and API to their own prefix, or turns them off", async () => {
    const moved = track(await startServer({ basePath: "/hooks", dashboard: "/_admin" }, (app) => app.addWebhook("a", () => null)));
    const base = `${moved.info.localUrl}/hooks`;
    expect(moved.lines).toContain(`Dashboard: ${base}/_admin/`);
    expect((await fetch(`${base}/_admin/api/deliveries`)).status).toBe(200);
    expect((await fetch(`${base}/api/deliveries`)).status).toBe(404);
    expect(await (await fetch(`${base}/_admin/`)).text()).toContain(`<base href="/hooks/_admin/">`);
    const off = track(await startServer({ dashboard: false }, (app) => app.addWebhook("a", () => null)));
    expect(off.lines.some((l) => l.startsWith("Dashboard:"))).toBe(false);
    expect((await fetch(`${off.info.localUrl}/api/deliveries`)).status).toBe(404);
    expect((await fetch(`${off.info.localUrl}/healthz`)).status).toBe(200);
  });

  it("refuses a basePath that is no plain path", () => {
    expect(() => server({ basePath: "api/hooks" })).toThrow(/Invalid basePath "api\/hooks"/);
  });
});

describe("createNodeMiddleware(app, { path }) in the octokit style", () => {
  it("sets basePath on a server without one: a real node:http server routes /hooks/* to it and the rest to next()", async () => {
    const app = server({ database: false });
    app.addWebhook("train", (p) => ({ repo: p.repo.name }));
    const middleware = createNodeMiddleware(app, { path: "/hooks/" });
    expect(app.basePath).toBe("/hooks");
    const host = createServer((req, res) => void middleware(req, res, () => res.end(`host app: ${req.url}`)));
    await new Promise<void>((resolve) => host.listen(0, "127.0.0.1", resolve));
    track({ close: () => new Promise<void>((resolve) => host.close(() => resolve())) });
    const port = (host.address() as AddressInfo).port;
    const json = { "content-type": "application/json", host: `127.0.0.1:${port}` };
    const hook = await raw(port, { method: "POST", path: "/hooks/webhooks/train", headers: json, body });
    expect([hook.status, JSON.parse(hook.body)]).toEqual([200, { repo: "some-user/some-repo" }]);
    expect((await raw(port, { path: "/hooks/healthz", headers: json })).status).toBe(200);
    expect(await raw(port, { path: "/webhooks/train", headers: json })).toMatchObject({ status: 200, body: "host app: /webhooks/train" });
  });

  it("refuses a path that differs from the server's basePath, or comes after the first request, naming both", async () => {
    expect(() => createNodeMiddleware(server({ basePath: "/api/hooks" }), { path: "/hooks" })).toThrow(
      '[hubhooks] createNodeMiddleware(): path "/hooks" differs from the server\'s basePath "/api/hooks"; use one of them (basePath: "/hooks" in new WebhooksServer(), or path: "/api/hooks").',
    );
    expect(createNodeMiddleware(server({ basePath: "/api/hooks" }), { path: "/api/hooks/" })).toBeTypeOf("function"); // the same path
    const served = server();
    expect((await served.fetch(new Request("http://localhost/healthz"))).status).toBe(200);
    expect(() => createNodeMiddleware(served, { path: "/hooks" })).toThrow(
      '[hubhooks] createNodeMiddleware(): path "/hooks" comes after the server answered requests at "/": pass basePath: "/hooks" to new WebhooksServer().',
    );
    expect(served.basePath).toBe("");
    expect(() => createNodeMiddleware(server(), { path: "hooks" })).toThrow('Invalid createNodeMiddleware() path "hooks"');
  });
});

describe("the access rule comes from configuration", () => {
  it("a tokenless server serves the API to loopback Host names only (DNS rebinding)", async () => {
    const s = track(await startServer({}, (app) => app.addWebhook("a", () => null)));
    for (const host of ["localhost:1", "127.0.0.1", "[::1]:7860", `127.0.0.1:${s.info.port}`]) {
      expect((await raw(s.info.port, { path: "/api/deliveries", headers: { host } })).status).toBe(200);
    }
    const rebound = await raw(s.info.port, { path: "/api/deliveries", headers: { host: `evil.example:${s.info.port}` } });
    expect(rebound.status).toBe(403);
    expect(JSON.parse(rebound.body).error).toMatch(/only requests to localhost/);
    expect((await raw(s.info.port, { path: "/metrics", headers: { host: "evil.example" } })).status).toBe(403);
  });

  it("checks Origin on dashboard POSTs against the server's own origins, not the request's Host", async () => {
    const s = track(await startServer({ webhookSecret: "real-secret" }, (app) => app.addWebhook("a", () => null)));
    const form = "endpoint=%2Fwebhooks%2Fa&fixture=repo.content.update";
    const evil = `http://evil.example:${s.info.port}`;
    const headers = (host: string, origin: string) => ({ host, origin, "content-type": "application/x-www-form-urlencoded" });
    const rebound = await raw(s.info.port, { method: "POST", path: "/dashboard/test-event", headers: headers(`evil.example:${s.info.port}`, evil), body: form });
    expect(rebound.status).toBe(403);
    const crossSite = await raw(s.info.port, { method: "POST", path: "/dashboard/test-event", headers: headers(`127.0.0.1:${s.info.port}`, evil), body: form });
    expect(crossSite.status).toBe(403);
    const own = await raw(s.info.port, { method: "POST", path: "/dashboard/test-event", headers: { ...headers(`127.0.0.1:${s.info.port}`, s.info.localUrl), accept: "application/json" }, body: form });
    expect(own.status).toBe(200);
  });

  it("exposed: true refuses tokenless access even on loopback; exposed: false serves a server listening on 0.0.0.0", async () => {
    const exposed = server({ exposed: true });
    const r = await exposed.fetch(new Request("http://127.0.0.1/api/deliveries"));
    expect(r.status).toBe(403);
    expect(((await r.json()) as { error: string }).error).toMatch(/reachable beyond this machine/);
    const mounted = server(); // mounted: no listen address, loopback Host names served
    expect((await mounted.fetch(new Request("http://localhost:3000/api/deliveries"))).status).toBe(200);
    const wide = track(await startServer({ exposed: false }));
    const onAll = await fetch(`${wide.info.localUrl}/api/deliveries`);
    expect(onAll.status).toBe(200);
  });
});

describe("HUBHOOKS_HOST", () => {
  it("is honoured by launch(), and a launch beyond loopback counts as exposed", async () => {
    const app = server({ env: { HUBHOOKS_HOST: "0.0.0.0" } });
    const info = await app.launch({ port: 0 });
    expect(info.host).toBe("0.0.0.0");
    expect(info.localUrl).toBe(`http://127.0.0.1:${info.port}`);
    expect((await fetch(`${info.localUrl}/api/deliveries`)).status).toBe(403);
  });
});

describe("the request as received", () => {
  it("refuses an unparseable Host with a 400 before recording anything, also in absolute form", async () => {
    const s = track(await startServer({ webhookSecret: "s" }, (app) => app.addWebhook("acc", () => null)));
    const headers = { host: "x y", "x-webhook-secret": "s", "content-type": "application/json" };
    const absolute = await raw(s.info.port, { method: "POST", path: `http://127.0.0.1:${s.info.port}/webhooks/acc`, headers, body });
    expect(absolute.status).toBe(400);
    expect(JSON.parse(absolute.body)).toEqual({ error: "Invalid Host header: it must be a host name or address with an optional port." });
    expect((await s.app.store!.list({}, { limit: 10 })).items).toHaveLength(0);
    const ok = await raw(s.info.port, { method: "POST", path: `http://127.0.0.1:${s.info.port}/webhooks/acc`, headers: { ...headers, host: "127.0.0.1" }, body });
    expect(ok.status).toBe(200);
  });
});

describe("lifecycle when mounted", () => {
  it("start() resumes pending deliveries at once, without any request", async () => {
    const dir = mkdtempSync(join(tmpdir(), "hubhooks-resume-"));
    const database = join(dir, "log.db");
    const first = server({ database, shutdownGraceMs: 10 });
    first.addWebhook("slow", { mode: "accepted" }, () => new Promise(() => {})); // never settles in this process
    const answer = await first.fetch(new Request("http://localhost/webhooks/slow", { method: "POST", body }));
    expect(answer.status).toBe(202);
    await first.close();
    const ran: string[] = [];
    const second = server({ database, leaseMs: 1 });
    second.addWebhook("slow", (payload) => void ran.push(payload.repo.name));
    await second.start();
    await expect.poll(() => ran).toEqual(["some-user/some-repo"]);
  });
});

describe("import cost", () => {
  // 90: the option checks (issue 24: 7 small modules), the forward step and alert hooks, the HF token lookup and the
  // Web Crypto secret compare joined the core this round; each is small and has no dependency of its own.
  it(`importing the built root entry loads at most 90 modules and none of the heavy or Node-only ones`, () => {
    const script = `
      import { registerHooks } from "node:module";
      const seen = new Set();
      registerHooks({ load(url, context, next) { seen.add(url); return next(url, context); } });
      await import(${JSON.stringify(new URL("../../dist/index.js", import.meta.url).href)});
      console.log(JSON.stringify([...seen]));`;
    const urls = JSON.parse(execFileSync(process.execPath, ["--input-type=module", "-e", script], { encoding: "utf8" })) as string[];
    expect(urls.length).toBeLessThanOrEqual(90);
    const heavy = urls.filter((u) => /node_modules\/(kysely|zod|prom-client|hono|pino)\/|node:(sqlite|http|child_process)$|\/dist\/(tunnel|store\/sqlite|cli)\//.test(u));
    expect(heavy).toEqual([]);
  });
});
