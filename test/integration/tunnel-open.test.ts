import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chooseTunnelProvider, openTunnel } from "../../src/tunnel/open-tunnel.js";
import { installFakeCloudflared, type FakeCloudflared } from "../helpers/fake-cloudflared.js";
import { startFakeLocaltunnel, type FakeLocaltunnel } from "../helpers/fake-localtunnel.js";
import { startFakeSmee, type FakeSmee } from "../helpers/fake-smee.js";
import { captureLogger, startRecordingServer, type RecordingServer } from "../helpers/tunnel-kit.js";

describe("openTunnel (local stand-ins for smee.io, localtunnel and cloudflared)", () => {
  let smee: FakeSmee;
  let lt: FakeLocaltunnel;
  let cloudflared: FakeCloudflared;
  let app: RecordingServer;
  let emptyPath: string;

  beforeAll(async () => {
    [smee, lt, cloudflared, app] = await Promise.all([
      startFakeSmee(),
      startFakeLocaltunnel(),
      installFakeCloudflared(),
      startRecordingServer(),
    ]);
    emptyPath = await mkdtemp(path.join(tmpdir(), "hubhooks-empty-path-"));
  });
  afterAll(async () => {
    await Promise.all([smee.close(), lt.close(), cloudflared.remove(), app.close(), rm(emptyPath, { recursive: true })]);
  });

  it("auto picks the relay when there is no cloudflared on PATH and no ngrok package", async () => {
    const log = captureLogger();
    const tunnel = await openTunnel({ localUrl: app.url, logger: log.logger, env: { PATH: emptyPath }, relayUrl: smee.url });
    try {
      expect(tunnel.provider).toBe("relay");
      expect(log.lines.find((l) => l.msg === "tunnel: opening")).toMatchObject({ provider: "relay" });
      await fetch(tunnel.publicUrlFor("/webhooks/auto"), {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: '{"ok":true}',
      });
      expect((await app.nthRequest(1)).url).toBe("/webhooks/auto");
    } finally {
      await tunnel.close();
    }
  });

  it("auto skips ngrok when NGROK_AUTHTOKEN is set but @ngrok/ngrok is not installed", async () => {
    const provider = await chooseTunnelProvider({ env: { PATH: emptyPath, NGROK_AUTHTOKEN: "tok" } });
    expect(provider.name).toBe("relay");
  });

  it("auto picks cloudflared when the binary is on PATH", async () => {
    expect((await chooseTunnelProvider({ env: { PATH: cloudflared.dir } })).name).toBe("cloudflared");
    expect((await chooseTunnelProvider({ provider: "auto", env: { PATH: cloudflared.dir } })).name).toBe("cloudflared");
  });

  it("HUBHOOKS_TUNNEL picks a provider; an explicit provider option beats it", async () => {
    const env = { PATH: cloudflared.dir, HUBHOOKS_TUNNEL: "localtunnel" };
    expect((await chooseTunnelProvider({ env })).name).toBe("localtunnel");
    expect((await chooseTunnelProvider({ env, provider: "relay" })).name).toBe("relay");

    const tunnel = await openTunnel({ localUrl: app.url, logger: captureLogger().logger, env, localtunnelHost: lt.url });
    try {
      expect(tunnel.provider).toBe("localtunnel");
      const response = await fetch(tunnel.publicUrlFor("/webhooks/lt"), { method: "POST", body: "{}" });
      expect(response.status).toBe(200);
    } finally {
      await tunnel.close();
    }
  });

  it("reads the relay server and a stable channel from HUBHOOKS_RELAY_URL and HUBHOOKS_RELAY_CHANNEL", async () => {
    const env = { PATH: emptyPath, HUBHOOKS_RELAY_URL: smee.url, HUBHOOKS_RELAY_CHANNEL: "StableChannel42" };
    const before = smee.channelsCreated;
    const tunnel = await openTunnel({ localUrl: app.url, logger: captureLogger().logger, env });
    try {
      expect(tunnel.publicUrl).toBe(`${smee.url}/StableChannel42`);
      expect(smee.channelsCreated).toBe(before);
    } finally {
      await tunnel.close();
    }
  });

  it("explains what is missing when ngrok is asked for", async () => {
    const opening = openTunnel({
      localUrl: app.url,
      logger: captureLogger().logger,
      env: { HUBHOOKS_TUNNEL: "ngrok", NGROK_AUTHTOKEN: "tok-do-not-log" },
    });
    await expect(opening).rejects.toMatchObject({ code: "TUNNEL", message: expect.stringContaining("npm install @ngrok/ngrok") });
  });

  it("rejects an unknown HUBHOOKS_TUNNEL value", async () => {
    await expect(chooseTunnelProvider({ env: { HUBHOOKS_TUNNEL: "gradio" } })).rejects.toMatchObject({
      code: "TUNNEL",
      message: expect.stringContaining('unknown tunnel provider "gradio"'),
    });
  });
});
