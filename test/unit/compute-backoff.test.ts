import { describe, expect, it, vi } from "vitest";
import { HubhooksError, NonRetryableError } from "../../src/errors.js";
import { planFailure } from "../../src/queue/plan-failure.js";
import { computeBackoff, DEFAULT_RETRY, type RetryPolicy } from "../../src/queue/retry-policy.js";
import type { DeliveryRecord } from "../../src/store/types.js";

const noJitter: RetryPolicy = { ...DEFAULT_RETRY, jitter: 0 };

describe("computeBackoff", () => {
  it("grows by `factor` from `initialDelayMs`: 1 s, 4 s, 16 s, 64 s with the defaults", () => {
    expect([1, 2, 3, 4].map((n) => computeBackoff(n, DEFAULT_RETRY, () => 0.5))).toEqual([1_000, 4_000, 16_000, 64_000]);
  });

  it("spreads each delay by ±jitter", () => {
    expect(computeBackoff(2, DEFAULT_RETRY, () => 0)).toBe(3_200);
    expect(computeBackoff(2, DEFAULT_RETRY, () => 1)).toBe(4_800);
    expect(computeBackoff(2, DEFAULT_RETRY, () => 0.25)).toBe(3_600);
  });

  it("caps at maxDelayMs, jitter included, and never overflows", () => {
    expect(computeBackoff(6, noJitter, () => 0.5)).toBe(600_000);
    expect(computeBackoff(6, DEFAULT_RETRY, () => 1)).toBe(600_000);
    expect(computeBackoff(6, DEFAULT_RETRY, () => 0)).toBe(480_000);
    expect(computeBackoff(10_000, noJitter, () => 0.5)).toBe(600_000);
  });

  it("tolerates odd input: attempt < 1, factor < 1, jitter out of 0..1, random out of range", () => {
    expect(computeBackoff(0, noJitter, () => 0.5)).toBe(1_000);
    expect(computeBackoff(3, { ...noJitter, factor: 0.5 }, () => 0.5)).toBe(1_000);
    expect(computeBackoff(1, { ...noJitter, jitter: 5 }, () => 1)).toBe(2_000);
    expect(computeBackoff(1, DEFAULT_RETRY, () => Number.NaN)).toBe(1_000);
    expect(computeBackoff(1, { ...noJitter, initialDelayMs: 0 }, () => 0.5)).toBe(0);
  });

  it("is pure: its only randomness is the injected random, and it reads no clock", () => {
    // A backoff that called Math.random or read the time would make retries untestable with a fake clock.
    const hidden = [vi.spyOn(Math, "random"), vi.spyOn(Date, "now"), vi.spyOn(performance, "now")];
    try {
      let calls = 0;
      const random = () => (calls++, 0.123);
      // 16 s for the third attempt, spread by 20% * (2 * 0.123 - 1) = -15.08%.
      expect(computeBackoff(3, DEFAULT_RETRY, random)).toBe(13_587);
      expect(calls).toBeGreaterThan(0);
      expect(computeBackoff(3, DEFAULT_RETRY, () => 0.877)).toBe(18_413); // the mirror draw, +15.08%
      for (const spy of hidden) expect(spy).not.toHaveBeenCalled();
    } finally {
      for (const spy of hidden) spy.mockRestore();
    }
  });
});

describe("planFailure", () => {
  const now = 1_000_000;
  const delivery = (over: Partial<DeliveryRecord>) =>
    ({ attempts: 1, maxAttempts: 3, attemptBudget: 3, ...over }) as DeliveryRecord;
  const failed = (error: Error, aborted: "timeout" | "stopped" | "lease-lost" | null = null) => ({ ok: false as const, error, aborted });

  it("schedules a retry after the backoff of the attempt's number within its series", () => {
    expect(planFailure(delivery({}), noJitter, failed(new Error("x")), now, Math.random)).toEqual({ outcome: "failed", nextAttemptAt: now + 1_000 });
    // A replayed delivery: 2 earlier attempts + a budget of 3 → attempt 4 is the 2nd of its series.
    expect(planFailure(delivery({ attempts: 4, maxAttempts: 5, attemptBudget: 3 }), noJitter, failed(new Error("x")), now, Math.random))
      .toEqual({ outcome: "failed", nextAttemptAt: now + 4_000 });
  });

  it("is dead after the last attempt, and at once for a NonRetryableError (even from another copy of hubhooks)", () => {
    expect(planFailure(delivery({ attempts: 3 }), noJitter, failed(new Error("x")), now, Math.random)).toEqual({ outcome: "failed", nextAttemptAt: null });
    expect(planFailure(delivery({}), noJitter, failed(new NonRetryableError("no")), now, Math.random)).toEqual({ outcome: "non-retryable", nextAttemptAt: null });
    const foreign = Object.assign(new Error("no"), { code: "NON_RETRYABLE" });
    expect(planFailure(delivery({}), noJitter, failed(foreign), now, Math.random).outcome).toBe("non-retryable");
  });

  it("marks timeouts, and makes an attempt stopped by a shutdown due again at once", () => {
    const timeout = new HubhooksError("HANDLER_TIMEOUT", "slow");
    expect(planFailure(delivery({}), noJitter, failed(timeout, "timeout"), now, Math.random)).toEqual({ outcome: "timeout", nextAttemptAt: now + 1_000 });
    expect(planFailure(delivery({}), noJitter, failed(new Error("stop"), "stopped"), now, Math.random)).toEqual({ outcome: "failed", nextAttemptAt: now });
  });
});
