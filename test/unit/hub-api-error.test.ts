import { describe, expect, it } from "vitest";
import { HubhooksError, httpErrorResponse } from "../../src/errors.js";
import { HubApiError, hubMessageFromBody } from "../../src/hub/index.js";

describe("HubApiError", () => {
  it("carries the Hub status, message, method and url", () => {
    const error = new HubApiError({
      method: "POST",
      url: "https://huggingface.co/api/settings/webhooks/abc?x=1",
      status: 404,
      hubMessage: "Webhook not found",
    });
    expect(error).toBeInstanceOf(HubhooksError);
    expect(error).toMatchObject({ name: "HubApiError", code: "HUB_API", status: 404, method: "POST" });
    expect(error.message).toBe("[hubhooks] Hub API POST /api/settings/webhooks/abc?x=1 failed with 404: Webhook not found");
    expect(error.retryAfterMs).toBeUndefined();
  });

  it("omits the colon when the Hub sent no message, and maps to an HTTP response", async () => {
    const error = new HubApiError({ method: "GET", url: "https://h.example/api/x", status: 502, hubMessage: "" });
    expect(error.message).toBe("[hubhooks] Hub API GET /api/x failed with 502");
    const response = httpErrorResponse(error);
    expect(response.status).toBe(502);
    expect(await response.json()).toEqual({ error: "Hub API GET /api/x failed with 502" });
  });
});

describe("hubMessageFromBody", () => {
  it("prefers the JSON error field, else the trimmed text", () => {
    expect(hubMessageFromBody('{"error":"Webhook not found"}')).toBe("Webhook not found");
    expect(hubMessageFromBody('{"error":["a","b"]}')).toBe('["a","b"]');
    expect(hubMessageFromBody('{"message":"x"}')).toBe('{"message":"x"}');
    expect(hubMessageFromBody("  Bad Gateway\n")).toBe("Bad Gateway");
    expect(hubMessageFromBody("")).toBe("");
  });

  it("redacts secrets and truncates huge bodies", () => {
    expect(hubMessageFromBody('{"error":"token hf_abc is invalid"}', ["hf_abc"])).toBe("token *** is invalid");
    const long = hubMessageFromBody("<html>" + "x".repeat(5000));
    expect(long).toHaveLength(1001);
    expect(long.endsWith("…")).toBe(true);
  });
});
