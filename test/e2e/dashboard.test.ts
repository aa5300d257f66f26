import { existsSync, mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Browser, Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { ManualClock } from "../../src/internal/clock.js";
import { getFixture } from "../../src/payload/index.js";
import { startDashboardServer } from "./dashboard-harness.js";
import { CHROMIUM, HAS_CHROMIUM, launchChromium } from "./launch-chromium.js";

if (!HAS_CHROMIUM) {
  console.warn(`[hubhooks e2e] skipping the dashboard browser tests: ${CHROMIUM} is missing (apt-get install -y chromium).`);
}
// A test never rewrites a tracked file: the screenshot goes to test-results/ (ignored); HUBHOOKS_UPDATE_SCREENSHOT=1
// writes docs/dashboard.png, the one the README shows, on purpose.
const SCREENSHOT = join(
  dirname(fileURLToPath(import.meta.url)),
  process.env.HUBHOOKS_UPDATE_SCREENSHOT ? "../../docs/dashboard.png" : "../../test-results/dashboard.png",
);
const XSS = "<script>alert(1)</script>";

type Server = Awaited<ReturnType<typeof startDashboardServer>>;

let browser: Browser | undefined;
let server: Server | undefined;
let page: Page | undefined;
let dialogs: string[] = [];

// The dashboard is served with a Content-Security-Policy (issue 15): every test also checks that Chromium blocked
// nothing on the page (a blocked script or style would leave the dashboard half-working).
let cspViolations: string[] = [];
afterEach(async () => {
  const blocked = cspViolations;
  cspViolations = [];
  if (page) blocked.push(...(await page.evaluate(() => (window as unknown as { cspBlocked?: string[] }).cspBlocked ?? []).catch(() => [])));
  expect(blocked).toEqual([]);
}, 15_000);
afterEach(async () => {
  await page?.close();
  page = undefined;
  await server?.close();
  server = undefined;
});

async function open(s: Server, path = "/"): Promise<Page> {
  server = s;
  page = await browser!.newPage({ viewport: { width: 1280, height: 900 } });
  page.setDefaultTimeout(10_000);
  page.on("console", (message) => {
    if (/Content Security Policy/i.test(message.text())) cspViolations.push(message.text());
  });
  await page.addInitScript(() => {
    const w = window as unknown as { cspBlocked: string[] };
    w.cspBlocked = [];
    document.addEventListener("securitypolicyviolation", (e) => w.cspBlocked.push(`${e.violatedDirective}: ${e.blockedURI}`));
  });
  dialogs = [];
  page.on("dialog", (dialog) => {
    dialogs.push(`${dialog.type()}: ${dialog.message()}`);
    void (dialog.type() === "confirm" ? dialog.accept() : dialog.dismiss());
  });
  await page.goto(s.url + path);
  return page;
}

/** Waits until the live stream is connected, and marks the document so a reload would be noticed. */
async function whenLive(p: Page): Promise<void> {
  await p.locator('#live[data-state="on"]').waitFor();
  await p.evaluate(() => ((window as unknown as { noReload: boolean }).noReload = true));
}

async function notReloaded(p: Page): Promise<boolean> {
  return p.evaluate(() => (window as unknown as { noReload?: boolean }).noReload === true);
}

const row = (p: Page, id: string, status?: string) =>
  p.locator(`#deliveries tbody tr[data-id="${id}"]${status ? `[data-status="${status}"]` : ""}`);

describe.skipIf(!HAS_CHROMIUM)("dashboard in Chromium", () => {
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it("shows a delivery live, running → retrying, then succeeded after Replay in the detail view", async () => {
    const clock = new ManualClock(Date.UTC(2026, 0, 1, 12));
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const s = await startDashboardServer({ clock, shutdownGraceMs: 100 }, (app) =>
      app.addWebhook("train", { mode: "accepted", retry: { maxAttempts: 3 } }, async (payload, ctx) => {
        if (ctx.attempt === 1) {
          await gate;
          throw new Error("GPU quota exceeded");
        }
        return { trained: payload.repo.name };
      }),
    );
    const p = await open(s);
    await whenLive(p);

    const posted = await s.post("/webhooks/train", getFixture("repo.content.update", { repo: "acme/bert-tiny" }));
    expect(posted.status).toBe(202);
    const id = posted.headers.get("x-hubhooks-delivery")!;
    await row(p, id, "running").waitFor();
    const cells = await row(p, id).locator("td").allTextContents();
    expect(cells.slice(0, 6)).toEqual(["2026-01-01 12:00:00Z", "train", "repo.content.update", "acme/bert-tiny model", "running", "1"]);
    expect(await row(p, id).locator("a[target=_blank]").getAttribute("href")).toBe("https://huggingface.co/acme/bert-tiny");

    release(); // the first attempt throws; with the clock standing still its retry never comes due
    await row(p, id, "retrying").waitFor();
    expect(await notReloaded(p)).toBe(true);

    await row(p, id).locator("td a").first().click();
    await p.locator(`#detail[data-id="${id}"]`).waitFor();
    await whenLive(p);
    expect(await p.locator('[data-field="status"]').textContent()).toBe("retrying");
    const attempt = p.locator("#attempts tr").first().locator("td");
    expect(await attempt.nth(1).textContent()).toBe("failed"); // the attempt did fail; the delivery is retrying
    expect(await attempt.nth(4).textContent()).toMatch(/^GPU quota exceededstackError: GPU quota exceeded\n\s+at /);
    expect(await p.locator("#payload-view").textContent()).toContain('"name": "acme/bert-tiny"');
    expect(await p.locator('[data-field="result"]').textContent()).toBe("(none yet)");

    await p.getByRole("button", { name: "Replay" }).click();
    await p.locator('[data-field="status"]', { hasText: "succeeded" }).waitFor();
    expect(await p.locator("#detail output").textContent()).toBe("Replayed: queued again.");
    expect(await p.locator("#attempts tr").count()).toBe(2);
    expect(JSON.parse((await p.locator('[data-field="result"]').textContent())!)).toEqual({ trained: "acme/bert-tiny" });
    expect(await notReloaded(p)).toBe(true);

    await p.getByRole("link", { name: "← All deliveries" }).click();
    await row(p, id, "succeeded").waitFor();
  });

  it("filters narrow the table, and live updates respect the filters", async () => {
    const s = await startDashboardServer({}, (app) => {
      app.addWebhook("train", () => null);
      app.addWebhook("bot", () => null);
    });
    for (const repo of ["acme/alpha", "acme/beta", "other/gamma"]) await s.post("/webhooks/train", getFixture("repo.content.update", { repo }));
    await s.post("/webhooks/bot", getFixture("discussion.comment.create", { repo: "acme/alpha" }));
    const p = await open(s);
    await p.locator("#deliveries tbody tr[data-id]").nth(3).waitFor();

    await p.selectOption('select[name="endpoint"]', "train");
    await p.getByRole("button", { name: "Filter" }).click();
    await p.waitForURL(/endpoint=train/);
    expect(await p.locator("#deliveries tbody tr[data-id]").count()).toBe(3);

    await p.fill('input[name="repo"]', "ACME");
    await p.getByRole("button", { name: "Filter" }).click();
    await p.waitForURL(/repo=ACME/);
    const repos = await p.locator("#deliveries tbody tr[data-id] td:nth-child(4) a").allTextContents();
    expect(repos.sort()).toEqual(["acme/alpha", "acme/beta"]);

    await whenLive(p);
    await s.post("/webhooks/bot", getFixture("repo.create", { repo: "acme/delta" })); // other endpoint: stays hidden
    await s.post("/webhooks/train", getFixture("repo.create", { repo: "acme/epsilon" }));
    await p.locator("#deliveries tbody tr", { hasText: "acme/epsilon" }).waitFor();
    expect(await p.locator("#deliveries tbody tr", { hasText: "acme/delta" }).count()).toBe(0);
    expect(await p.locator("#deliveries tbody tr[data-id]").count()).toBe(3);

    await p.goto(s.url + "/?scope=discussion.comment");
    expect(await p.locator("#deliveries tbody tr[data-id] td:nth-child(3)").allTextContents()).toEqual(["discussion.comment.create"]);
  });

  it("copies an endpoint URL, and sends a chosen fixture through the endpoint from the test-event form", async () => {
    const received: unknown[] = [];
    const s = await startDashboardServer({ webhookSecret: "hush" }, (app) =>
      app.addWebhook("bot", (payload) => {
        received.push(payload);
        return { ok: true };
      }),
    );
    const p = await open(s);
    await whenLive(p);
    await p.context().grantPermissions(["clipboard-read", "clipboard-write"], { origin: s.url });
    await p.getByRole("button", { name: "Copy" }).click();
    await p.getByRole("button", { name: "Copied" }).waitFor();
    expect(await p.evaluate(() => navigator.clipboard.readText())).toBe(`${s.url}/webhooks/bot`);

    await p.selectOption("#fixture", "discussion.comment.create");
    await p.waitForFunction(() => (document.querySelector("#payload") as HTMLTextAreaElement).value.includes('"discussion.comment"'));
    const text = await p.inputValue("#payload");
    await p.fill("#payload", text.replace(/"content": "[^"]*"/, '"content": "/retrain please"'));
    await p.getByRole("button", { name: "Send" }).click();
    await p.locator("section.test-event output", { hasText: "HTTP 200" }).waitFor();
    const message = await p.locator("section.test-event output").textContent();
    const id = /delivery (dlv_[0-9a-z]+)/.exec(message!)![1]!;
    expect(message).toBe(`Sent to /webhooks/bot: HTTP 200, delivery ${id}. open delivery`);
    await row(p, id, "succeeded").waitFor();
    expect(await row(p, id).locator("td").nth(2).textContent()).toBe("discussion.comment.create");
    expect(received).toEqual([expect.objectContaining({ comment: expect.objectContaining({ content: "/retrain please" }) })]);
    expect(await notReloaded(p)).toBe(true);
  });

  it("renders user-controlled text as text, live and server-rendered", async () => {
    const s = await startDashboardServer({}, (app) => app.addWebhook("bot", () => ({ echo: XSS })));
    const p = await open(s);
    await whenLive(p);
    const payload = getFixture("discussion.comment.create", {
      set: { "repo.name": `evil/${XSS}`, "discussion.title": XSS, "comment.content": XSS },
    });
    const id = (await s.post("/webhooks/bot", payload)).headers.get("x-hubhooks-delivery")!;
    await row(p, id).waitFor(); // rendered by the script from live data
    expect(await row(p, id).locator("td").nth(3).textContent()).toBe(`evil/${XSS} space`);
    await p.reload();
    await row(p, id).waitFor(); // rendered by the server
    expect(await row(p, id).locator("td").nth(3).textContent()).toBe(`evil/${XSS} space`);
    await row(p, id).locator("td a").first().click();
    await p.locator(`#detail[data-id="${id}"]`).waitFor();
    expect(await p.locator("#payload-view").textContent()).toContain(`"content": "${XSS}"`);
    expect(await p.locator('[data-field="result"]').textContent()).toContain(XSS);
    expect(await p.evaluate(() => document.scripts.length)).toBe(1);
    expect(dialogs).toEqual([]);
  });

  it("asks for the token, keeps it in an HttpOnly SameSite=Strict cookie, then shows the live dashboard", async () => {
    const s = await startDashboardServer({ dashboardToken: "let-me-in" }, (app) => app.addWebhook("train", () => null));
    await s.post("/webhooks/train", getFixture("repo.create", { repo: "private-org/model" }));
    const p = await open(s);
    // The 🤗 is drawn (an SVG whose label is the emoji), as on the dashboard: the title's text around it is the Python one.
    expect(await p.locator("h1").first().textContent()).toBe("This is an app to process  Webhooks");
    expect(await p.locator("h1").first().locator("svg.hf-logo").getAttribute("aria-label")).toBe("🤗");
    expect(await p.content()).not.toContain("private-org");

    await p.fill('input[name="token"]', "wrong");
    await p.getByRole("button", { name: "Open the dashboard" }).click();
    expect(await p.getByRole("alert").textContent()).toBe("Invalid dashboard token.");
    expect(await p.context().cookies()).toEqual([]);

    await p.fill('input[name="token"]', "let-me-in");
    await p.getByRole("button", { name: "Open the dashboard" }).click();
    await p.locator("#deliveries tbody tr", { hasText: "private-org/model" }).waitFor();
    const cookies = await p.context().cookies();
    expect(cookies).toEqual([expect.objectContaining({ name: "hubhooks_token", path: "/", httpOnly: true, sameSite: "Strict" })]);
    expect(await p.evaluate(() => document.cookie)).toBe("");

    await whenLive(p);
    await s.post("/webhooks/train", getFixture("repo.create", { repo: "private-org/second" }));
    await p.locator("#deliveries tbody tr", { hasText: "private-org/second" }).waitFor();

    await p.getByRole("button", { name: "Sign out" }).click();
    await p.locator("#dashboard-gate").waitFor();
    expect(await p.context().cookies()).toEqual([]);
  });

  it("takes a screenshot of the dashboard with a few deliveries (test-results/dashboard.png)", async () => {
    const clock = new ManualClock(Date.UTC(2026, 0, 1, 9, 30));
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const s = await startDashboardServer({ clock, webhookSecret: "hush", shutdownGraceMs: 100 }, (app) => {
      app.addWebhook("train", { retry: { maxAttempts: 3 } }, (payload) => {
        clock.advance(1_840);
        if (payload.repo.name.endsWith("broken")) throw new Error("CUDA out of memory");
        return { queued: true };
      });
      app.addWebhook("discussion_bot", { mode: "accepted", retry: { maxAttempts: 1 } }, async (payload) => {
        if (payload.repo.name.endsWith("slow")) await gate;
        clock.advance(120);
        if (payload.repo.type === "space") throw new Error("Space is sleeping");
        return { replied: true };
      });
    });
    const headers = { "x-webhook-secret": "hush" };
    const send = async (endpoint: string, fixture: string, repo: string, repoType?: string) => {
      clock.advance(47_000);
      await s.post(`/webhooks/${endpoint}`, getFixture(fixture, { repo, repoType }), headers);
    };
    await send("train", "repo.content.update", "acme/bert-tiny");
    await send("discussion_bot", "discussion.create.pull-request", "acme/bert-tiny");
    await send("train", "repo.content.update", "acme/broken", "dataset");
    await send("discussion_bot", "discussion.comment.create", "acme/demo", "space");
    await send("train", "repo.config.update", "acme/whisper-small");
    await send("discussion_bot", "discussion.comment.create", "acme/slow");
    const p = await open(s);
    await whenLive(p);
    await p.locator('#deliveries tbody tr[data-status="running"]').waitFor();
    mkdirSync(dirname(SCREENSHOT), { recursive: true });
    await p.screenshot({ path: SCREENSHOT, fullPage: true });
    expect(existsSync(SCREENSHOT)).toBe(true);
    release();
  });

  it("at 420 px: the URL table wraps, Copy buttons are visible, headings no larger than the title, no emoji tofu, a favicon (test-results/dashboard-420.png)", async () => {
    const s = await startDashboardServer({ webhookSecret: "hush" }, (app) => {
      app.addWebhook("a_rather_long_endpoint_name_for_a_narrow_phone", () => ({ ok: true }));
      app.addWebhook("bot", () => ({ ok: true }));
    });
    await s.post("/webhooks/bot", getFixture("repo.create"), { "x-webhook-secret": "hush" });
    server = s;
    page = await browser!.newPage({ viewport: { width: 420, height: 900 } });
    const p = page;
    await p.goto(s.url + "/");
    await p.locator("details.setup, .setup details").first().evaluate((d) => ((d as HTMLDetailsElement).open = true));
    const narrow = join(dirname(SCREENSHOT), "dashboard-420.png");
    mkdirSync(dirname(narrow), { recursive: true });
    await p.screenshot({ path: narrow, fullPage: true });
    // What sticks out of the page (the deliveries table scrolls inside its own section, on purpose).
    const wide = await p.evaluate(() =>
      [...document.querySelectorAll("body *")]
        .filter((el) => el.getBoundingClientRect().right > 420 && !el.closest("section.deliveries"))
        .map((el) => `${el.tagName}.${el.className}`),
    );
    const layout = await p.evaluate(() => {
      const right = (el: Element) => el.getBoundingClientRect().right;
      const title = document.querySelector("header.dash h1")!;
      const size = (el: Element) => parseFloat(getComputedStyle(el).fontSize);
      return {
        scrollWidth: document.documentElement.scrollWidth,
        table: right(document.querySelector("table.endpoints")!),
        buttons: [...document.querySelectorAll("table.endpoints button")].map(right),
        titleSize: size(title),
        largestOther: Math.max(...[...document.querySelectorAll("h1, h2, h3")].filter((h) => h !== title).map(size)),
        logo: document.querySelector("header.dash h1 svg")?.getAttribute("aria-label") ?? null,
        titleText: title.textContent,
      };
    });
    expect(wide).toEqual([]);
    expect(layout.scrollWidth).toBeLessThanOrEqual(420);
    expect(layout.table).toBeLessThanOrEqual(420);
    expect(layout.buttons).toHaveLength(2);
    for (const right of layout.buttons) expect(right).toBeLessThanOrEqual(420);
    expect(layout.largestOther).toBeLessThanOrEqual(layout.titleSize);
    // The emoji is drawn (inline SVG), not left to a font the machine may lack.
    expect(layout.logo).toBe("🤗");
    expect(layout.titleText).not.toContain("🤗");
    expect(await p.evaluate(() => document.body.innerText.includes("🤗"))).toBe(false);
    const favicon = await fetch(s.url + "/favicon.ico");
    expect(favicon.status).toBe(200);
    expect(favicon.headers.get("content-type")).toBe("image/svg+xml");
    expect(existsSync(narrow)).toBe(true);
  });
});
