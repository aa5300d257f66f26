import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { HubhooksError } from "../../src/errors.js";
import { localtunnelProvider } from "../../src/tunnel/localtunnel.js";
import type { Tunnel } from "../../src/tunnel/types.js";
import { startFakeLocaltunnel, type FakeLocaltunnel } from "../helpers/fake-localtunnel.js";
import { captureLogger, manualDelay, startRecordingServer, type RecordingServer } from "../helpers/tunnel-kit.js";

describe("localtunnel tunnel (local stand-in for a localtunnel server)", () => {
  let server: FakeLocaltunnel;
  let app: RecordingServer;
  let tunnel: Tunnel | undefined;

  beforeEach(async () => {
    server = await startFakeLocaltunnel({ maxConnCount: 2 });
    app = await startRecordingServer();
  });
  afterEach(async () => {
    await tunnel?.close();
    tunnel = undefined;
    await server.close();
    await app.close();
  });

  const post = (url: string, n: number) =>
    fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json", "x-webhook-secret": "s3cret" },
      body: JSON.stringify({ n }),
    });

  it("registers with /?new, keeps max_conn_count sockets, and carries a public request both ways", async () => {
    tunnel = await localtunnelProvider({ host: server.url }).open({ localUrl: app.url, logger: captureLogger().logger });
    expect(server.registrations).toEqual(["/?new"]);
    expect(tunnel.provider).toBe("localtunnel");
    await server.waitForSockets(2);

    const response = await post(tunnel.publicUrlFor("/webhooks/train?secret=q"), 1);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ received: 1 });
    const request = app.requests[0];
    expect(request.method).toBe("POST");
    expect(request.url).toBe("/webhooks/train?secret=q");
    expect(request.headers["x-webhook-secret"]).toBe("s3cret");
    expect(JSON.parse(request.body)).toEqual({ n: 1 });

    // The used socket closes after its request and is replaced, so later requests still find one.
    await server.waitForSockets(2);
    expect((await post(tunnel.publicUrlFor("/webhooks/train"), 2)).status).toBe(200);
    expect(app.requests).toHaveLength(2);
  });

  it("re-opens dropped sockets", async () => {
    const log = captureLogger();
    tunnel = await localtunnelProvider({ host: server.url }).open({ localUrl: app.url, logger: log.logger });
    await server.waitForSockets(2);
    server.dropSockets();
    await log.waitFor("tunnel: connection lost, reconnecting");
    await log.waitFor("tunnel: reconnected");
    await server.waitForSockets(2);
    const response = await post(tunnel.publicUrlFor("/webhooks/x"), 3);
    expect(response.status).toBe(200);
    expect(JSON.parse((await app.nthRequest(1)).body)).toEqual({ n: 3 });
  });

  it("registers the same id again when the server forgot the tunnel", async () => {
    const log = captureLogger();
    const delay = manualDelay();
    tunnel = await localtunnelProvider({ host: server.url, reconnect: { delay: delay.delay }, reregisterEvery: 2 }).open({
      localUrl: app.url,
      logger: log.logger,
    });
    await server.waitForSockets(2);
    const [tunnelId] = server.tunnelIds();
    await server.forget(tunnelId);
    await delay.started(1);
    delay.releaseAll(); // round 1: the old port refuses
    await delay.started(2);
    delay.releaseAll(); // round 2: register again, then connect to the new port
    await log.waitFor("tunnel: reconnected");
    expect(server.registrations).toEqual(["/?new", `/${tunnelId}`]);
    await server.waitForSockets(2, tunnelId);
    const response = await post(tunnel.publicUrlFor("/webhooks/x"), 4);
    expect(response.status).toBe(200);
    expect(JSON.parse((await app.nthRequest(1)).body)).toEqual({ n: 4 });
  });

  it("answers 502 when the local server is down", async () => {
    const localUrl = app.url;
    await app.close();
    tunnel = await localtunnelProvider({ host: server.url }).open({ localUrl, logger: captureLogger().logger });
    const response = await post(tunnel.publicUrlFor("/webhooks/x"), 5);
    expect(response.status).toBe(502);
    app = await startRecordingServer();
  });

  it("close() closes every socket", async () => {
    tunnel = await localtunnelProvider({ host: server.url }).open({ localUrl: app.url, logger: captureLogger().logger });
    await server.waitForSockets(2);
    await tunnel.close();
    await server.waitForSockets(0);
    expect(server.sockets()).toBe(0);
  });

  it("fails with a TUNNEL error when the server refuses", async () => {
    const opening = localtunnelProvider({ host: `${server.url}/nope/` }).open({ localUrl: app.url, logger: captureLogger().logger });
    await expect(opening).rejects.toBeInstanceOf(HubhooksError);
    await expect(opening).rejects.toMatchObject({ code: "TUNNEL", message: expect.stringContaining("refused the tunnel (404)") });
  });
});
