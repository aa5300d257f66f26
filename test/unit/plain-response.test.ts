import { getRequestListener } from "@hono/node-server";
import { describe, expect, it } from "vitest";
import { jsonResponse, plainResponse } from "../../src/errors.js";

// Test order matters: the first test runs before @hono/node-server installs its lighter Response (what launch()
// and createNodeMiddleware do), the others after.
describe("jsonResponse's parts (what the Node fast path writes)", () => {
  it("are not used for undici's own Response (they could not be checked): it is written as any other", async () => {
    const response = jsonResponse({ ok: true });
    expect(plainResponse(response)).toBeUndefined();
    expect(await response.json()).toEqual({ ok: true });
  });

  it("with @hono/node-server's Response, are the status, text and headers it was made of", async () => {
    getRequestListener(() => new Response(null)); // installs the lighter Response, as the Node listener does
    const response = jsonResponse({ ok: true }, 202, { "x-hubhooks-delivery": "dlv_1" });
    expect(plainResponse(response)).toEqual({
      status: 202, text: '{"ok":true}', headers: { "content-type": "application/json; charset=utf-8", "x-hubhooks-delivery": "dlv_1" },
    });
    expect(await response.json()).toEqual({ ok: true });
  });

  it("are no longer used once the web headers were read (a header set afterwards is not lost)", () => {
    const response = jsonResponse({ ok: true });
    expect(plainResponse(response)).toBeDefined();
    response.headers.set("x-extra", "1");
    expect(plainResponse(response)).toBeUndefined();
    expect(response.headers.get("x-extra")).toBe("1");
  });

  it("do not exist for any other response", () => {
    expect(plainResponse(new Response("{}"))).toBeUndefined();
  });
});
