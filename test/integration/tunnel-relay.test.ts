import net from "node:net";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { HubhooksError } from "../../src/errors.js";
import { relayProvider } from "../../src/tunnel/relay.js";
import type { Tunnel } from "../../src/tunnel/types.js";
import { startFakeSmee, type FakeSmee } from "../helpers/fake-smee.js";
import { captureLogger, manualDelay, startRecordingServer, type RecordingServer } from "../helpers/tunnel-kit.js";

const payload = { event: { action: "update", scope: "repo.content" }, repo: { type: "model", name: "me/m" } };

describe("relay tunnel (local stand-in for smee.io)", () => {
  let smee: FakeSmee;
  let app: RecordingServer;
  let tunnel: Tunnel | undefined;

  beforeEach(async () => {
    smee = await startFakeSmee();
    app = await startRecordingServer();
  });
  afterEach(async () => {
    await tunnel?.close();
    tunnel = undefined;
    await smee.close();
    await app.close();
  });

  it("creates a channel and replays a POST on the local endpoint path with body and secret header", async () => {
    const log = captureLogger();
    tunnel = await relayProvider({ relayUrl: smee.url }).open({ localUrl: app.url, logger: log.logger });
    expect(smee.channelsCreated).toBe(1);
    expect(tunnel.provider).toBe("relay");
    expect(tunnel.publicUrl).toMatch(new RegExp(`^${smee.url}/[A-Za-z0-9_-]{16}$`));
    const publicUrl = tunnel.publicUrlFor("/webhooks/train");
    expect(publicUrl).toBe(`${tunnel.publicUrl}?path=/webhooks/train`);

    const hub = await fetch(`${publicUrl}&secret=from-query`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-webhook-secret": "s3cret", "webhook-id": "w-1" },
      body: JSON.stringify(payload),
    });
    expect(hub.status).toBe(200);

    const request = await app.nthRequest(1);
    expect(request.method).toBe("POST");
    expect(request.url).toBe("/webhooks/train?secret=from-query");
    expect(JSON.parse(request.body)).toEqual(payload);
    expect(request.headers["x-webhook-secret"]).toBe("s3cret");
    expect(request.headers["webhook-id"]).toBe("w-1");
    expect(request.headers["content-type"]).toBe("application/json");
    expect(request.headers.host).toBe(new URL(app.url).host);
    expect(request.headers).not.toHaveProperty("timestamp");
    await log.waitFor("tunnel: relayed delivery");
    const relayed = log.lines.find((line) => line.msg === "tunnel: relayed delivery");
    expect(relayed).toMatchObject({ path: "/webhooks/train", status: 200 });
    expect(JSON.stringify(log.lines)).not.toContain("s3cret");
    expect(JSON.stringify(log.lines)).not.toContain("from-query");
  });

  it("ignores ready and ping events", async () => {
    tunnel = await relayProvider({ relayUrl: smee.url }).open({ localUrl: app.url, logger: captureLogger().logger });
    smee.ping();
    smee.ping();
    await fetch(tunnel.publicUrlFor("/webhooks/a"), {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: "{}",
    });
    await app.nthRequest(1);
    // close() waits for every replay in flight, so a replayed ping would be recorded by now.
    await tunnel.close();
    expect(app.requests.map((r) => r.url)).toEqual(["/webhooks/a"]);
  });

  it("reuses an existing channel (HUBHOOKS_RELAY_CHANNEL) without creating one", async () => {
    const channelUrl = `${smee.url}/KeepThisChannel_1`;
    tunnel = await relayProvider({ relayUrl: smee.url, channelUrl }).open({ localUrl: app.url, logger: captureLogger().logger });
    expect(tunnel.publicUrl).toBe(channelUrl);
    expect(smee.channelsCreated).toBe(0);
    expect(smee.subscribers("KeepThisChannel_1")).toBe(1);
  });

  it("reconnects after a drop, resumes a delivery sent during the drop via Last-Event-ID, and keeps relaying", async () => {
    const log = captureLogger();
    const delay = manualDelay();
    tunnel = await relayProvider({ relayUrl: smee.url, reconnect: { delay: delay.delay } }).open({
      localUrl: app.url,
      logger: log.logger,
    });
    const post = (path: string, n: number) =>
      fetch(tunnel!.publicUrlFor(path), {
        method: "POST",
        headers: { "content-type": "application/json", "x-webhook-secret": "s3cret" },
        body: JSON.stringify({ n }),
      });
    await post("/webhooks/x", 1);
    await app.nthRequest(1);

    smee.dropConnections();
    await log.waitFor("tunnel: connection lost, reconnecting");
    await delay.started(1);
    expect(smee.subscribers()).toBe(0);
    expect((await post("/webhooks/x", 2)).status).toBe(200);

    delay.releaseAll();
    await log.waitFor("tunnel: reconnected");
    const resumed = await app.nthRequest(2);
    expect(JSON.parse(resumed.body)).toEqual({ n: 2 });
    expect(resumed.headers["x-webhook-secret"]).toBe("s3cret");

    await post("/webhooks/y", 3);
    const after = await app.nthRequest(3);
    expect(after.url).toBe("/webhooks/y");
    expect(JSON.parse(after.body)).toEqual({ n: 3 });
    expect(app.requests).toHaveLength(3);
  });

  it("treats a silent stream (no ping within idleTimeoutMs) as lost and reconnects", async () => {
    const log = captureLogger();
    const delay = manualDelay();
    tunnel = await relayProvider({ relayUrl: smee.url, idleTimeoutMs: 100, reconnect: { delay: delay.delay } }).open({
      localUrl: app.url,
      logger: log.logger,
    });
    await delay.started(1);
    expect(log.count("tunnel: connection lost, reconnecting")).toBe(1);
    await smee.waitForSubscribers(0);
    delay.releaseAll();
    await log.waitFor("tunnel: reconnected");
  });

  it("close() ends the SSE connection", async () => {
    tunnel = await relayProvider({ relayUrl: smee.url }).open({ localUrl: app.url, logger: captureLogger().logger });
    expect(smee.subscribers()).toBe(1);
    await tunnel.close();
    await smee.waitForSubscribers(0);
    expect(smee.subscribers()).toBe(0);
    await tunnel.close();
  });

  it("fails with a TUNNEL error when the relay is unreachable", async () => {
    const closedPort = await new Promise<number>((resolve) => {
      const probe = net.createServer().listen(0, "127.0.0.1", () => {
        const { port } = probe.address() as net.AddressInfo;
        probe.close(() => resolve(port));
      });
    });
    const opening = relayProvider({ relayUrl: `http://127.0.0.1:${closedPort}` }).open({
      localUrl: app.url,
      logger: captureLogger().logger,
    });
    await expect(opening).rejects.toBeInstanceOf(HubhooksError);
    await expect(opening).rejects.toMatchObject({ code: "TUNNEL", message: expect.stringContaining("could not reach the relay") });
  });
});
