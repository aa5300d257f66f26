import { describe, expect, it } from "vitest";
import { discord, slack, http, ForwardError } from "../../src/forward.js";
import { NonRetryableError } from "../../src/errors.js";
import { getFixture } from "../../src/payload/fixtures.js";
import { closeAfterEach } from "../helpers/close-after-each.js";
import { fakeDiscord, fakeReceiver, fakeSlack, DISCORD_PATH, type ChatStandIn } from "../helpers/fake-chat.js";

const push = getFixture("repo.content.update");
const input = { webhookId: "wh-1", deliveryId: "dlv_1", event: "repo.content.update" };
const keep = closeAfterEach();
const track = async <T extends ChatStandIn>(s: Promise<T>): Promise<T> => keep(await s);
/** Rate-limit waits are recorded, not slept. */
function recorder() {
  const waits: number[] = [];
  return { waits, wait: async (ms: number) => void waits.push(ms) };
}
async function failure(p: Promise<unknown>): Promise<Error> {
  const error = await p.then(() => null, (e: Error) => e);
  if (!error) throw new Error("expected a failure");
  expect(error.message).not.toMatch(/tok3n|token/);
  return error;
}

describe("discord() against a stand-in speaking Discord's webhook protocol", () => {
  it("posts one embed with mentions disabled, and 204 is sent", async () => {
    const d = await track(fakeDiscord());
    const dest = discord(d.url);
    expect(dest.label).toBe("discord:…/1234");
    expect(await dest.send(push, input)).toEqual({ sent: true, status: 204 });
    const body = d.requests[0]!.json;
    expect(body.allowed_mentions).toEqual({ parse: [] });
    expect(body.content).toBeUndefined();
    expect(body.embeds[0].title).toBe("New commit on main and new tag test in some-user/some-repo");
    expect(body.embeds).toHaveLength(1);
    expect(body.embeds[0].url).toBe(`https://huggingface.co/some-user/some-repo/commit/${push.repo.headSha}`);
    expect(d.requests[0]!.headers["content-type"]).toBe("application/json");
  });

  it("429: waits retry_after from the JSON body (1.5 s, more precise than the header's 2) and sends again", async () => {
    const d = await track(fakeDiscord());
    d.script(d.rateLimit(1.5));
    const { waits, wait } = recorder();
    expect(await discord(d.url, { wait }).send(push, input)).toEqual({ sent: true, status: 204 });
    expect(waits).toEqual([1500]);
    expect(d.requests).toHaveLength(2);
  });

  it("429: the Retry-After header when the body has no retry_after; too long a wait fails the attempt (retryable)", async () => {
    const d = await track(fakeDiscord());
    d.script({ status: 429, headers: { "retry-after": "3" }, body: "" });
    const { waits, wait } = recorder();
    await discord(d.url, { wait }).send(push, input);
    expect(waits).toEqual([3000]);
    d.script(d.rateLimit(120));
    const error = await failure(discord(d.url, { wait, maxRateLimitWaitMs: 60_000 }).send(push, input));
    expect(error).toBeInstanceOf(ForwardError);
    expect(error.message).toBe("[hubhooks] discord:…/1234: rate limited (429: You are being rate limited.); retry after 120 s");
    expect(waits).toEqual([3000]);
  });

  it("429s keep within one wait budget per call (maxRateLimitWaitMs), then the attempt fails to the queue's backoff", async () => {
    const d = await track(fakeDiscord());
    d.script(d.rateLimit(20), d.rateLimit(20), d.rateLimit(30));
    const { waits, wait } = recorder();
    const error = await failure(discord(d.url, { wait, maxRateLimitWaitMs: 60_000 }).send(push, input));
    expect([error instanceof ForwardError, (error as ForwardError).retryAfterMs]).toEqual([true, 30_000]);
    expect(waits).toEqual([20_000, 20_000]);
  });

  it("400 with Discord's error JSON is a NonRetryableError carrying Discord's message and the field", async () => {
    const d = await track(fakeDiscord());
    d.script({ status: 400, body: { message: "Invalid Form Body", code: 50035,
      errors: { embeds: { 0: { title: { _errors: [{ code: "BASE_TYPE_MAX_LENGTH", message: "Must be 256 or fewer in length." }] } } } } } });
    const error = await failure(discord(d.url).send(push, input));
    expect(error).toBeInstanceOf(NonRetryableError);
    expect(error.message).toBe("discord:…/1234: answered 400 (Invalid Form Body (50035): embeds.0.title: Must be 256 or fewer in length.)");
  });

  it("404 unknown webhook (a deleted or wrong URL) is a NonRetryableError", async () => {
    const d = await track(fakeDiscord());
    const error = await failure(discord(`${d.origin}/api/webhooks/999/wrong-token`).send(push, input));
    expect(error).toBeInstanceOf(NonRetryableError);
    expect(error.message).toBe("discord:…/999: answered 404 (Unknown Webhook (10015))");
  });

  it("a message over Discord's limits is cut to them, so Discord accepts it", async () => {
    const d = await track(fakeDiscord());
    const long = "x".repeat(5000);
    const dest = discord(d.url, { format: () => ({ content: long, embeds: Array.from({ length: 12 }, () => ({ title: long, description: long })) }) });
    expect(await dest.send(push, input)).toEqual({ sent: true, status: 204 });
    const body = d.requests[0]!.json;
    expect(body.content).toHaveLength(2000);
    expect(body.embeds.length).toBeLessThanOrEqual(10);
    const total = body.embeds.reduce((n: number, e: { title?: string; description?: string }) => n + (e.title?.length ?? 0) + (e.description?.length ?? 0), 0);
    expect(total).toBeLessThanOrEqual(6000);
    expect(body.embeds[0].title).toHaveLength(256);
  });

  it("5xx, a dropped connection and a timeout are retryable ForwardErrors; format null skips without a request", async () => {
    const d = await track(fakeDiscord());
    d.script({ status: 502, body: "Bad Gateway" }, { status: 0, drop: true }, { status: 0, hang: true });
    const dest = discord(d.url, { timeoutMs: 200 });
    const e1 = await failure(dest.send(push, input));
    expect([e1 instanceof ForwardError, e1.message]).toEqual([true, "[hubhooks] discord:…/1234: answered 502 (Bad Gateway)"]);
    const e2 = await failure(dest.send(push, input));
    expect(e2.message).toMatch(/^\[hubhooks\] discord:…\/1234: could not connect \(\w+\)$/);
    const e3 = await failure(dest.send(push, input));
    expect(e3.message).toBe("[hubhooks] discord:…/1234: no answer within 200 ms");
    expect(await discord(d.url, { format: () => null }).send(push, input)).toEqual({ sent: false, skipped: "format returned null" });
    expect(d.requests).toHaveLength(3);
  });

  it("the handler's signal aborts the call with its own reason", async () => {
    const d = await track(fakeDiscord());
    d.script({ status: 0, hang: true });
    const controller = new AbortController();
    const sent = discord(d.url).send(push, { ...input, signal: controller.signal });
    for (let i = 0; i < 10_000 && d.requests.length === 0; i++) await new Promise((r) => setImmediate(r));
    expect(d.requests).toHaveLength(1);
    controller.abort(new Error("handler timed out"));
    await expect(sent).rejects.toThrow("handler timed out");
  });

  it("endpoint.forward() refuses what is not a destination, naming the right call", async () => {
    const { Endpoint } = await import("../../src/server/endpoint.js");
    const endpoint = new Endpoint("x", "/webhooks/x", {});
    expect(() => endpoint.forward("https://discord.com/api/webhooks/1/t" as never)).toThrow(
      '[hubhooks] forward() takes a destination from "hubhooks/forward": forward(discord(url)), forward(slack(url)) or forward(http(url)).',
    );
  });

  it("refuses a URL that is not a Discord webhook, without repeating it", () => {
    expect(() => discord("https://discord.com/channels/123/SECRET")).toThrow(
      "[hubhooks] discord(url): not the expected URL shape; expected a Discord webhook URL such as https://discord.com/api/webhooks/{id}/{token}.",
    );
    expect(() => discord("")).toThrow("discord(url): an empty string;");
    expect(DISCORD_PATH).toContain("1234");
  });
});

describe("slack() against a stand-in speaking Slack's incoming-webhook protocol", () => {
  it("200 ok: mrkdwn text and blocks with the title linked", async () => {
    const s = await track(fakeSlack());
    const dest = slack(s.url);
    expect(dest.label).toBe("slack:…/WXYZ");
    expect(await dest.send(push, input)).toEqual({ sent: true, status: 200 });
    const body = s.requests[0]!.json;
    expect(body.text).toBe("New commit on main and new tag test in some-user/some-repo");
    expect(body.blocks[0].text.text).toContain(`*<https://huggingface.co/some-user/some-repo/commit/${push.repo.headSha}|`);
  });

  it.each([
    [400, "invalid_payload"],
    [403, "action_prohibited"],
    [410, "channel_is_archived"],
  ])("%i %s is a NonRetryableError with Slack's word", async (status, word) => {
    const s = await track(fakeSlack());
    s.script({ status, body: word });
    const error = await failure(slack(s.url).send(push, input));
    expect(error).toBeInstanceOf(NonRetryableError);
    expect(error.message).toBe(`slack:…/WXYZ: answered ${status} (${word})`);
  });

  it("404 no_service (a removed webhook) is a NonRetryableError", async () => {
    const s = await track(fakeSlack());
    const error = await failure(slack(`${s.origin}/services/T0001/B0000GONE/x`).send(push, input));
    expect(error.message).toBe("slack:…/GONE: answered 404 (no_service)");
  });

  it("429 waits Retry-After and sends again", async () => {
    const s = await track(fakeSlack());
    s.script({ status: 429, headers: { "retry-after": "1" }, body: "rate_limited" });
    const { waits, wait } = recorder();
    expect(await slack(s.url, { wait }).send(push, input)).toEqual({ sent: true, status: 200 });
    expect(waits).toEqual([1000]);
  });
});

describe("http() against a generic receiver", () => {
  it("relays the original bytes with Webhook-Id, the event, the delivery id, a secret and extra headers", async () => {
    const r = await track(fakeReceiver());
    const raw = new TextEncoder().encode(JSON.stringify(push, null, 1));
    const dest = http(r.url, { secret: "relay-secret", headers: { authorization: "Bearer x" } });
    expect(dest.label).toBe("http:…/n-x9");
    expect(await dest.send(push, { ...input, rawBody: raw })).toEqual({ sent: true, status: 200 });
    const got = r.requests[0]!;
    expect(got.text).toBe(JSON.stringify(push, null, 1));
    expect(got.headers).toMatchObject({ "webhook-id": "wh-1", "x-hubhooks-event": "repo.content.update", "x-hubhooks-delivery": "dlv_1",
      "x-webhook-secret": "relay-secret", authorization: "Bearer x" });
  });

  it("transform replaces the body (null skips); an error answer echoing the URL is redacted", async () => {
    const r = await track(fakeReceiver());
    const dest = http(r.url, { transform: (p) => (p.repo.private ? null : { repo: p.repo.name }) });
    await dest.send(push, input);
    expect(r.requests[0]!.json).toEqual({ repo: "some-user/some-repo" });
    expect(await dest.send({ ...push, repo: { ...push.repo, private: true } }, input)).toEqual({ sent: false, skipped: "transform returned null" });
    r.script({ status: 503, body: `upstream down for ${r.url}` });
    const error = await failure(dest.send(push, input));
    expect(error.message).toBe("[hubhooks] http:…/n-x9: answered 503 (upstream down for http:…/n-x9)");
  });

  it("a redirect is not followed (the body would go elsewhere) and not retried; redirect: manual, which Workers accept", async () => {
    const r = await track(fakeReceiver());
    const dest = http(r.url);
    r.script({ status: 302, headers: { location: "https://elsewhere.example/collect" } });
    const error = await failure(dest.send(push, input));
    expect(error).toBeInstanceOf(NonRetryableError);
    expect(error.message).toBe("http:…/n-x9: answered a redirect (302); check the URL");
    expect(r.requests).toHaveLength(1);
  });
});
