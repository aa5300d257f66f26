import { afterEach, describe, expect, it } from "vitest";
import { fixture } from "../../src/payload/index.js";
import { startFakeSmee, type FakeSmee } from "../helpers/fake-smee.js";
import { startFakeHub } from "../helpers/fake-hub.js";
import { silentLogger } from "../helpers/server.js";
import { WebhooksServer } from "../../src/server/webhooks-server.js";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

let cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const fn of cleanup.reverse()) await fn();
  cleanup = [];
});

async function launchShared(smee: FakeSmee, env: Record<string, string>, register?: { watch: string[] }) {
  const lines: string[] = [];
  const seen: unknown[] = [];
  const app = new WebhooksServer({
    print: (l) => lines.push(l),
    logger: silentLogger,
    handleSignals: false,
    database: ":memory:",
    env: { HUBHOOKS_RELAY_URL: smee.url, ...env },
  });
  app.addWebhook("train", (payload) => {
    seen.push(payload);
    return "ok";
  });
  const info = await app.launch({ port: 0, share: "relay", register });
  return { app, info, lines, seen };
}

describe("launch({ share }) through the relay (local stand-in for smee.io)", () => {
  it("prints local and public URLs, delivers a public POST with the secret checked locally, and closes the tunnel", async () => {
    const smee = await startFakeSmee();
    cleanup.push(() => smee.close());
    const { app, info, lines, seen } = await launchShared(smee, { WEBHOOK_SECRET: "s3cret" });
    let closed = false;
    cleanup.push(async () => {
      if (!closed) await app.close();
    });
    expect(info.publicUrl).toMatch(new RegExp(`^${smee.url}/`));
    const publicEndpoint = `${info.publicUrl}?path=/webhooks/train`;
    expect(info.endpoints).toEqual([publicEndpoint]);
    expect(lines).toEqual([
      "Webhook secret is correctly defined.",
      `Running on local URL:  ${info.localUrl}`,
      `Running on public URL: ${info.publicUrl}`,
      "",
      "Webhooks are correctly setup and ready to use:",
      `  - POST ${publicEndpoint}`,
      "Go to https://huggingface.co/settings/webhooks to setup your webhooks.",
      `Dashboard: ${info.localUrl}/`,
      "Delivery log: :memory:",
    ]);
    const settled = new Promise<void>((resolve) => app.onDeliveryChange((c) => c.kind === "settled" && resolve()));
    // A wrong secret through the relay is rejected locally: nothing runs.
    await fetch(publicEndpoint, { method: "POST", headers: { "x-webhook-secret": "nope", "content-type": "application/json" }, body: JSON.stringify(fixture("repo.create")) });
    await fetch(publicEndpoint, {
      method: "POST",
      headers: { "x-webhook-secret": "s3cret", "content-type": "application/json", "webhook-id": "w1" },
      body: JSON.stringify(fixture("repo.content.update")),
    });
    await settled;
    expect(seen).toHaveLength(1);
    expect(await app.store!.count({})).toBe(1);
    expect((seen[0] as { repo: { headSha: string } }).repo.headSha).toBe("575db8b7a51b6f85eb06eee540738584589f131c");
    expect(smee.subscribers()).toBe(1);
    await app.close();
    closed = true;
    await smee.waitForSubscribers(0); // resolves only once the tunnel's stream is gone
  });

  it("registers a Hub webhook at the public URL with a generated secret that the server then requires (local stand-in for the Hub)", async () => {
    const smee = await startFakeSmee();
    const hub = await startFakeHub();
    cleanup.push(() => smee.close(), () => hub.close());
    const stateDir = mkdtempSync(join(tmpdir(), "hubhooks-state-"));
    const { app, info, lines } = await launchShared(
      smee,
      { HF_TOKEN: "hf_test", HF_ENDPOINT: hub.url, HUBHOOKS_STATE_DIR: stateDir },
      { watch: ["model:me/my-model"] },
    );
    const create = hub.requests.find((r) => r.method === "POST" && r.path === "/api/settings/webhooks");
    expect(create?.body).toMatchObject({
      watched: [{ type: "model", name: "me/my-model" }],
      url: info.endpoints[0],
      secret: expect.any(String),
    });
    const secret = (create!.body as { secret: string }).secret;
    expect(lines.join("\n")).not.toContain(secret);
    expect(lines).toContain("Webhook secret is correctly defined (the registered Hub webhook's secret).");
    const local = `${info.localUrl}/webhooks/train`;
    expect((await fetch(local, { method: "POST", body: JSON.stringify(fixture("repo.create")) })).status).toBe(401);
    const ok = await fetch(local, {
      method: "POST",
      headers: { "x-webhook-secret": secret },
      body: JSON.stringify(fixture("repo.create")),
    });
    expect(ok.status).toBe(200);
    await app.close();
    expect(hub.requests.at(-1)).toMatchObject({ method: "POST", path: expect.stringMatching(/\/disable$/) });
  });
});
