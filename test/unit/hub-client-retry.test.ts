import { inspect } from "node:util";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ManualClock } from "../../src/internal/clock.js";
import { HubApiError, HubClient, type HubClientOptions } from "../../src/hub/index.js";
import { respondInOrder, startFakeHub, type FakeHub } from "../helpers/fake-hub.js";

const TOKEN = "hf_retry_token_abcdef";
let hub: FakeHub;
let delays: number[];

beforeEach(async () => {
  hub = await startFakeHub();
  delays = [];
});
afterEach(async () => {
  await hub.close();
});

function client(options: HubClientOptions = {}): HubClient {
  return new HubClient({
    endpoint: hub.url,
    token: TOKEN,
    sleep: async (ms) => {
      delays.push(ms);
    },
    ...options,
  });
}

describe("HubClient retries (local stand-in for the Hub)", () => {
  it("retries 503 with exponential backoff, then succeeds", async () => {
    hub.respond(respondInOrder({ status: 503, body: "busy" }, { status: 502, body: "bad gateway" }));
    expect(await client().listWebhooks()).toEqual([]);
    expect(hub.requests).toHaveLength(3);
    expect(delays).toEqual([500, 1000]);
    // The retried request is the same request.
    expect(hub.requests.map((r) => `${r.method} ${r.path} ${r.headers.authorization}`)).toEqual(
      Array(3).fill(`GET /api/settings/webhooks Bearer ${TOKEN}`),
    );
  });

  it("honours Retry-After in seconds on 429", async () => {
    hub.respond(
      respondInOrder(
        { status: 429, headers: { "retry-after": "2" }, body: { error: "Too many requests" } },
        { status: 429, headers: { "retry-after": "0" } },
      ),
    );
    await client().listWebhooks();
    expect(delays).toEqual([2000, 0]);
    expect(hub.requests).toHaveLength(3);
  });

  it("honours Retry-After as an HTTP date, read against the injected clock", async () => {
    const clock = new ManualClock(Date.parse("Wed, 21 Oct 2026 07:27:55 GMT"));
    hub.respond(respondInOrder({ status: 503, headers: { "retry-after": "Wed, 21 Oct 2026 07:28:00 GMT" } }));
    await client({ clock }).listWebhooks();
    expect(delays).toEqual([5000]);
  });

  it("gives up at once when Retry-After exceeds maxDelayMs, exposing retryAfterMs", async () => {
    hub.respond(() => ({ status: 429, headers: { "retry-after": "120" }, body: { error: "Rate limited" } }));
    const error = (await client().listWebhooks().catch((e: unknown) => e)) as HubApiError;
    expect(error).toBeInstanceOf(HubApiError);
    expect(error).toMatchObject({ status: 429, hubMessage: "Rate limited", retryAfterMs: 120_000 });
    expect(hub.requests).toHaveLength(1);
    expect(delays).toEqual([]);
  });

  it("stops after maxAttempts and reports the last Hub status", async () => {
    hub.respond(() => ({ status: 503, body: { error: "Service Unavailable" } }));
    const error = await client({ retry: { maxAttempts: 3, initialDelayMs: 100, maxDelayMs: 150 } })
      .getWebhook("w1")
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "HUB_API", status: 503, hubMessage: "Service Unavailable" });
    expect(hub.requests).toHaveLength(3);
    expect(delays).toEqual([100, 150]);
  });

  it("caps the backoff at maxDelayMs (defaults 500/1000/2000 with 4 attempts)", async () => {
    hub.respond(() => ({ status: 500 }));
    const error = (await client().listWebhooks().catch((e: unknown) => e)) as HubApiError;
    expect(error.message).toBe("[hubhooks] Hub API GET /api/settings/webhooks failed with 500");
    expect(delays).toEqual([500, 1000, 2000]);
    expect(hub.requests).toHaveLength(4);
  });

  it("does not retry a 404 or a 400", async () => {
    await expect(client().getWebhook("missing")).rejects.toMatchObject({ status: 404 });
    hub.respond(() => ({ status: 400, body: { error: "Bad request" } }));
    await expect(client().listWebhooks()).rejects.toMatchObject({ status: 400 });
    expect(hub.requests).toHaveLength(2);
    expect(delays).toEqual([]);
  });

  it("retries dropped connections, then succeeds", async () => {
    hub.respond(respondInOrder({ networkError: true }));
    expect(await client().listWebhooks()).toEqual([]);
    expect(hub.requests).toHaveLength(2);
    expect(delays).toEqual([500]);
  });

  it("reports persistent network errors as HUB_API 502 without the token", async () => {
    hub.respond(() => ({ networkError: true }));
    const error = await client({ retry: { maxAttempts: 2 } })
      .listWebhooks()
      .catch((e: unknown) => e);
    expect(error).not.toBeInstanceOf(HubApiError);
    expect(error).toMatchObject({ code: "HUB_API", status: 502 });
    expect((error as Error).message).toMatch(
      /^\[hubhooks\] Hub API GET \/api\/settings\/webhooks failed after 2 attempt\(s\): network error/,
    );
    expect(inspect(error)).not.toContain(TOKEN);
    expect(hub.requests).toHaveLength(2);
  });
});

describe("HubClient never repeats a POST the Hub may have applied (local stand-in for the Hub)", () => {
  const ref = { repoType: "model" as const, repoId: "acme/m", num: 3 };

  it("a comment whose connection drops after sending is not sent again", async () => {
    hub.respond(respondInOrder({ networkError: true }));
    const error = await client().comment(ref, "thanks!").catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "HUB_API", status: 502 });
    expect((error as Error).message).toMatch(/not retried, since the Hub may have applied it$/);
    expect(hub.requests.map((r) => `${r.method} ${r.path}`)).toEqual(["POST /api/models/acme/m/discussions/3/comment"]);
    expect(delays).toEqual([]);
  });

  it("a comment answered 500 is not sent again; 429 with Retry-After (the Hub refused it) is", async () => {
    hub.respond(respondInOrder({ status: 500 }));
    await expect(client().comment(ref, "once")).rejects.toMatchObject({ status: 500 });
    expect(hub.requests).toHaveLength(1);
    hub.respond(respondInOrder({ status: 429, headers: { "retry-after": "1" }, body: { error: "slow down" } }));
    expect(await client().comment(ref, "later")).toMatchObject({});
    expect(hub.requests).toHaveLength(3);
    expect(delays).toEqual([1000]);
  });

  it("idempotent calls (a title, a GET) are still retried after a dropped connection", async () => {
    hub.respond(respondInOrder({ networkError: true }));
    await client().renameDiscussion(ref, "Better title");
    expect(hub.requests).toHaveLength(2);
  });

  it("every call takes an AbortSignal; whoAmI is asked once", async () => {
    const aborted = AbortSignal.abort(new Error("handler timed out"));
    await expect(client().comment(ref, "x", { signal: aborted })).rejects.toThrow("handler timed out");
    expect(hub.requests).toHaveLength(0);
    const c = client();
    expect(await c.whoAmI()).toMatchObject({ id: "u-bot", name: "hubhooks-bot" });
    await c.whoAmI();
    expect(hub.requests.map((r) => r.path)).toEqual(["/api/whoami-v2"]);
  });
});

