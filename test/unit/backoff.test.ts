import { describe, expect, it } from "vitest";
import { backoff } from "../../src/internal/backoff.js";
import { backoffDelay as hubDelay } from "../../src/hub/retry-delay.js";
import { computeBackoff, DEFAULT_RETRY } from "../../src/queue/retry-policy.js";
import { backoffDelay as tunnelDelay } from "../../src/tunnel/backoff.js";

describe("one backoff function for the queue, the Hub client, tunnels and lock waits", () => {
  it.each([
    [1, 1000], [2, 4000], [3, 16000], [4, 64000], [5, 256000], [6, 600000], [1e9, 600000],
  ])("queue retry after failure %i: %i ms at the midpoint of the jitter", (n, ms) => {
    expect(computeBackoff(n, DEFAULT_RETRY, () => 0.5)).toBe(ms);
  });

  it("spreads by exactly ±jitter at the ends of random(), and reads random() only with a jitter", () => {
    expect(backoff(2, { initialDelayMs: 1000, maxDelayMs: 1e6, factor: 4, jitter: 0.2 }, () => 0)).toBe(3200);
    expect(backoff(2, { initialDelayMs: 1000, maxDelayMs: 1e6, factor: 4, jitter: 0.2 }, () => 1)).toBe(4800);
    expect(backoff(2, { initialDelayMs: 1000, maxDelayMs: 1e6, factor: 4 }, () => { throw new Error("read"); })).toBe(4000);
  });

  it("the Hub client doubles from 500 ms to its cap (1-based), tunnels from 250 ms (0-based), no jitter", () => {
    const hub = { maxAttempts: 4, initialDelayMs: 500, maxDelayMs: 8000 };
    expect([1, 2, 3, 4, 5, 6, 40].map((n) => hubDelay(n, hub))).toEqual([500, 1000, 2000, 4000, 8000, 8000, 8000]);
    const tunnel = { initialDelayMs: 250, maxDelayMs: 30_000 };
    expect([0, 1, 2, 7, 8, 1000].map((n) => tunnelDelay(n, tunnel))).toEqual([250, 500, 1000, 30_000, 30_000, 30_000]);
  });

  it("never returns NaN, Infinity or a negative delay for odd inputs", () => {
    for (const n of [-5, 0, 0.5, Number.MAX_SAFE_INTEGER]) {
      const d = backoff(n, { initialDelayMs: 10, maxDelayMs: 100, factor: 10, jitter: 1 }, () => Number.NaN);
      expect(Number.isFinite(d) && d >= 0 && d <= 100).toBe(true);
    }
  });
});
