import { Writable } from "node:stream";
import { pino } from "pino";
import { describe, expect, it } from "vitest";
import { NonRetryableError } from "../../src/errors.js";
import { discord, slack } from "../../src/forward.js";
import { ManualClock } from "../../src/internal/clock.js";
import { fixture } from "../../src/payload/index.js";
import { resolveOptions } from "../../src/server/options.js";
import { fakeDiscord, fakeSlack, type ChatStandIn } from "../helpers/fake-chat.js";
import { startServer } from "../helpers/server.js";
import { closeAfterEach } from "../helpers/close-after-each.js";

const keep = closeAfterEach();
const track = async <T extends { close(): Promise<void> }>(p: Promise<T>): Promise<T> => keep(await p);

describe("alerts: deliveries gone dead and suspended Hub webhooks, through forward destinations (stand-ins speaking Discord's and Slack's protocols)", () => {
  it("a dead delivery posts one alert per endpoint per 5 minutes; the next says how many were held back", async () => {
    const d = await track(fakeDiscord());
    const clock = new ManualClock(1_000_000);
    const server = await track(startServer({ clock, alerts: discord(d.url) }, (app) =>
      app.addWebhook("train", () => {
        throw new NonRetryableError("dataset has no train split");
      })));
    const dead = async () => {
      await server.post("/webhooks/train", fixture("repo.content.update"));
      await server.app.queue!.drain();
    };
    await dead();
    await dead();
    expect(d.requests).toHaveLength(1);
    expect(d.requests[0]!.json.content).toMatch(
      /^⚠️ hubhooks: delivery dlv_\w+ to \/webhooks\/train \(repo\.content\.update on some-user\/some-repo\) is dead after 1 attempt: dataset has no train split\. Replay it from the dashboard once fixed\.$/,
    );
    expect(d.requests[0]!.json.allowed_mentions).toEqual({ parse: [] });
    clock.advance(5 * 60_000);
    await dead();
    expect(d.requests).toHaveLength(2);
    expect(d.requests[1]!.json.content).toMatch(/fixed\. \(1 more since the last alert\)$/);
  });

  it("a suspended Hub webhook: one alert per webhook per window, its URL shown as a path only", async () => {
    const s = await track(fakeSlack());
    const clock = new ManualClock(0);
    const { alerts } = resolveOptions({ env: {}, clock, alerts: [slack(s.url)] });
    const webhook = { id: "6390e855e30d9209411de93b", url: "https://me-bot.hf.space/webhooks/notify?secret=hunter2", disabled: "suspended-after-failure" };
    await alerts!.webhookSuspended(webhook);
    await alerts!.webhookSuspended(webhook);
    await alerts!.webhookSuspended({ ...webhook, id: "other" });
    expect(s.requests.map((r) => r.json.text)).toEqual([
      "⚠️ hubhooks: the Hub suspended webhook 6390e855e30d9209411de93b (/webhooks/notify) after failed deliveries. Re-enable it at https://huggingface.co/settings/webhooks (or: hubhooks webhooks enable 6390e855e30d9209411de93b).",
      "⚠️ hubhooks: the Hub suspended webhook other (/webhooks/notify) after failed deliveries. Re-enable it at https://huggingface.co/settings/webhooks (or: hubhooks webhooks enable other).",
    ]);
    expect(resolveOptions({ env: {} }).alerts).toBeUndefined();
  });

  it("an alert that cannot be sent is logged (no URL) and changes nothing about the delivery; the user's onDead still runs", async () => {
    const d = await track(fakeDiscord());
    const lines: string[] = [];
    const logger = pino({ level: "warn" }, new Writable({ write(chunk, _e, done) { lines.push(String(chunk)); done(); } }));
    let userHook = 0;
    const server = await track(startServer({ logger, alerts: discord(`${d.origin}/api/webhooks/77/revoked-tok3n`), onDead: () => void userHook++ }, (app) =>
      app.addWebhook("train", () => {
        throw new NonRetryableError("nope");
      })));
    const id = (await server.post("/webhooks/train", fixture("repo.create"))).headers.get("x-hubhooks-delivery")!;
    await server.app.queue!.drain();
    expect(await server.app.store!.get(id)).toMatchObject({ status: "dead", error: "nope" });
    expect(userHook).toBe(1);
    const hookLine = lines.map((l) => JSON.parse(l)).find((l) => l.msg === "the onDead hook threw");
    expect(hookLine?.err?.message).toBe("discord:…/77: answered 404 (Unknown Webhook (10015))");
    expect(lines.join("")).not.toContain("tok3n");
  });
});
