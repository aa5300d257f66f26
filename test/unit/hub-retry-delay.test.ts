import { describe, expect, it } from "vitest";
import { backoffDelay, isRetryableStatus, parseRetryAfter } from "../../src/hub/index.js";

const retry = { maxAttempts: 4, initialDelayMs: 500, maxDelayMs: 8000 };

describe("retry delay", () => {
  it("retries 429 and 5xx only", () => {
    expect([429, 500, 502, 503, 504, 599].every(isRetryableStatus)).toBe(true);
    expect([200, 400, 401, 403, 404, 409, 422, 600].some(isRetryableStatus)).toBe(false);
  });

  it("doubles from initialDelayMs and caps at maxDelayMs", () => {
    expect([1, 2, 3, 4, 5, 6, 100].map((a) => backoffDelay(a, retry))).toEqual([500, 1000, 2000, 4000, 8000, 8000, 8000]);
    expect(backoffDelay(3, { ...retry, initialDelayMs: 0 })).toBe(0);
  });

  it("parses Retry-After seconds and HTTP dates", () => {
    const now = Date.parse("Wed, 21 Oct 2026 07:28:00 GMT");
    expect(parseRetryAfter("2", now)).toBe(2000);
    expect(parseRetryAfter(" 0 ", now)).toBe(0);
    expect(parseRetryAfter("1.5", now)).toBe(1500);
    expect(parseRetryAfter("Wed, 21 Oct 2026 07:28:10 GMT", now)).toBe(10_000);
    expect(parseRetryAfter("Wed, 21 Oct 2026 07:27:00 GMT", now)).toBe(0); // in the past
  });

  it("ignores absent or unreadable Retry-After", () => {
    expect(parseRetryAfter(null, 0)).toBeUndefined();
    expect(parseRetryAfter(undefined, 0)).toBeUndefined();
    expect(parseRetryAfter("", 0)).toBeUndefined();
    expect(parseRetryAfter("soon", 0)).toBeUndefined();
    expect(parseRetryAfter("-5", 0)).toBeUndefined();
  });
});
