import { mkdtempSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pino } from "pino";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { DEV_STATE_FILE, secretFingerprint } from "../../src/dev/dev-state.js";
import { endpointRouteOf, resolveRegisterOptions } from "../../src/dev/register-options.js";
import { registerWebhook, type RegisterWebhookInput } from "../../src/dev/register-webhook.js";
import { HubhooksError } from "../../src/errors.js";
import { HubClient } from "../../src/hub/hub-client.js";
import { respondInOrder, startFakeHub, type FakeHub } from "../helpers/fake-hub.js";

const URL_A = "https://smee.example/AbCdEf?path=/webhooks/train";
const URL_B = "https://smee.example/GhIjKl?path=/webhooks/train";
const WATCHED = [{ type: "model", name: "me/my-model" }];

let hub: FakeHub;
let stateDir: string;
let lines: string[];

beforeEach(async () => {
  hub = await startFakeHub({ token: "hf_test" });
  stateDir = join(mkdtempSync(join(tmpdir(), "hubhooks-dev-")), ".hubhooks");
  lines = [];
});
afterEach(() => hub.close());

function run(overrides: Partial<RegisterWebhookInput> = {}) {
  return registerWebhook({
    hub: new HubClient({ endpoint: hub.url, token: "hf_test", sleep: async () => {} }),
    urls: [URL_A],
    options: { watch: ["model:me/my-model"], domains: ["repo"] },
    stateDir,
    logger: pino({ level: "silent" }),
    print: (line) => lines.push(line),
    ...overrides,
  });
}

const state = () => JSON.parse(readFileSync(join(stateDir, DEV_STATE_FILE), "utf8"));
const calls = () => hub.requests.map((r) => `${r.method} ${r.path}`);

describe("registerWebhook (local stand-in for the Hub over real HTTP)", () => {
  it("creates one webhook per endpoint with watched, url, domains and a generated secret, and remembers it", async () => {
    const result = await run();
    expect(hub.requests).toHaveLength(1);
    const [create] = hub.requests;
    expect(create.method).toBe("POST");
    expect(create.path).toBe("/api/settings/webhooks");
    expect(create.headers.authorization).toBe("Bearer hf_test");
    expect(create.body).toEqual({ watched: WATCHED, url: URL_A, domains: ["repo"], secret: result.secret });
    expect(result.secret).toMatch(/^[A-Za-z0-9_-]{32}$/);
    const id = [...hub.webhooks.keys()][0];
    expect(result.webhooks).toEqual([{ id, url: URL_A, action: "created" }]);
    expect(state()).toEqual({
      version: 1,
      secret: result.secret,
      webhooks: { "/webhooks/train": { id, hub: hub.url, url: URL_A, secretSha256: secretFingerprint(result.secret) } },
    });
    expect(statSync(join(stateDir, DEV_STATE_FILE)).mode & 0o777).toBe(0o600);
    expect(lines).toEqual([
      `Generated a webhook secret, kept in ${join(stateDir, DEV_STATE_FILE)} (set WEBHOOK_SECRET to choose your own).`,
      `Created Hub webhook ${id} for /webhooks/train: ${hub.url}/settings/webhooks/${id}`,
    ]);
    expect(lines.join("\n")).not.toContain(result.secret);
  });

  it("a second run with the same state reuses the webhook and the secret: no create, no update", async () => {
    const first = await run();
    hub.requests.length = 0;
    const second = await run();
    expect(second.secret).toBe(first.secret);
    expect(second.webhooks).toEqual([{ id: first.webhooks[0].id, url: URL_A, action: "updated" }]);
    expect(calls()).toEqual([`GET /api/settings/webhooks/${first.webhooks[0].id}`]);
    expect(hub.webhooks.size).toBe(1);
    expect(lines.at(-1)).toBe(
      `Reusing Hub webhook ${first.webhooks[0].id} for /webhooks/train (unchanged): ${hub.url}/settings/webhooks/${first.webhooks[0].id}`,
    );
  });

  it("a changed public URL updates the webhook with the new url only", async () => {
    const { webhooks } = await run();
    const id = webhooks[0].id;
    hub.requests.length = 0;
    const again = await run({ urls: [URL_B] });
    expect(again.webhooks).toEqual([{ id, url: URL_B, action: "updated" }]);
    expect(hub.requests.map((r) => [r.method, r.path, r.body])).toEqual([
      ["GET", `/api/settings/webhooks/${id}`, undefined],
      ["POST", `/api/settings/webhooks/${id}`, { url: URL_B }],
    ]);
    expect(hub.webhooks.get(id)?.url).toBe(URL_B);
    expect(state().webhooks["/webhooks/train"].url).toBe(URL_B);
    expect(lines.at(-1)).toBe(`Updated Hub webhook ${id} for /webhooks/train (url): ${hub.url}/settings/webhooks/${id}`);
  });

  it("sends watched, domains and secret too when they changed, and only those", async () => {
    const { webhooks, secret } = await run();
    const id = webhooks[0].id;
    hub.requests.length = 0;
    const options = { watch: ["model:me/my-model", "org:my-org"], domains: ["repo" as const, "discussion" as const] };
    const again = await run({ urls: [URL_B], options, secret: "configured-secret" });
    expect(again.secret).toBe("configured-secret");
    expect(hub.requests[1]).toMatchObject({
      method: "POST",
      path: `/api/settings/webhooks/${id}`,
      body: {
        url: URL_B,
        watched: [...WATCHED, { type: "org", name: "my-org" }],
        domains: ["repo", "discussion"],
        secret: "configured-secret",
      },
    });
    // A configured secret is used, not stored: the generated one stays for runs without one.
    expect(state().secret).toBe(secret);
    expect(JSON.stringify(state())).not.toContain("configured-secret");
    expect(lines.join("\n")).not.toContain("configured-secret");
  });

  it("tells a changed secret by its fingerprint when the Hub does not echo secrets", async () => {
    const { webhooks } = await run({ secret: "one" });
    const id = webhooks[0].id;
    hub.respond((r) => (r.method === "GET" ? { status: 200, body: { webhook: { ...hub.webhooks.get(id), secret: undefined } } } : undefined));
    hub.requests.length = 0;
    await run({ secret: "one" });
    expect(calls()).toEqual([`GET /api/settings/webhooks/${id}`]);
    await run({ secret: "two" });
    expect(hub.requests.at(-1)).toMatchObject({ method: "POST", path: `/api/settings/webhooks/${id}`, body: { secret: "two" } });
  });

  it("cleanup disables the webhooks and the next run re-enables them", async () => {
    const first = await run();
    const id = first.webhooks[0].id;
    hub.requests.length = 0;
    await first.cleanup();
    await first.cleanup(); // idempotent
    expect(calls()).toEqual([`POST /api/settings/webhooks/${id}/disable`]);
    expect(hub.webhooks.get(id)?.disabled).toBe(true);
    expect(state().webhooks["/webhooks/train"].id).toBe(id);
    expect(lines.at(-1)).toBe(`Disabled Hub webhook ${id} for /webhooks/train (the next run re-enables it).`);

    hub.requests.length = 0;
    const second = await run();
    expect(second.webhooks).toEqual([{ id, url: URL_A, action: "updated" }]);
    expect(calls()).toEqual([`GET /api/settings/webhooks/${id}`, `POST /api/settings/webhooks/${id}/enable`]);
    expect(hub.webhooks.get(id)?.disabled).toBe(false);
    expect(lines.at(-1)).toBe(`Updated Hub webhook ${id} for /webhooks/train (re-enabled): ${hub.url}/settings/webhooks/${id}`);
  });

  it('cleanup "delete" deletes the webhooks and forgets their ids; the next run creates new ones', async () => {
    const first = await run({ options: { watch: ["model:me/my-model"], cleanup: "delete" } });
    const id = first.webhooks[0].id;
    hub.requests.length = 0;
    await first.cleanup();
    expect(hub.requests.map((r) => [r.method, r.path])).toEqual([["DELETE", `/api/settings/webhooks/${id}`]]);
    expect(hub.webhooks.size).toBe(0);
    expect(state().webhooks).toEqual({});
    expect(state().secret).toBe(first.secret);
    expect(lines.at(-1)).toBe(`Deleted Hub webhook ${id} for /webhooks/train.`);

    hub.requests.length = 0;
    const second = await run();
    expect(second.webhooks[0].action).toBe("created");
    expect(second.webhooks[0].id).not.toBe(id);
    expect(calls()).toEqual(["POST /api/settings/webhooks"]);
    expect(second.secret).toBe(first.secret);
  });

  it("creates a new webhook when the Hub no longer knows the remembered one (404 on get)", async () => {
    const first = await run();
    const id = first.webhooks[0].id;
    hub.webhooks.delete(id);
    hub.requests.length = 0;
    const second = await run();
    const newId = second.webhooks[0].id;
    expect(newId).not.toBe(id);
    expect(second.webhooks[0].action).toBe("created");
    expect(calls()).toEqual([`GET /api/settings/webhooks/${id}`, "POST /api/settings/webhooks"]);
    expect(state().webhooks["/webhooks/train"].id).toBe(newId);
  });

  it("creates a new webhook when the update answers 404 (deleted in between)", async () => {
    const first = await run();
    const id = first.webhooks[0].id;
    hub.requests.length = 0;
    hub.respond((r) =>
      r.method === "POST" && r.path === `/api/settings/webhooks/${id}` ? { status: 404, body: { error: "Webhook not found" } } : undefined,
    );
    const second = await run({ urls: [URL_B] });
    expect(calls()).toEqual([`GET /api/settings/webhooks/${id}`, `POST /api/settings/webhooks/${id}`, "POST /api/settings/webhooks"]);
    expect(hub.requests[2].body).toEqual({ watched: WATCHED, url: URL_B, domains: ["repo"], secret: first.secret });
    expect(second.webhooks[0]).toMatchObject({ url: URL_B, action: "created" });
    expect(second.webhooks[0].id).not.toBe(id);
  });

  it("one webhook per endpoint, keyed by route, on any tunnel URL shape", async () => {
    const urls = ["https://a.trycloudflare.com/webhooks/train", "https://a.trycloudflare.com/webhooks/bot/nested"];
    const result = await run({ urls });
    expect(result.webhooks.map((w) => w.action)).toEqual(["created", "created"]);
    expect(Object.keys(state().webhooks)).toEqual(["/webhooks/train", "/webhooks/bot/nested"]);
    // Same route behind another provider: the same webhook, new url.
    hub.requests.length = 0;
    const moved = await run({ urls: [URL_A] });
    expect(moved.webhooks).toEqual([{ id: result.webhooks[0].id, url: URL_A, action: "updated" }]);
  });

  it("ignores an id remembered for another Hub (HF_ENDPOINT changed)", async () => {
    const first = await run();
    const saved = state();
    saved.webhooks["/webhooks/train"].hub = "https://other-hub.example";
    writeFileSync(join(stateDir, DEV_STATE_FILE), JSON.stringify(saved));
    hub.requests.length = 0;
    const second = await run();
    expect(calls()).toEqual(["POST /api/settings/webhooks"]);
    expect(second.webhooks[0].id).not.toBe(first.webhooks[0].id);
  });

  it("cleanup reports a Hub failure without throwing, and forgets a webhook that is already gone", async () => {
    const first = await run({ urls: [URL_A, "https://x.example/webhooks/other"] });
    const [a, b] = first.webhooks.map((w) => w.id);
    hub.webhooks.delete(b);
    hub.respond(respondInOrder({ status: 400, body: { error: "nope" } }));
    await first.cleanup();
    expect(lines.slice(-2)).toEqual([
      `Could not disable Hub webhook ${a} for /webhooks/train: Hub API POST /api/settings/webhooks/${a}/disable failed with 400: nope`,
      `Hub webhook ${b} for /webhooks/other was already gone; forgot it.`,
    ]);
    expect(Object.keys(state().webhooks)).toEqual(["/webhooks/train"]);
  });

  it("fails without a token, before any request, and says to set HF_TOKEN", async () => {
    const error = await run({ hub: new HubClient({ endpoint: hub.url }) }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HubhooksError);
    expect((error as HubhooksError).code).toBe("UNAUTHORIZED");
    expect((error as Error).message).toMatch(/set HF_TOKEN/);
    expect(hub.requests).toEqual([]);
  });

  it("fails without --watch or with a bad watch item, before any request", async () => {
    await expect(run({ options: { watch: [] } })).rejects.toThrow(/needs at least one --watch type:name/);
    await expect(run({ options: { watch: ["mdl:x"] } })).rejects.toThrow(/Invalid watched item "mdl:x": unknown type "mdl"/);
    await expect(run({ options: { watch: ["model"] } })).rejects.toThrow(/expected "type:name"/);
    await expect(run({ options: { watch: ["model:a"], domains: ["discussions" as "discussion"] } })).rejects.toThrow(
      /Invalid --domain "discussions"/,
    );
    expect(hub.requests).toEqual([]);
  });

  it("refuses a state file it cannot read instead of orphaning its webhooks", async () => {
    await run();
    writeFileSync(join(stateDir, DEV_STATE_FILE), "{ not json");
    await expect(run()).rejects.toThrow(/is not a hubhooks dev state file; fix it or delete it/);
  });
});

describe("register options", () => {
  it("parses watch items (comma lists too), drops duplicates, defaults domains and cleanup", () => {
    expect(resolveRegisterOptions({ watch: ["model:a/b,org:acme", "model:a/b"] })).toEqual({
      watched: [
        { type: "model", name: "a/b" },
        { type: "org", name: "acme" },
      ],
      domains: ["repo", "discussion"],
      cleanup: "disable",
    });
    expect(() => resolveRegisterOptions({ watch: ["org:a"], cleanup: "remove" as "delete" })).toThrow(/Invalid --cleanup "remove"/);
  });

  it("finds the endpoint route of each tunnel's public URL", () => {
    expect(endpointRouteOf("https://smee.io/AbC?path=/webhooks/train")).toBe("/webhooks/train");
    expect(endpointRouteOf("https://x.trycloudflare.com/webhooks/a/b")).toBe("/webhooks/a/b");
    expect(endpointRouteOf("https://me.example/prefix/webhooks/train/")).toBe("/webhooks/train");
    expect(() => endpointRouteOf("ftp://x/webhooks/a")).toThrow(/expected an http\(s\) URL/);
  });
});
