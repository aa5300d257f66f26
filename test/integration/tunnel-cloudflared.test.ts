import { describe, expect, it } from "vitest";
import { HubhooksError } from "../../src/errors.js";
import { cloudflaredProvider } from "../../src/tunnel/cloudflared.js";
import { FAKE_QUICK_TUNNEL_URL, installFakeCloudflared } from "../helpers/fake-cloudflared.js";
import { captureLogger } from "../helpers/tunnel-kit.js";

describe("cloudflared tunnel (local stand-in for the cloudflared binary)", () => {
  it("is available only when the binary is on PATH", async () => {
    const fake = await installFakeCloudflared();
    try {
      expect(await cloudflaredProvider().available({ PATH: fake.dir })).toBe(true);
      expect(await cloudflaredProvider().available({ PATH: `${fake.dir}/missing` })).toBe(false);
    } finally {
      await fake.remove();
    }
  });

  it("spawns a quick tunnel, reads its URL, and stops the process on close", async () => {
    const fake = await installFakeCloudflared();
    try {
      const log = captureLogger();
      const tunnel = await cloudflaredProvider({ env: { PATH: fake.dir } }).open({
        localUrl: "http://127.0.0.1:7860",
        logger: log.logger,
      });
      expect(tunnel.provider).toBe("cloudflared");
      expect(tunnel.publicUrl).toBe(FAKE_QUICK_TUNNEL_URL);
      expect(tunnel.publicUrlFor("/webhooks/train")).toBe(`${FAKE_QUICK_TUNNEL_URL}/webhooks/train`);
      const [started] = await fake.calls();
      expect(started.argv).toEqual(["tunnel", "--no-autoupdate", "--url", "http://127.0.0.1:7860"]);

      await tunnel.close();
      await tunnel.close();
      expect((await fake.calls()).at(-1)).toEqual({ terminated: true });
      expect(() => process.kill(started.pid!, 0)).toThrow();
      expect(log.count("tunnel: cloudflared exited; the public URL no longer works")).toBe(0);
    } finally {
      await fake.remove();
    }
  });

  it("fails with a TUNNEL error showing cloudflared's output when it exits without a URL", async () => {
    const fake = await installFakeCloudflared("fail");
    try {
      const opening = cloudflaredProvider({ env: { PATH: fake.dir } }).open({
        localUrl: "http://127.0.0.1:7860",
        logger: captureLogger().logger,
      });
      await expect(opening).rejects.toBeInstanceOf(HubhooksError);
      await expect(opening).rejects.toMatchObject({
        code: "TUNNEL",
        message: expect.stringMatching(/cloudflared exited \(code 1\) before giving a URL[\s\S]*failed to request quick Tunnel/),
      });
    } finally {
      await fake.remove();
    }
  });

  it("fails with a TUNNEL error when the binary is missing", async () => {
    const opening = cloudflaredProvider({ env: { PATH: "/nonexistent-hubhooks-dir" } }).open({
      localUrl: "http://127.0.0.1:7860",
      logger: captureLogger().logger,
    });
    await expect(opening).rejects.toMatchObject({ code: "TUNNEL", message: expect.stringContaining("cloudflared is not on PATH") });
  });
});
