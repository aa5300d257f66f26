import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { deliveryLogLabel } from "../../src/server/delivery-log-label.js";
import { Hono } from "hono";
import { startServer } from "../helpers/server.js";
import { closeAfterEach } from "../helpers/close-after-each.js";

const track = closeAfterEach();
const start = async (...args: Parameters<typeof startServer>) => track(await startServer(...args));

describe("console lines", () => {
  it("prints the Python warning without a secret, then the ready block with local URLs", async () => {
    const s = await start({}, (app) => {
      app.addWebhook("say_hello", () => null);
      app.addWebhook("goodbye", () => null);
    });
    const base = s.info.localUrl;
    expect(s.lines).toEqual([
      "Webhook secret is not defined. This means your webhook endpoints will be open to everyone.",
      "To add a secret, set `WEBHOOK_SECRET` as environment variable or pass it at initialization: ",
      "\t`app = new WebhooksServer({ webhookSecret: 'my_secret', ... })`",
      "For more details about webhook secrets, please refer to https://huggingface.co/docs/hub/webhooks#webhook-secret.",
      `Running on local URL:  ${base}`,
      "",
      "Webhooks are correctly setup and ready to use:",
      `  - POST ${base}/webhooks/say_hello`,
      `  - POST ${base}/webhooks/goodbye`,
      "These URLs are local: the Hub cannot reach them; for a public URL run `hubhooks dev app.ts` or `hubhooks serve app.ts --share`, or deploy to a Space.",
      "Go to https://huggingface.co/settings/webhooks to setup your webhooks.",
      `Dashboard: ${base}/`,
      "Delivery log: :memory:",
    ]);
    expect(base).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(s.info.endpoints).toEqual([`${base}/webhooks/say_hello`, `${base}/webhooks/goodbye`]);
  });

  it("ends with the delivery log in use: the file on the banner and on the dashboard, a Postgres URL without its password", async () => {
    const dir = await mkdtemp(join(tmpdir(), "hubhooks-banner-log-"));
    try {
      const database = join(dir, "hooks.db");
      const s = await start({ database }, (app) => app.addWebhook("train", () => null));
      expect(s.lines.at(-2)).toBe(`Dashboard: ${s.info.localUrl}/`);
      expect(s.lines.at(-1)).toBe(`Delivery log: ${database}`);
      expect(await (await fetch(s.info.localUrl + "/")).text()).toContain(`Delivery log: <code id="delivery-log">${database}</code>`);
      await s.close();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
    const off = await start({ database: false }, (app) => app.addWebhook("train", () => null));
    expect(off.lines.some((l) => l.startsWith("Delivery log:"))).toBe(false);
    // The default is shared by every app started in the same folder (documented): the banner names it.
    expect(deliveryLogLabel({ database: undefined, store: undefined, env: {} })).toBe(join(process.cwd(), ".hubhooks", "hubhooks.db"));
    const url = deliveryLogLabel({ database: undefined, store: undefined, env: { DATABASE_URL: "postgres://app:hunter2@db:5432/hooks" } });
    expect(url).toBe("postgres://app:***@db:5432/hooks");
  });

  it("uses https://$SPACE_HOST inside a Space", async () => {
    const env = { SPACE_ID: "me/app", SPACE_HOST: "me-app.hf.space", WEBHOOK_SECRET: "s" };
    const s = await start({ env, host: "127.0.0.1" }, (app) => app.addWebhook("train", () => null));
    expect(s.lines[0]).toBe("Webhook secret is correctly defined.");
    expect(s.lines).toContain("  - POST https://me-app.hf.space/webhooks/train");
    expect(s.info.url).toBe("https://me-app.hf.space");
  });
});

describe("landing page", () => {
  it("lists endpoints with full URLs and links only to live Hub pages (local wording)", async () => {
    const s = await start({}, (app) => app.addWebhook("say_hello", () => null));
    const res = await fetch(s.info.localUrl + "/");
    expect(res.status).toBe(200);
    const body = await res.text();
    // The Python wording; the dashboard draws the 🤗 (inline SVG, read as the emoji), so it is never tofu.
    expect(body).toMatch(/This is an app to process <svg class="hf-logo" role="img" aria-label="🤗"[^]*?<\/svg> Webhooks/);
    expect(body).toContain("1 webhook(s) are registered:");
    expect(body).toContain(`POST ${s.info.localUrl}/webhooks/say_hello`);
    expect(body).toContain("You are running locally");
    // Absolute links go only to live Hub pages (relative ones are the dashboard's own).
    const links = [...body.matchAll(/href="([^"]+)"/g)].map((m) => m[1]!).filter((l) => /^https?:/.test(l));
    expect(new Set(links)).toEqual(
      new Set(["https://huggingface.co/docs/hub/webhooks", "https://huggingface.co/settings/webhooks"]),
    );
  });

  it("is the plain landing page without a delivery log (database: false)", async () => {
    const s = await start({ database: false }, (app) => app.addWebhook("say_hello", () => null));
    const body = await (await fetch(s.info.localUrl + "/")).text();
    expect(body).toContain("This is an app to process 🤗 Webhooks");
    expect(body).toContain(`POST ${s.info.localUrl}/webhooks/say_hello`);
    expect(body).not.toContain("<table");
  });

  it("uses Space wording and the Space URL inside a Space", async () => {
    const env = { SPACE_ID: "me/app", SPACE_HOST: "me-app.hf.space" };
    const s = await start({ env, host: "127.0.0.1" }, (app) => app.addWebhook("x", () => null));
    const body = await (await fetch(s.info.localUrl + "/")).text();
    expect(body).toContain("POST https://me-app.hf.space/webhooks/x");
    expect(body).toContain("https://{username}-{repo_name}.hf.space");
    expect(body).not.toContain("You are running locally");
  });

  it("escapes endpoint names", async () => {
    const s = await start({}, (app) => app.addWebhook("a<b>", () => null));
    const body = await (await fetch(s.info.localUrl + "/")).text();
    expect(body).toContain("/webhooks/a&lt;b&gt;");
  });

  it("is replaced by a custom ui: HTML string, function, or a Hono app; webhook routes stay", async () => {
    const hono = new Hono().get("/", (c) => c.html("<h1>hono ui</h1>")).get("/about", (c) => c.text("about"));
    for (const [ui, expected] of [
      ["<h1>string ui</h1>", "<h1>string ui</h1>"],
      [() => "<h1>fn ui</h1>", "<h1>fn ui</h1>"],
      [() => new Response("resp ui", { status: 200 }), "resp ui"],
      [hono, "<h1>hono ui</h1>"],
    ] as const) {
      const s = await startServer({ ui: ui as never }, (app) => app.addWebhook("x", () => "hook"));
      try {
        expect(await (await fetch(s.info.localUrl + "/")).text()).toBe(expected);
        expect(await (await s.post("/webhooks/x", { event: { scope: "repo", action: "create" }, repo: { type: "model", name: "a/b" } })).json()).toBe("hook");
        expect((await fetch(s.info.localUrl + "/healthz")).status).toBe(200);
      } finally {
        await s.close();
      }
    }
    const s = await startServer({ ui: hono });
    try {
      expect(await (await fetch(s.info.localUrl + "/about")).text()).toBe("about");
    } finally {
      await s.close();
    }
  });
});
