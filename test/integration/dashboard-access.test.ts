import { describe, expect, it } from "vitest";
import { getFixture } from "../../src/payload/index.js";
import { startDashboardServer } from "../e2e/dashboard-harness.js";
import { closeAfterEach } from "../helpers/close-after-each.js";

const track = closeAfterEach();
const start = async (...args: Parameters<typeof startDashboardServer>) => track(await startDashboardServer(...args));

const TOKEN = "tok-3n;=x";
const COOKIE = `hubhooks_token=${encodeURIComponent(TOKEN)}`;

describe("token gate", () => {
  it("shows only the public landing content and a token form until the token is given", async () => {
    const s = await start({ dashboardToken: TOKEN }, (app) => app.addWebhook("train", () => null));
    await s.post("/webhooks/train", getFixture("repo.create", { repo: "secret-org/private-model" }));

    const gate = await fetch(s.url + "/");
    expect(gate.status).toBe(200);
    const body = await gate.text();
    // The token page draws the 🤗 as the dashboard does (an SVG labelled with the emoji), never the bare character.
    expect(body).toMatch(/This is an app to process <svg class="hf-logo" role="img" aria-label="🤗"[^]*?<\/svg> Webhooks/);
    expect(body).toContain(`POST ${s.url}/webhooks/train`);
    expect(body).toContain("HUBHOOKS_DASHBOARD_TOKEN");
    expect(body).toContain('<form method="post" action="dashboard/login" class="token-form">');
    expect(body).not.toContain("secret-org");
    expect(body).not.toContain("dashboard/app.js");
    expect(body).not.toContain('role="alert"');

    for (const path of ["/dashboard/rows", "/dashboard/delivery?id=x", "/dashboard/events", "/dashboard/fixture?name=repo.create"]) {
      const res = await fetch(s.url + path);
      expect(res.status, path).toBe(401);
    }
    const post = await fetch(s.url + "/dashboard/replay-all", { method: "POST", body: new URLSearchParams({}) });
    expect(post.status).toBe(401);

    const wrong = await fetch(s.url + "/dashboard/login", { method: "POST", body: new URLSearchParams({ token: "nope" }), redirect: "manual" });
    expect(wrong.status).toBe(303);
    expect(wrong.headers.get("location")).toBe("../?login=failed");
    expect(wrong.headers.get("set-cookie")).toBeNull();
    const failed = await (await fetch(s.url + "/?login=failed")).text();
    expect(failed).toContain('<p role="alert"><strong>Invalid dashboard token.</strong></p>');
    expect(failed).not.toContain("secret-org");

    const crossSite = await fetch(s.url + "/dashboard/login", {
      method: "POST",
      headers: { origin: "https://evil.example" },
      body: new URLSearchParams({ token: TOKEN }),
      redirect: "manual",
    });
    expect(crossSite.status).toBe(403);

    const login = await fetch(s.url + "/dashboard/login", {
      method: "POST",
      headers: { origin: s.url },
      body: new URLSearchParams({ token: TOKEN }),
      redirect: "manual",
    });
    expect(login.status).toBe(303);
    expect(login.headers.get("location")).toBe("../");
    expect(login.headers.get("set-cookie")).toBe(`${COOKIE}; Path=/; HttpOnly; SameSite=Strict`);

    const dashboard = await (await fetch(s.url + "/", { headers: { cookie: COOKIE } })).text();
    expect(dashboard).toContain("secret-org/private-model");
    expect(dashboard).toContain("Sign out");
    expect((await fetch(s.url + "/dashboard/rows", { headers: { authorization: `Bearer ${TOKEN}` } })).status).toBe(200);

    const badCookie = await (await fetch(s.url + "/", { headers: { cookie: "hubhooks_token=old" } })).text();
    expect(badCookie).toContain("<strong>Invalid dashboard token.</strong>");
    expect(badCookie).not.toContain("secret-org");

    const logout = await fetch(s.url + "/dashboard/logout", { method: "POST", headers: { cookie: COOKIE }, redirect: "manual" });
    expect(logout.status).toBe(303);
    expect(logout.headers.get("set-cookie")).toBe("hubhooks_token=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0");
  });

  it("in a Space without a token: landing content, how to enable the dashboard, no form, no data", async () => {
    const env = { SPACE_ID: "me/app", SPACE_HOST: "me-app.hf.space" };
    const s = await start({ env }, (app) => app.addWebhook("train", () => null));
    const body = await (await fetch(s.url + "/")).text();
    expect(body).toContain("https://me-app.hf.space/webhooks/train");
    expect(body).toContain("The deliveries dashboard is disabled");
    expect(body).toContain("<code>HUBHOOKS_DASHBOARD_TOKEN</code>");
    expect(body).not.toContain("token-form");
    expect((await fetch(s.url + "/dashboard/rows")).status).toBe(403);
    const login = await fetch(s.url + "/dashboard/login", { method: "POST", body: new URLSearchParams({ token: "x" }), redirect: "manual" });
    expect(login.status).toBe(303);
    expect(login.headers.get("set-cookie")).toBeNull();
  });

  it("marks the cookie Secure in a Space and behind an https proxy; accepts the proxy's host as same-origin", async () => {
    const env = { SPACE_ID: "me/app", SPACE_HOST: "me-app.hf.space" };
    const s = await start({ env, dashboardToken: TOKEN }, (app) => app.addWebhook("train", () => null));
    const login = await fetch(s.url + "/dashboard/login", {
      method: "POST",
      headers: { origin: "https://me-app.hf.space", "x-forwarded-host": "me-app.hf.space", "x-forwarded-proto": "https" },
      body: new URLSearchParams({ token: TOKEN }),
      redirect: "manual",
    });
    expect(login.status).toBe(303);
    expect(login.headers.get("set-cookie")).toBe(`${COOKIE}; Path=/; HttpOnly; SameSite=Strict; Secure`);
  });
});

describe("custom ui", () => {
  it("keeps the custom page at / and serves the dashboard at /dashboard with relative links", async () => {
    const s = await start({ customUi: "<h1>Mine</h1>" }, (app) => app.addWebhook("train", () => null));
    await s.post("/webhooks/train", getFixture("repo.create"));
    expect(await (await fetch(s.url + "/")).text()).toBe("<h1>Mine</h1>");
    const dashboard = await (await fetch(s.url + "/dashboard")).text();
    expect(dashboard).toContain("🤗 Webhooks dashboard");
    expect(dashboard).toContain('<script src="dashboard/app.js" defer></script>');
    expect((await fetch(s.url + "/dashboard/app.js")).headers.get("content-type")).toBe("text/javascript; charset=utf-8");
    const slash = await fetch(s.url + "/dashboard/", { redirect: "manual" });
    expect(slash.status).toBe(302);
    expect(new URL(slash.headers.get("location")!, s.url + "/dashboard/").pathname).toBe("/dashboard");
    const replay = await fetch(s.url + "/dashboard/replay-all", { method: "POST", body: new URLSearchParams({}), redirect: "manual" });
    expect(new URL(replay.headers.get("location")!, s.url + "/dashboard/replay-all").pathname).toBe("/dashboard");
  });

  it("at / (no custom ui) /dashboard redirects to the page", async () => {
    const s = await start({}, (app) => app.addWebhook("train", () => null));
    for (const path of ["/dashboard", "/dashboard/"]) {
      const res = await fetch(s.url + path, { redirect: "manual" });
      expect(res.status).toBe(302);
      expect(new URL(res.headers.get("location")!, s.url + path).pathname).toBe("/");
    }
  });
});

describe("malformed token cookie", () => {
  it("answers 403 (a wrong token), not 500, when the cookie is not valid percent-encoding", async () => {
    const s = await start({ dashboardToken: TOKEN }, (app) => app.addWebhook("train", () => null));
    for (const path of ["/api/deliveries", "/dashboard/rows"]) {
      const res = await fetch(s.url + path, { headers: { cookie: "hubhooks_token=%E0%A4%A" } });
      expect(res.status, path).toBe(403);
      expect(await res.json(), path).toEqual({ error: "Invalid dashboard token." });
    }
    const page = await fetch(s.url + "/", { headers: { cookie: "hubhooks_token=%E0%A4%A" } });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("Invalid dashboard token.");
  });
});

describe("a non-ASCII dashboard token", () => {
  it("matches in Authorization: Bearer and in a hand-set cookie (UTF-8 bytes, read as latin-1 by the parser)", async () => {
    const token = "jeton-é-密钥-🔑";
    const s = await start({ dashboardToken: token }, (app) => app.addWebhook("train", () => null));
    // fetch() refuses non-latin-1 header values: send the UTF-8 bytes as a latin-1 string, as curl does.
    const raw = Buffer.from(token, "utf8").toString("latin1");
    expect((await fetch(s.url + "/api/deliveries", { headers: { authorization: `Bearer ${raw}` } })).status).toBe(200);
    expect((await fetch(s.url + "/api/deliveries", { headers: { cookie: `hubhooks_token=${raw}` } })).status).toBe(200);
    expect((await fetch(s.url + "/api/deliveries", { headers: { cookie: `hubhooks_token=${encodeURIComponent(token)}` } })).status).toBe(200);
    const wrong = await fetch(s.url + "/api/deliveries", { headers: { authorization: "Bearer jeton-\u00e9" } });
    expect(wrong.status).toBe(403);
  });
});
