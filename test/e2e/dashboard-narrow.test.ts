// The dashboard on a phone (420 px) and a laptop (1280 px) in Chromium: each delivery's status stays visible
// without scrolling sideways, the time stays on one line, and the token page draws the 🤗 logo (a machine without
// an emoji font shows a box for the character). Screenshots go to test-results/ (ignored).
import { mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Browser, Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { ManualClock } from "../../src/internal/clock.js";
import { getFixture } from "../../src/payload/index.js";
import { startDashboardServer } from "./dashboard-harness.js";
import { CHROMIUM, HAS_CHROMIUM, launchChromium } from "./launch-chromium.js";

if (!HAS_CHROMIUM) console.warn(`[hubhooks e2e] skipping the narrow dashboard tests: ${CHROMIUM} is missing (apt-get install -y chromium).`);
const RESULTS = join(dirname(fileURLToPath(import.meta.url)), "../../test-results");

type Server = Awaited<ReturnType<typeof startDashboardServer>>;
let browser: Browser | undefined;
let server: Server | undefined;
let page: Page | undefined;

afterEach(async () => {
  await page?.close();
  page = undefined;
  await server?.close();
  server = undefined;
});

/** A server whose log holds one delivery of each kind a phone must tell apart: succeeded, retrying, dead. */
async function serverWithDeliveries(): Promise<Server> {
  const clock = new ManualClock(Date.UTC(2026, 0, 1, 9, 30));
  const s = await startDashboardServer({ clock, webhookSecret: "hush" }, (app) => {
    app.addWebhook("train_on_new_data", { retry: { maxAttempts: 3 } }, (payload) => {
      clock.advance(1_840);
      if (payload.repo.name.endsWith("broken")) throw new Error("CUDA out of memory");
      return { queued: true };
    });
    app.addWebhook("discussion_bot", { retry: { maxAttempts: 1 } }, (payload) => {
      if (payload.repo.type === "space") throw new Error("Space is sleeping");
      return { replied: true };
    });
  });
  const send = async (endpoint: string, fixture: string, repo: string, repoType?: string) => {
    clock.advance(47_000);
    await s.post(`/webhooks/${endpoint}`, getFixture(fixture, { repo, repoType }), { "x-webhook-secret": "hush" });
  };
  await send("train_on_new_data", "repo.content.update", "acme-research-lab/bert-tiny-finetuned-imdb");
  await send("train_on_new_data", "repo.content.update", "acme/broken", "dataset");
  await send("discussion_bot", "discussion.comment.create", "acme/demo", "space");
  await send("discussion_bot", "discussion.create.pull-request", "acme/whisper-small");
  return s;
}

async function open(s: Server, width: number, path = "/"): Promise<Page> {
  server = s;
  page = await browser!.newPage({ viewport: { width, height: 900 } });
  page.setDefaultTimeout(10_000);
  await page.goto(s.url + path);
  return page;
}

describe.skipIf(!HAS_CHROMIUM)("the dashboard at 420 and 1280 px (Chromium)", () => {
  beforeAll(async () => {
    mkdirSync(RESULTS, { recursive: true });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it("at 420 px every row shows its status without scrolling sideways, the time on one line (test-results/dashboard-rows-420.png)", async () => {
    const p = await open(await serverWithDeliveries(), 420);
    await p.locator("#deliveries tbody tr[data-status]").nth(3).waitFor();
    await p.screenshot({ path: join(RESULTS, "dashboard-rows-420.png"), fullPage: true });
    const rows = await p.evaluate(() => {
      const section = document.querySelector("section.deliveries")!;
      return {
        sectionScrolls: section.scrollWidth > section.clientWidth,
        pageWidth: document.documentElement.scrollWidth,
        rows: [...document.querySelectorAll("#deliveries tbody tr")].map((tr) => {
          const status = tr.querySelector(".status")!.getBoundingClientRect();
          const time = tr.querySelector("time")!;
          return {
            status: tr.getAttribute("data-status"),
            statusInView: status.left >= 0 && status.right <= 420 && status.width > 0,
            timeLines: Math.round(time.getBoundingClientRect().height / parseFloat(getComputedStyle(time).lineHeight || "20")),
          };
        }),
      };
    });
    expect(rows.sectionScrolls).toBe(false);
    expect(rows.pageWidth).toBeLessThanOrEqual(420);
    expect(rows.rows.map((r) => r.status).sort()).toEqual(["dead", "retrying", "succeeded", "succeeded"]);
    for (const row of rows.rows) expect(row).toMatchObject({ statusInView: true, timeLines: 1 });
  });

  it("at 1280 px it stays a table with its header row (test-results/dashboard-rows-1280.png)", async () => {
    const p = await open(await serverWithDeliveries(), 1280);
    await p.locator("#deliveries tbody tr[data-status]").nth(3).waitFor();
    await p.screenshot({ path: join(RESULTS, "dashboard-rows-1280.png"), fullPage: true });
    const layout = await p.evaluate(() => ({
      header: getComputedStyle(document.querySelector("#deliveries thead")!).display,
      row: getComputedStyle(document.querySelector("#deliveries tbody tr")!).display,
    }));
    expect(layout).toEqual({ header: "table-header-group", row: "table-row" });
  });

  it("the token page draws the 🤗 logo as the dashboard does, never the character (test-results/token-page-420.png)", async () => {
    const s = await startDashboardServer({ dashboardToken: "let-me-in" }, (app) => app.addWebhook("train", () => null));
    const p = await open(s, 420);
    await p.locator("#dashboard-gate").waitFor();
    await p.screenshot({ path: join(RESULTS, "token-page-420.png"), fullPage: true });
    const logo = await p.evaluate(() => ({
      text: document.body.innerText.includes("🤗"),
      drawn: [...document.querySelectorAll("svg.hf-logo")].map((svg) => svg.getAttribute("aria-label")),
      width: document.documentElement.scrollWidth,
    }));
    expect(logo).toEqual({ text: false, drawn: ["🤗"], width: 420 });
  });
});
