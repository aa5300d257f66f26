import { describe, expect, it } from "vitest";
import { jsonResponse, plainResponse } from "../../src/errors.js";

describe("jsonResponse's parts (what the Node fast path writes)", () => {
  it("are the status, text and headers it was made of", async () => {
    const response = jsonResponse({ ok: true }, 202, { "x-hubhooks-delivery": "dlv_1" });
    expect(plainResponse(response)).toMatchObject({
      status: 202, text: '{"ok":true}', headers: { "content-type": "application/json; charset=utf-8", "x-hubhooks-delivery": "dlv_1" },
    });
    expect(await response.json()).toEqual({ ok: true });
  });

  it("are no longer used once the web headers were read (a header set afterwards is not lost)", () => {
    const response = jsonResponse({ ok: true });
    response.headers.set("x-extra", "1");
    expect(plainResponse(response)).toBeUndefined();
    expect(response.headers.get("x-extra")).toBe("1");
    expect(response.status).toBe(200);
  });

  it("do not exist for any other response", () => {
    expect(plainResponse(new Response("{}"))).toBeUndefined();
  });
});
