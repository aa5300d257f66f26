import { describe, expect, it } from "vitest";
import { HubClient, hubClientOptionsFromEnv, resolveHubClientOptions } from "../../src/hub/index.js";

describe("HubClient options", () => {
  it("applies defaults", () => {
    const resolved = resolveHubClientOptions();
    expect(resolved).toMatchObject({
      token: undefined,
      endpoint: "https://huggingface.co",
      retry: { maxAttempts: 4, initialDelayMs: 500, maxDelayMs: 8000 },
      userAgent: "hubhooks",
      timeoutMs: 30_000,
    });
    expect(resolved.fetch).toBe(globalThis.fetch);
  });

  it("strips trailing slashes, trims the token and merges a partial retry budget", () => {
    const resolved = resolveHubClientOptions({ endpoint: "http://127.0.0.1:8080//", token: " hf_x\n", retry: { maxAttempts: 2 } });
    expect(resolved.endpoint).toBe("http://127.0.0.1:8080");
    expect(resolved.token).toBe("hf_x");
    expect(resolved.retry).toEqual({ maxAttempts: 2, initialDelayMs: 500, maxDelayMs: 8000 });
    expect(resolveHubClientOptions({ token: "  " }).token).toBeUndefined();
  });

  it.each([
    [{ endpoint: "huggingface.co" }, /endpoint must be an http\(s\) URL/],
    [{ endpoint: "ftp://x" }, /endpoint must be an http\(s\) URL/],
    [{ retry: { maxAttempts: 0 } }, /maxAttempts/],
    [{ retry: { maxAttempts: 1.5 } }, /maxAttempts/],
    [{ retry: { maxAttempts: 1000 } }, /maxAttempts/],
    [{ retry: { initialDelayMs: -1 } }, /initialDelayMs/],
    [{ retry: { maxDelayMs: Number.NaN } }, /maxDelayMs/],
    [{ timeoutMs: 0 }, /timeoutMs/],
  ])("rejects %j with INVALID_OPTIONS", (options, message) => {
    expect(() => new HubClient(options)).toThrow(expect.objectContaining({ code: "INVALID_OPTIONS" }));
    expect(() => new HubClient(options)).toThrow(message);
  });

  it("reads HF_TOKEN and HF_ENDPOINT only when called, overrides win, empty values are unset", () => {
    expect(hubClientOptionsFromEnv({ HF_TOKEN: "hf_env", HF_ENDPOINT: "http://mirror.local/" })).toEqual({
      token: "hf_env",
      endpoint: "http://mirror.local/",
    });
    expect(hubClientOptionsFromEnv({ HF_TOKEN: "", HF_ENDPOINT: " " })).toEqual({});
    expect(hubClientOptionsFromEnv({ HF_TOKEN: "hf_env" }, { token: "hf_override", endpoint: undefined })).toEqual({
      token: "hf_override",
    });
    const client = HubClient.fromEnv({ HF_TOKEN: "hf_env", HF_ENDPOINT: "http://mirror.local/" });
    expect(client.endpoint).toBe("http://mirror.local");
    expect(client.hasToken).toBe(true);
    expect(HubClient.fromEnv({}).hasToken).toBe(false);
  });

  it("does not expose the token on the client object", () => {
    const client = new HubClient({ token: "hf_hidden_value" });
    expect(JSON.stringify(client)).not.toContain("hf_hidden_value");
    expect(Object.values(client)).not.toContain("hf_hidden_value");
  });
});
