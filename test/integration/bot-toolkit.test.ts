import { afterEach, describe, expect, it } from "vitest";
import { HubClient } from "../../src/hub/index.js";
import { ManualClock } from "../../src/internal/clock.js";
import { getFixture } from "../../src/payload/index.js";
import type { FailedAttempt } from "../../src/queue/types.js";
import { startFakeHub, type FakeHub } from "../helpers/fake-hub.js";
import { startServer } from "../helpers/server.js";

// A discussion bot on a real server, against a local stand-in for the Hub that speaks its REST protocol.
const cleanup: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const fn of cleanup.splice(0).reverse()) await fn();
});
const BOT_ID = "61d2000c3c2083e1c08af22d"; // the author of the documented comment fixture

async function hubFor(whoami: { id: string; name: string }): Promise<FakeHub> {
  const hub = await startFakeHub({ whoami });
  cleanup.push(() => hub.close());
  return hub;
}

describe("ignoreSelf (local Hub stand-in answering whoami-v2)", () => {
  it("skips a comment event authored by the token's own user, answers one by someone else, asks who it is once", async () => {
    const hub = await hubFor({ id: BOT_ID, name: "my-bot" });
    const replies: string[] = [];
    const s = await startServer({ hub: new HubClient({ endpoint: hub.url, token: "hf_bot" }) }, (app) =>
      app.addWebhook("bot").on("discussion.comment.create", { ignoreSelf: true }, (p) => void replies.push(String(p.comment.id))),
    );
    cleanup.push(() => s.close());
    const own = await s.post("/webhooks/bot", getFixture("discussion.comment.create"));
    expect(await own.text()).toBe("null");
    const other = await s.post("/webhooks/bot", getFixture("discussion.comment.create", { set: { "comment.author.id": "someone-else", "comment.id": "c-2" } }));
    expect(other.status).toBe(200);
    expect(replies).toEqual(["c-2"]);
    expect(await s.app.store!.get(own.headers.get("x-hubhooks-delivery")!)).toMatchObject({
      status: "skipped", error: "authored by the Hub token's own user (ignoreSelf)",
    });
    expect(hub.requests.filter((r) => r.path === "/api/whoami-v2")).toHaveLength(1);
  });

  it("as an endpoint option, and without a Hub token it fails for good with a clear reason", async () => {
    const hub = await hubFor({ id: BOT_ID, name: "my-bot" });
    const s = await startServer({ hub: new HubClient({ endpoint: hub.url, token: "hf_bot" }) }, (app) =>
      app.addWebhook("bot", { ignoreSelf: true }, () => "answered"),
    );
    cleanup.push(() => s.close());
    expect(await (await s.post("/webhooks/bot", getFixture("discussion.comment.create"))).text()).toBe("null");
    const tokenless = await startServer({}, (app) => app.addWebhook("bot", { ignoreSelf: true }, () => "answered"));
    cleanup.push(() => tokenless.close());
    const res = await tokenless.post("/webhooks/bot", getFixture("discussion.comment.create"));
    expect(res.status).toBe(202);
    expect(await res.json()).toMatchObject({ status: "dead", error: expect.stringMatching(/^ignoreSelf needs a Hub token/) });
  });
});

describe("onError / onDead hooks", () => {
  it("onError once per failed attempt, onDead once when the delivery goes dead; a hook that throws changes nothing", async () => {
    const clock = new ManualClock(0);
    const errors: FailedAttempt[] = [];
    const deaths: FailedAttempt[] = [];
    const s = await startServer(
      {
        clock,
        onError: (f) => {
          errors.push(f);
          throw new Error("the alerting service is down");
        },
        onDead: (f) => void deaths.push(f),
      },
      (app) => app.addWebhook("flaky", { retry: { maxAttempts: 2, jitter: 0, initialDelayMs: 10 } }, () => {
        throw new Error("model server unreachable");
      }),
    );
    cleanup.push(() => s.close());
    const res = await s.post("/webhooks/flaky", getFixture("repo.create"));
    const id = res.headers.get("x-hubhooks-delivery")!;
    clock.advance(10);
    await s.app.queue!.drain();
    expect(errors.map((f) => [f.delivery.id, f.attempt, f.error.message, f.nextAttemptAt])).toEqual([
      [id, 1, "model server unreachable", 10],
      [id, 2, "model server unreachable", null],
    ]);
    expect(deaths.map((f) => [f.delivery.id, f.attempt])).toEqual([[id, 2]]);
    expect(await s.app.store!.get(id)).toMatchObject({ status: "dead", attempts: 2 });
  });
});

describe("webhook health on the Hub (local Hub stand-in)", () => {
  it("finds the Hub webhooks pointing at this server; a disabled one is on the dashboard with the fix, and in /metrics", async () => {
    const hub = await hubFor({ id: "u-1", name: "me" });
    const s = await startServer({ hub: new HubClient({ endpoint: hub.url, token: "hf_bot" }) }, (app) => app.addWebhook("train", () => 1));
    cleanup.push(() => s.close());
    const url = `${s.info.localUrl}/webhooks/train`;
    hub.webhooks.set("wh-ours", { id: "wh-ours", url: `${url}?secret=hush`, watched: [], domains: ["repo"], disabled: true, disabledReason: "too many failures" } as never);
    hub.webhooks.set("wh-other", { id: "wh-other", url: "https://elsewhere.example/webhooks/train", watched: [], domains: ["repo"], disabled: true } as never);
    const states = await s.app.checkHubWebhooks();
    expect(states).toEqual([{ id: "wh-ours", url, state: "disabled", disabled: true, extra: { disabledReason: "too many failures" } }]);
    const page = await (await fetch(s.info.localUrl + "/")).text();
    expect(page).toContain("The Hub has disabled webhook <code>wh-ours</code>");
    expect(page).toContain("<code>hubhooks webhooks enable wh-ours</code>");
    expect(page).toContain("too many failures");
    expect(page).not.toContain("hush");
    expect(await (await fetch(s.info.localUrl + "/metrics")).text()).toContain('hubhooks_hub_webhook_disabled{webhook="wh-ours"} 1');
    hub.webhooks.get("wh-ours")!.disabled = false;
    await s.app.checkHubWebhooks();
    expect(await (await fetch(s.info.localUrl + "/")).text()).not.toContain("The Hub has disabled webhook");
    expect(await (await fetch(s.info.localUrl + "/metrics")).text()).toContain('hubhooks_hub_webhook_disabled{webhook="wh-ours"} 0');
  });
});
