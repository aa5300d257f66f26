import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { respondInOrder, startFakeHub, type FakeHub } from "../helpers/fake-hub.js";

// The fake Hub is shared by several suites (client, CLI, tunnel registration): pin its own contract.
let hub: FakeHub;
const auth = { authorization: "Bearer hf_t", "content-type": "application/json" };

beforeEach(async () => {
  hub = await startFakeHub({ webhooks: [{ id: "seeded", url: "https://s.example/h", watched: [{ type: "org", name: "acme" }] }] });
});
afterEach(async () => {
  await hub.close();
});

describe("fake Hub (local stand-in for the Hub)", () => {
  it("listens on 127.0.0.1 and records method, raw path, lower-cased headers and JSON body", async () => {
    expect(hub.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    await fetch(`${hub.url}/api/settings/webhooks/seeded?x=1`, { method: "POST", headers: { ...auth, "X-Custom": "A" }, body: '{"url":"https://n.example"}' });
    expect(hub.requests[0]).toMatchObject({
      method: "POST",
      path: "/api/settings/webhooks/seeded?x=1",
      headers: { authorization: "Bearer hf_t", "x-custom": "A" },
      body: { url: "https://n.example" },
      rawBody: '{"url":"https://n.example"}',
    });
    expect(hub.webhooks.get("seeded")).toMatchObject({ url: "https://n.example", watched: [{ type: "org", name: "acme" }] });
  });

  it("answers 401 without a Bearer token and 404 for unknown webhooks, like the Hub", async () => {
    const noAuth = await fetch(`${hub.url}/api/settings/webhooks`);
    expect(noAuth.status).toBe(401);
    expect(await noAuth.json()).toEqual({ error: "Invalid credentials in Authorization header" });
    const missing = await fetch(`${hub.url}/api/settings/webhooks/nope`, { headers: auth });
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({ error: "Webhook not found" });
  });

  it("rejects the plural `discussions` domain and ambiguous targets with 400", async () => {
    const post = (body: unknown) =>
      fetch(`${hub.url}/api/settings/webhooks`, { method: "POST", headers: auth, body: JSON.stringify(body) });
    const watched = [{ type: "model", name: "u/m" }];
    const plural = await post({ watched, url: "https://x.example", domains: ["discussions"] });
    expect(plural.status).toBe(400);
    expect((await post({ watched, url: "https://x.example", jobSourceId: "j" })).status).toBe(400);
    expect((await post({ watched: [], url: "https://x.example" })).status).toBe(400);
    expect((await post({ watched, url: "https://x.example" })).status).toBe(200);
  });

  it("lets tests script responses, then falls back to the default routes", async () => {
    hub.respond(respondInOrder({ status: 503, headers: { "retry-after": "1" }, body: "busy" }));
    const first = await fetch(`${hub.url}/api/settings/webhooks`, { headers: auth });
    expect([first.status, first.headers.get("retry-after"), await first.text()]).toEqual([503, "1", "busy"]);
    const second = await fetch(`${hub.url}/api/settings/webhooks`, { headers: auth });
    expect(second.status).toBe(200);
    expect((await second.json()).map((w: { id: string }) => w.id)).toEqual(["seeded"]);
    expect(hub.requests).toHaveLength(2);
  });
});
