import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import { pino } from "pino";
import { describe, expect, it } from "vitest";
import { discord, slack } from "../../src/forward.js";
import { ManualClock } from "../../src/internal/clock.js";
import { fixture } from "../../src/payload/index.js";
import { startServer } from "../helpers/server.js";
import { closeAfterEach } from "../helpers/close-after-each.js";
import { fakeDiscord, fakeSlack, type ChatStandIn } from "../helpers/fake-chat.js";
import { runMain } from "../helpers/cli.js";

const keep = closeAfterEach();
const track = async <T extends { close(): Promise<void> }>(p: Promise<T>): Promise<T> => keep(await p);
const tmpDb = () => join(mkdtempSync(join(tmpdir(), "hubhooks-forward-")), "hubhooks.db");
const retry = { maxAttempts: 4, initialDelayMs: 1000, factor: 2, jitter: 0, maxDelayMs: 60_000 };

function capturedLogger() {
  const lines: string[] = [];
  const logger = pino({ level: "debug" }, new Writable({ write(chunk, _e, done) { lines.push(String(chunk)); done(); } }));
  return { lines, logger };
}

async function setup(d: ChatStandIn, s: ChatStandIn, order: "discord-first" | "slack-first") {
  const clock = new ManualClock(1_000_000);
  const { lines, logger } = capturedLogger();
  const server = await track(startServer({ clock, database: tmpDb(), logger }, (app) => {
    const endpoint = app.addWebhook("notify", { retry });
    if (order === "discord-first") endpoint.forward(discord(d.url)).forward(slack(s.url), { on: "repo.content" });
    else endpoint.forward(slack(s.url), { on: "repo.content" }).forward(discord(d.url));
  }));
  return { clock, lines, server };
}

describe("endpoint.forward(): each destination is its own durable step (real server, SQLite file, stand-ins speaking Discord's and Slack's protocols)", () => {
  it.each(["discord-first", "slack-first"] as const)(
    "Discord fails twice then succeeds: Slack is sent exactly once, Discord three times (%s)",
    async (order) => {
      const d = await track(fakeDiscord());
      const s = await track(fakeSlack());
      d.script({ status: 502, body: "Bad Gateway" }, { status: 503, body: "upstream connect error" });
      const { clock, lines, server } = await setup(d, s, order);
      const res = await server.post("/webhooks/notify", fixture("repo.content.update"), { "webhook-id": "wh-forward-1" });
      expect(res.status).toBe(202);
      const id = res.headers.get("x-hubhooks-delivery")!;
      await server.app.queue!.drain();
      const slackStep = order === "discord-first" ? "forward:1:slack:…/WXYZ" : "forward:0:slack:…/WXYZ";
      expect(await server.app.store!.get(id)).toMatchObject({ status: "retrying", attempts: 1, completedSteps: [slackStep] });
      clock.advance(1000);
      await server.app.queue!.drain();
      expect(await server.app.store!.get(id)).toMatchObject({ status: "retrying", attempts: 2 });
      clock.advance(2000);
      await server.app.queue!.drain();
      const done = await server.app.store!.get(id);
      expect(done).toMatchObject({ status: "succeeded", attempts: 3,
        result: { forwarded: { "slack:…/WXYZ": "sent in an earlier attempt", "discord:…/1234": "sent (204)" } } });
      expect([d.requests.length, s.requests.length]).toEqual([3, 1]);
      expect(d.requests.every((r) => r.text === d.requests[0]!.text)).toBe(true);
      const attempts = await server.app.store!.attempts(id);
      expect(attempts.map((a) => [a.attempt, a.outcome, a.error])).toEqual([
        [1, "failed", "[hubhooks] discord:…/1234: answered 502 (Bad Gateway)"],
        [2, "failed", "[hubhooks] discord:…/1234: answered 503 (upstream connect error)"],
        [3, "succeeded", null],
      ]);
      // The URLs (credentials) never reach the log, the stored delivery or the API.
      const api = await (await fetch(`${server.info.localUrl}/api/deliveries/${id}`)).text();
      for (const text of [lines.join(""), JSON.stringify(done), JSON.stringify(attempts), api]) {
        expect(text).not.toMatch(/tok3n/);
      }
      expect(api).toContain("discord:…/1234");
    },
  );

  it("a dead Discord webhook (404) never blocks Slack: Slack is sent, the delivery goes dead with Discord's message", async () => {
    const d = await track(fakeDiscord());
    const s = await track(fakeSlack());
    const clock = new ManualClock(1_000_000);
    const server = await track(startServer({ clock, database: tmpDb() }, (app) => {
      app.addWebhook("notify", { retry }).forward(discord(`${d.origin}/api/webhooks/4321/gone-tok3n-x9`)).forward(slack(s.url));
    }));
    const id = (await server.post("/webhooks/notify", fixture("discussion.create.pull-request"))).headers.get("x-hubhooks-delivery")!;
    await server.app.queue!.drain();
    expect(await server.app.store!.get(id)).toMatchObject({
      status: "dead", attempts: 1, error: "discord:…/4321: answered 404 (Unknown Webhook (10015))", completedSteps: ["forward:1:slack:…/WXYZ"],
    });
    expect(s.requests).toHaveLength(1);
    // Each destination's outcome in the delivery's detail: the CLI and the dashboard name the step done and the failure.
    const shown = await runMain(["deliveries", "show", id], { env: { HUBHOOKS_URL: server.info.localUrl } });
    expect(shown.stdout).toMatch(/error +discord:…\/4321: answered 404 \(Unknown Webhook \(10015\)\)\n/);
    expect(shown.stdout).toMatch(/steps done +forward:1:slack:…\/WXYZ\n/);
    const page = await (await fetch(`${server.info.localUrl}/?id=${id}`)).text();
    expect(page).toContain("<dt>Steps done</dt><dd><code>forward:1:slack:…/WXYZ</code>");
    expect(page).toContain("discord:…/4321: answered 404 (Unknown Webhook (10015))");
    expect(shown.stdout + page).not.toMatch(/tok3n/);
  });

  it("two destinations failing: one error naming both, retried while one of them may still succeed", async () => {
    const d = await track(fakeDiscord());
    const s = await track(fakeSlack());
    d.script({ status: 502, body: "Bad Gateway" });
    s.script({ status: 403, body: "action_prohibited" });
    const server = await track(startServer({ clock: new ManualClock(0), database: tmpDb() }, (app) => {
      app.addWebhook("notify", { retry }).forward(discord(d.url)).forward(slack(s.url));
    }));
    const id = (await server.post("/webhooks/notify", fixture("repo.create"))).headers.get("x-hubhooks-delivery")!;
    await server.app.queue!.drain();
    expect(await server.app.store!.get(id)).toMatchObject({ status: "retrying", completedSteps: [],
      error: "discord:…/1234: answered 502 (Bad Gateway); slack:…/WXYZ: answered 403 (action_prohibited)" });
  });

  it("filters per destination: a format returning null is recorded as skipped; events no destination wants are skipped", async () => {
    const d = await track(fakeDiscord());
    const s = await track(fakeSlack());
    const server = await track(startServer({ database: tmpDb() }, (app) => {
      app.addWebhook("notify")
        .forward(discord(d.url, { format: (p) => (p.repo.private ? null : `push to ${p.repo.name}`) }), { on: "repo.content.update", ref: "refs/tags/*" })
        .forward(slack(s.url), { on: "discussion", repoType: "space" });
    }));
    const push = await server.post("/webhooks/notify", fixture("repo.content.update", { repo: { private: true } }));
    const comment = await server.post("/webhooks/notify", fixture("discussion.comment.create"));
    await server.app.queue!.drain();
    expect(await server.app.store!.get(push.headers.get("x-hubhooks-delivery")!)).toMatchObject({
      status: "succeeded", result: { forwarded: { "discord:…/1234": "skipped: format returned null" } },
    });
    expect(await server.app.store!.get(comment.headers.get("x-hubhooks-delivery")!)).toMatchObject({
      status: "skipped", error: 'no route matched event "discussion.comment.create"',
    });
    expect([d.requests.length, s.requests.length]).toEqual([0, 0]);
  });
});
