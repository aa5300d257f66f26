import { readFileSync } from "node:fs";
import { pino } from "pino";
import { describe, expect, it } from "vitest";
import { ManualClock } from "../../src/internal/clock.js";
import { Endpoint } from "../../src/server/endpoint.js";
import { runJobDelivery } from "../../src/triggers/job-delivery.js";

const payload = readFileSync(new URL("../fixtures/hub/repo.content.update.json", import.meta.url), "utf8");

describe("hubhooks job runs its delivery through the queue's runner", () => {
  it("honours timeoutMs: the handler's signal aborts and the run fails with the timeout (it ran on before)", async () => {
    let aborted: unknown;
    const endpoint = new Endpoint("slow", "/webhooks/slow", { timeoutMs: 50 }, async (_p, ctx) => {
      await new Promise<void>((resolve) => ctx.signal.addEventListener("abort", () => resolve(), { once: true }));
      aborted = ctx.signal.reason;
    });
    const outcome = await runJobDelivery({
      endpoint, job: { payload, webhookId: "6761f0c8a1b2c3d4e5f60718" }, logger: pino({ level: "silent" }), clock: new ManualClock(1_700_000_000_000),
    });
    expect(outcome).toMatchObject({ code: 1, status: "failed", line: 'handler failed: Handler "slow" timed out after 50 ms.' });
    expect(outcome.deliveryId).toMatch(/^dlv_[0-9a-z]{26}$/);
    expect((aborted as { code?: string }).code).toBe("HANDLER_TIMEOUT");
  });
});
