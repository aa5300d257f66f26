// Tunnel retries are logged on a change of reason, not on every try; the pretty console is coloured only on a
// terminal. Real pino loggers writing to memory.
import { Writable } from "node:stream";
import { pino } from "pino";
import { describe, expect, it } from "vitest";
import { createLogger } from "../../src/internal/logger.js";
import { ShareTunnel } from "../../src/server/share-tunnel.js";
import type { Tunnel } from "../../src/tunnel/types.js";

function capture(level = "info") {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split("\n").filter(Boolean)) lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  return { logger: pino({ level }, stream), lines };
}

describe("ShareTunnel retries", () => {
  it("prints one console line, then logs only when the reason changes, and once when it opens", async () => {
    const log = capture();
    const printed: string[] = [];
    const reasons = ["getaddrinfo ENOTFOUND smee.io", "getaddrinfo ENOTFOUND smee.io", "getaddrinfo ENOTFOUND smee.io", "connect ECONNREFUSED", "connect ECONNREFUSED"];
    let attempts = 0;
    let opened!: (tunnel: Tunnel) => void;
    const open = new Promise<Tunnel>((resolve) => (opened = resolve));
    const tunnel = { provider: "relay", publicUrl: "https://relay.example/abc", publicUrlFor: (p: string) => p, close: async () => {} } as unknown as Tunnel;
    const share = new ShareTunnel({
      open: async () => {
        const reason = reasons[attempts++];
        if (reason) throw new Error("could not reach the relay", { cause: new Error(reason) });
        return tunnel;
      },
      print: (line) => printed.push(line),
      logger: log.logger,
      onOpen: opened,
      retryDelayMs: () => 0,
    });
    expect(await share.open()).toBeUndefined();
    expect(await open).toBe(tunnel);
    await share.close();
    expect(attempts).toBe(6);
    expect(printed).toEqual([
      "Could not open a public URL (could not reach the relay: getaddrinfo ENOTFOUND smee.io): serving locally only, retrying in the background (--no-share serves locally without trying).",
    ]);
    expect(log.lines.map((l) => [l.msg, l.reason ?? l.attempt])).toEqual([
      ["tunnel: still unreachable, for another reason; retrying", "could not reach the relay: connect ECONNREFUSED"],
      ["tunnel: open after retrying", 5],
    ]);
  });
});

describe("the pretty console", () => {
  const line = (env: Record<string, string>, isTTY: boolean) => {
    let text = "";
    const logger = createLogger({ pretty: true, env, stderr: { isTTY, write: (t: string) => (text += t) } });
    logger.warn({ endpoint: "hello", deliveryId: "dlv_1", attempt: 2, retryInMs: 4_000 }, "delivery attempt failed; will retry");
    return text;
  };

  it("is coloured on a terminal only, and never under NO_COLOR", () => {
    expect(line({}, true)).toContain("\u001b[33mWARN \u001b[39m");
    expect(line({}, false)).toMatch(/^\d\d:\d\d:\d\d WARN  hello dlv_1 delivery attempt failed; will retry · attempt 2 · retry in 4 s\n$/);
    expect(line({ NO_COLOR: "1" }, true)).not.toContain("\u001b[");
    expect(line({ FORCE_COLOR: "1" }, false)).toContain("\u001b["); // what `hubhooks dev` sets for its piped child on a terminal
  });
});
