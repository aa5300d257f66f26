import { describe, expect, it } from "vitest";
import { HubApiError } from "../../src/hub/hub-api-error.js";
import { planFailure } from "../../src/queue/plan-failure.js";
import { DEFAULT_RETRY } from "../../src/queue/retry-policy.js";
import type { DeliveryRecord } from "../../src/store/types.js";

const NOW = 1_700_000_000_000;
const delivery = { attempts: 1, maxAttempts: 5, attemptBudget: 5 } as DeliveryRecord;
const mid = () => 0.5;
const failed = (error: Error) => ({ ok: false as const, error, aborted: null });

describe("planFailure: when a failed attempt runs again", () => {
  it("after the backoff when the error asks for nothing", () => {
    expect(planFailure(delivery, DEFAULT_RETRY, failed(new Error("x")), NOW, mid)).toEqual({ outcome: "failed", nextAttemptAt: NOW + 1000 });
  });

  it("no earlier than the Retry-After a service asked for (a Hub 429, a Discord rate limit), capped at a day", () => {
    const hub = new HubApiError({ status: 429, hubMessage: "slow down", method: "GET", url: "https://huggingface.co/api/x", retryAfterMs: 120_000 });
    expect(planFailure(delivery, DEFAULT_RETRY, failed(hub), NOW, mid).nextAttemptAt).toBe(NOW + 120_000);
    const forward = Object.assign(new Error("discord:…/1234: answered 429"), { retryAfterMs: 90_000 });
    expect(planFailure(delivery, DEFAULT_RETRY, failed(forward), NOW, mid).nextAttemptAt).toBe(NOW + 90_000);
    const huge = Object.assign(new Error("later"), { retryAfterMs: 10 * 86_400_000 });
    expect(planFailure(delivery, DEFAULT_RETRY, failed(huge), NOW, mid).nextAttemptAt).toBe(NOW + 86_400_000);
    // A shorter wait than the backoff does not make the retry sooner.
    const short = Object.assign(new Error("soon"), { retryAfterMs: 10 });
    expect(planFailure(delivery, DEFAULT_RETRY, failed(short), NOW, mid).nextAttemptAt).toBe(NOW + 1000);
  });

  it("never after the last attempt, whatever the service asked", () => {
    const last = { attempts: 5, maxAttempts: 5, attemptBudget: 5 } as DeliveryRecord;
    const forward = Object.assign(new Error("429"), { retryAfterMs: 90_000 });
    expect(planFailure(last, DEFAULT_RETRY, failed(forward), NOW, mid)).toEqual({ outcome: "failed", nextAttemptAt: null });
  });
});
