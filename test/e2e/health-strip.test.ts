import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium, type Browser } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { HubClient } from "../../src/hub/index.js";
import { ManualClock } from "../../src/internal/clock.js";
import { getFixture } from "../../src/payload/index.js";
import { NonRetryableError } from "../../src/errors.js";
import { startFakeHub } from "../helpers/fake-hub.js";
import { startDashboardServer } from "./dashboard-harness.js";

const CHROMIUM = "/usr/bin/chromium";
const HAS_CHROMIUM = existsSync(CHROMIUM);
// Screenshots go to test-results/ (ignored): a test never rewrites a tracked file.
const SHOTS = join(dirname(fileURLToPath(import.meta.url)), "../../test-results");
const HOUR = 3_600_000;
const START = Date.UTC(2026, 11, 5, 0, 0, 0);

const cleanup: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const fn of cleanup.splice(0).reverse()) await fn();
});
let browser: Browser | undefined;
beforeAll(async () => {
  if (HAS_CHROMIUM) browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox"] });
});
afterAll(async () => {
  await browser?.close();
});

describe.skipIf(!HAS_CHROMIUM)("dashboard health strip (Chromium; local Hub stand-in for the webhook state)", () => {
  it("per endpoint: hourly chart by outcome, success rate, p50/p95, last delivery, Hub state; one read per page; 1280 and 420 px", async () => {
    const clock = new ManualClock(START);
    const hub = await startFakeHub();
    cleanup.push(() => hub.close());
    let failNext = 0;
    const s = await startDashboardServer(
      { clock, hub: new HubClient({ endpoint: hub.url, token: "hf_bot" }) },
      (app) => {
        app.addWebhook("train", () => "ok");
        app.addWebhook("flaky", { retry: { maxAttempts: 1 } }, () => {
          if (failNext-- > 0) throw new NonRetryableError("model server down");
          return "ok";
        });
        app.addWebhook("quiet", () => "ok");
      },
    );
    cleanup.push(() => s.close());
    hub.webhooks.set("wh-train", { id: "wh-train", url: `${s.url}/webhooks/train`, watched: [], domains: ["repo"], disabled: "suspended-after-failure" });
    hub.webhooks.set("wh-flaky", { id: "wh-flaky", url: `${s.url}/webhooks/flaky`, watched: [], domains: ["repo"], disabled: false });
    await s.app.checkHubWebhooks();

    // 30 h of traffic: the first 6 h fall outside the window. train: 2 per hour; flaky: 1 per hour, every 4th dead.
    for (let h = 0; h < 30; h++) {
      for (let i = 0; i < 2; i++) expect((await s.post("/webhooks/train", getFixture("repo.content.update"))).status).toBe(200);
      failNext = h % 4 === 0 ? 1 : 0;
      await s.post("/webhooks/flaky", getFixture("repo.update"));
      if (h < 29) clock.advance(HOUR);
    }
    clock.advance(12 * 60_000); // "now" is 12 min after the last deliveries

    let reads = 0;
    const store = s.app.store!;
    const read = store.deliveryHealth!.bind(store);
    store.deliveryHealth = (since) => {
      reads++;
      return read(since);
    };

    const page = await browser!.newPage({ viewport: { width: 1280, height: 900 } });
    cleanup.push(() => page.close());
    const blocked: string[] = [];
    page.on("console", (m) => {
      if (/Content Security Policy/i.test(m.text())) blocked.push(m.text());
    });
    await page.goto(`${s.url}/`);
    expect(reads).toBe(1);
    const strip = page.locator("section.health");
    await expect.poll(() => strip.locator(".hs-row").count()).toBe(3);
    const rowText = async (name: string) => (await strip.locator(`.hs-row[data-endpoint="${name}"]`).innerText()).replace(/\s+/g, " ");
    // 24 h window: train 48, success 100 %; flaky 24 with 6 dead (hours 6, 10, … 26 of 30 → 6 in the window).
    expect(await rowText("train")).toContain("Hub: suspended");
    expect(await rowText("train")).toMatch(/deliveries 48 success 100\.0 % p50 \/ p95 ≤ 5 ms \/ ≤ 5 ms last 12 min ago/);
    expect(await rowText("flaky")).toContain("Hub: enabled");
    expect(await rowText("flaky")).toMatch(/deliveries 24 success 75\.0 %/);
    expect(await rowText("quiet")).toMatch(/Hub: no webhook found.*deliveries 0 success – p50 \/ p95 – last none in 24 h/);
    // The chart: one stacked bar per hour, coloured by outcome.
    expect(await strip.locator('.hs-row[data-endpoint="flaky"] rect[fill="#dc2626"]').count()).toBe(6);
    expect(await strip.locator('.hs-row[data-endpoint="train"] rect[fill="#16a34a"]').count()).toBe(24);
    expect(await page.locator("p.banner[data-state=suspended]").innerText()).toContain("hubhooks webhooks enable wh-train");

    await page.screenshot({ path: join(SHOTS, "health-strip-1280.png"), fullPage: false });
    await page.setViewportSize({ width: 420, height: 900 });
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await strip.screenshot({ path: join(SHOTS, "health-strip-420.png") });
    expect(blocked).toEqual([]);
  }, 60_000);
});
