import { spawnSync } from "node:child_process";
import { PassThrough } from "node:stream";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { createLogger, LOG_SERIALIZERS } from "../../src/internal/logger.js";

function captured() {
  const stream = new PassThrough();
  const lines: Record<string, unknown>[] = [];
  stream.on("data", (chunk: Buffer) => {
    for (const line of chunk.toString().split("\n")) if (line) lines.push(JSON.parse(line) as Record<string, unknown>);
  });
  return { logger: createLogger({ level: "info", destination: stream }), lines };
}

describe("the default logger: secrets censored where they enter, no per-line redaction", () => {
  it("censors the fields that can carry a secret, in a line and in a child's bindings, and keeps the rest", () => {
    const { logger, lines } = captured();
    logger.info({
      secret: "s1", webhookSecret: "s2", token: "hf_x", authorization: "Bearer y", other: "kept",
      headers: { "x-webhook-secret": "s3", authorization: "Bearer z", cookie: "c=1", "webhook-id": "wh-1" },
      req: { method: "POST", headers: { "x-webhook-secret": "s4" } },
    }, "with secrets");
    logger.child({ headers: { "x-webhook-secret": "s5", accept: "*/*" } }).info("child");
    logger.error({ err: new TypeError("boom") }, "failed");
    expect(lines[0]).toMatchObject({
      secret: "***", webhookSecret: "***", token: "***", authorization: "***", other: "kept",
      headers: { "x-webhook-secret": "***", authorization: "***", cookie: "***", "webhook-id": "wh-1" },
      req: { method: "POST", headers: { "x-webhook-secret": "***" } },
    });
    expect(lines[1]).toMatchObject({ headers: { "x-webhook-secret": "***", accept: "*/*" } });
    expect(lines[2]!.err).toMatchObject({ type: "TypeError", message: "boom" });
    expect(JSON.stringify(lines)).not.toMatch(/s[1-5]"|hf_x|Bearer/);
  });

  it("leaves headers without a secret as they are (no copy per line)", () => {
    const headers = { "webhook-id": "wh-1", accept: "*/*" };
    expect(LOG_SERIALIZERS.headers(headers)).toBe(headers);
  });

  it("writes asynchronously and close() flushes: every line logged before close() is out before it resolves", () => {
    const dist = pathToFileURL(resolve("dist/index.js")).href;
    // The child writes a marker with a synchronous write right after close(): the lines must precede it.
    const script = `
      import { writeSync } from "node:fs";
      const { WebhooksServer } = await import(${JSON.stringify(dist)});
      const app = new WebhooksServer({ database: false, env: { LOG_LEVEL: "info" }, print: () => {}, handleSignals: false });
      await app.launch({ port: 0, host: "127.0.0.1" });
      for (let i = 0; i < 200; i++) app.logger.info({ i }, "line before close");
      await app.close();
      writeSync(2, "MARK\\n");
      setTimeout(() => process.exit(0), 0);
    `;
    const child = spawnSync(process.execPath, ["--input-type=module", "-e", script], { encoding: "utf8", timeout: 30_000 });
    expect(child.status).toBe(0);
    const lines = child.stderr.split("\n").filter(Boolean);
    const mark = lines.indexOf("MARK");
    expect(mark).toBeGreaterThan(0);
    expect(lines.slice(0, mark).filter((l) => l.includes("line before close"))).toHaveLength(200);
  });
});
