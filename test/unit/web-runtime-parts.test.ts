import { isIP } from "node:net";
import { describe, expect, it, vi } from "vitest";
import { consoleLogger } from "../../src/internal/console-logger.js";
import { bytesEqual, matchesAnyInConstantTime, matchesAnyWithWebCrypto } from "../../src/internal/timing-safe-equal.js";
import { envListen } from "../../src/server/env-listen.js";
import { runAfterResponse } from "../../src/http/after-response.js";
import { WebhooksServer } from "../../src/server/webhooks-server.js";
import { hubhooksWorker } from "../../src/workers.js";
import { fixture } from "../../src/payload/fixtures.js";
import { HubhooksMetrics } from "../../src/metrics/metrics.js";
import { silentLogger } from "../helpers/server.js";

// The parts that let the web core run outside Node, checked on Node against what Node itself answers.

describe("consoleLogger (Workers, Edge)", () => {
  it("writes pino-shaped JSON lines at or above its level, with bindings, err and the secrets' keys redacted", () => {
    const lines: Array<[string, number]> = [];
    const logger = consoleLogger({ level: "info", write: (line, level) => lines.push([line, level]) });
    logger.debug("hidden");
    const child = logger.child({ deliveryId: "dlv_1" });
    child.warn({ headers: { "x-webhook-secret": "s3cret", accept: "*/*" }, token: "t0ken" }, "rejected");
    child.error({ err: Object.assign(new TypeError("boom"), { code: "E_X" }) }, "failed");
    expect(lines.map(([, level]) => level)).toEqual([40, 50]);
    const [warn, error] = lines.map(([line]) => JSON.parse(line) as Record<string, any>);
    expect(warn).toMatchObject({ level: 40, deliveryId: "dlv_1", headers: { "x-webhook-secret": "***", accept: "*/*" }, token: "***", msg: "rejected" });
    expect(typeof warn!.time).toBe("number");
    expect(error!.err).toMatchObject({ type: "TypeError", message: "boom", code: "E_X" });
    expect(error!.err.stack).toContain("TypeError: boom");
    expect(lines.join("\n")).not.toMatch(/s3cret|t0ken/);
    expect(logger.isLevelEnabled("debug")).toBe(false);
    expect(consoleLogger({ level: "silent" }).isLevelEnabled("fatal")).toBe(false);
  });
});

describe("the secret compared with Web Crypto (where node:crypto is absent)", () => {
  it("agrees with the node:crypto comparison, rotation and non-ASCII included", async () => {
    const cases: Array<[string, string[]]> = [
      ["s3cret", ["s3cret"]],
      ["s3cret", ["other", "s3cret"]],
      ["s3cre", ["s3cret"]],
      ["", ["s3cret"]],
      ["sécret", ["sécret"]],
      ["sécret", ["secret"]],
    ];
    for (const [given, knowns] of cases) {
      expect(await matchesAnyWithWebCrypto(given, knowns)).toBe(matchesAnyInConstantTime(given, knowns));
    }
    expect(matchesAnyInConstantTime("s3cret", ["s3cret"])).toBe(true); // synchronous on Node
  });

  it("bytesEqual compares every byte and the lengths", () => {
    expect(bytesEqual(new Uint8Array([1, 2, 3]), new Uint8Array([1, 2, 3]))).toBe(true);
    expect(bytesEqual(new Uint8Array([1, 2, 3]), new Uint8Array([1, 2, 4]))).toBe(false);
    expect(bytesEqual(new Uint8Array([1, 2]), new Uint8Array([1, 2, 0]))).toBe(false);
  });
});

describe("HUBHOOKS_HOST without node:net", () => {
  it("accepts exactly the IP addresses node:net's isIP accepts, and host names", () => {
    const accepts = (host: string) => {
      try {
        return envListen({ HUBHOOKS_HOST: host }).host === host;
      } catch {
        return false;
      }
    };
    for (const address of ["0.0.0.0", "::", "::1", "[::1]", "fe80::1%eth0", "1:2:3:4:5:6:7:8", "::ffff:1.2.3.4"]) {
      expect(isIP(address.replace(/^\[|\]$/g, ""))).not.toBe(0);
      expect(accepts(address)).toBe(true);
    }
    for (const refused of ["1:2:3:4:5:6:7:8:9", ":::", "[::g]", "::1]:80/[::1", "a b", "http://0.0.0.0"]) expect(accepts(refused)).toBe(false);
    expect(accepts("localhost")).toBe(true);
  });
});

describe("work after the answer (runAfterResponse: a Worker's waitUntil, Next's after)", () => {
  const body = JSON.stringify(fixture("repo.content.update"));
  const request = () => new Request("http://localhost/webhooks/later", { method: "POST", body });

  it("without a log, an accepted endpoint answers 202 first and its handler runs in the task handed over", async () => {
    const app = new WebhooksServer({ database: false, logger: silentLogger, print: () => {}, env: {}, handleSignals: false });
    let release: (() => void) | undefined;
    const ran: string[] = [];
    app.addWebhook("later", { mode: "accepted" }, async (payload) => {
      await new Promise<void>((resolve) => (release = resolve));
      ran.push(payload.repo.name);
    });
    const tasks: Promise<unknown>[] = [];
    const req = request();
    runAfterResponse(req, (task) => tasks.push(task));
    const answer = await app.fetch(req);
    expect(answer.status).toBe(202);
    expect(await answer.json()).toEqual({ deliveryId: expect.stringMatching(/^dlv_[0-9a-z]{26}$/), status: "accepted" });
    expect(tasks).toHaveLength(1);
    expect(ran).toEqual([]);
    await expect.poll(() => release).toBeTypeOf("function");
    release!();
    release = undefined;
    await tasks[0];
    expect(ran).toEqual(["some-user/some-repo"]);
    // A host that said nothing (Node, Bun, Deno: the process goes on): 202 all the same, the handler after the answer,
    // and close() waits for it like for any running handler.
    const answered = await app.fetch(request());
    expect(answered.status).toBe(202);
    expect(ran).toEqual(["some-user/some-repo"]);
    await expect.poll(() => release).toBeTypeOf("function");
    const closing = app.close();
    release!();
    await closing;
    expect(ran).toEqual(["some-user/some-repo", "some-user/some-repo"]);
  });
});

describe("hubhooksWorker", () => {
  it("refuses a SQLite path in one line when built, and takes only the text bindings as its environment", async () => {
    expect(() => hubhooksWorker(() => {}, { database: "./hooks.db" })).toThrow(
      '[hubhooks] A Worker keeps no delivery log: "./hooks.db" (the database option) cannot be opened there (a SQLite file needs a disk; the Postgres log is not supported in Workers). Leave it unset: handlers run in the request.',
    );
    let seen: Record<string, unknown> | undefined;
    const worker = hubhooksWorker<Record<string, unknown>>((app, env) => {
      seen = env;
      app.addWebhook("train", (payload) => payload.repo.name);
    }, { logger: silentLogger, print: () => {} });
    const env = { WEBHOOK_SECRET: "w", RESULTS: { put: async () => {} } };
    const post = (secret: string) => new Request("http://localhost/webhooks/train", { method: "POST", headers: { "x-webhook-secret": secret }, body: JSON.stringify(fixture("repo.content.update")) });
    const ctx = { waitUntil: () => {} };
    expect((await worker.fetch(post("nope"), env, ctx)).status).toBe(403); // WEBHOOK_SECRET from the binding
    expect(await (await worker.fetch(post("w"), env, ctx)).json()).toBe("some-user/some-repo");
    expect(seen).toBe(env); // setup gets the bindings themselves (KV included)
  });
});

describe("metrics where process.cpuUsage is not implemented (workerd's nodejs_compat)", () => {
  it("leave the process metrics out and keep hubhooks' own", async () => {
    const cpuUsage = vi.spyOn(process, "cpuUsage").mockImplementation(() => {
      throw new Error("The process.cpuUsage method is not implemented");
    });
    try {
      const text = await new HubhooksMetrics().render();
      expect(text).toContain("hubhooks_attempts_total");
      expect(text).not.toContain("process_cpu");
    } finally {
      cpuUsage.mockRestore();
    }
    expect(await new HubhooksMetrics().render()).toContain("process_cpu_user_seconds_total"); // on Node they are there
  });
});
