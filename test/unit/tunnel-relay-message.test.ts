import { describe, expect, it } from "vitest";
import { relayedRequest, relayPublicUrl } from "../../src/tunnel/relay-message.js";
import { backoffDelay } from "../../src/tunnel/backoff.js";

const local = "http://127.0.0.1:7860";

describe("relayPublicUrl", () => {
  it("carries the endpoint path in the query, slashes kept readable", () => {
    expect(relayPublicUrl("https://smee.io/abc", "/webhooks/a b")).toBe("https://smee.io/abc?path=/webhooks/a%20b");
    expect(relayPublicUrl("https://smee.io/abc", "webhooks/x")).toBe("https://smee.io/abc?path=/webhooks/x");
  });
});

describe("relayedRequest", () => {
  const message = {
    host: "smee.io",
    connection: "keep-alive, x-hop",
    "x-hop": "1",
    "content-length": "99",
    "content-encoding": "gzip",
    "transfer-encoding": "chunked",
    "content-type": "application/json",
    "x-webhook-secret": "s3cret",
    "x-forwarded-for": ["1.2.3.4", "5.6.7.8"],
    "bad header": "x",
    "x-newline": "a\r\nb",
    body: { event: { action: "update" } },
    query: { path: "/webhooks/x", secret: "q", tag: ["a", "b"] },
    timestamp: 1767225600000,
  };

  it("keeps end-to-end headers, drops hop-by-hop and transfer ones, re-serializes the body", () => {
    const request = relayedRequest(message, local);
    expect(request.headers).toEqual({
      "content-type": "application/json",
      "x-webhook-secret": "s3cret",
      "x-forwarded-for": "1.2.3.4, 5.6.7.8",
    });
    expect(request.body).toBe('{"event":{"action":"update"}}');
    expect(request.path).toBe("/webhooks/x");
    expect(request.pathMissing).toBe(false);
    expect(request.url).toBe("http://127.0.0.1:7860/webhooks/x?secret=q&tag=a&tag=b");
  });

  it("joins the path under a local base path and defaults to / without ?path=", () => {
    expect(relayedRequest({ body: {}, query: { path: "/webhooks/x" } }, "http://127.0.0.1:1/base/").url).toBe(
      "http://127.0.0.1:1/base/webhooks/x",
    );
    const bare = relayedRequest({ body: {} }, local);
    expect(bare).toMatchObject({ path: "/", pathMissing: true, url: "http://127.0.0.1:7860/" });
    expect(bare.headers["content-type"]).toBe("application/json");
  });

  it("refuses paths that could leave the local server", () => {
    for (const path of ["//evil.example/x", "http://evil.example/", "/a/../../b", "/a\\b", "x"]) {
      expect(() => relayedRequest({ query: { path } }, local), path).toThrow(/invalid path/);
    }
    expect(() => relayedRequest([1], local)).toThrow(/not a JSON object/);
  });
});

describe("backoffDelay", () => {
  it("doubles from the initial delay up to the cap", () => {
    const options = { initialDelayMs: 250, maxDelayMs: 30_000 };
    expect([0, 1, 2, 7, 8, 1_000].map((n) => backoffDelay(n, options))).toEqual([250, 500, 1000, 30_000, 30_000, 30_000]);
  });
});
