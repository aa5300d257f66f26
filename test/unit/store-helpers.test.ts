import { chmodSync, existsSync, mkdtempSync, mkdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { HubhooksError } from "../../src/errors.js";
import { toStoredResult } from "../../src/queue/stored-result.js";
import { newDeliveryId } from "../../src/store/delivery-id.js";
import { decodeListCursor, encodeListCursor } from "../../src/store/list-cursor.js";
import { redactHeaders, redactUrl } from "../../src/store/redact-headers.js";
import { resolveDatabasePath } from "../../src/store/resolve-database-path.js";

const dir = mkdtempSync(join(tmpdir(), "hubhooks-helpers-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("redactHeaders / redactUrl", () => {
  it("lower-cases names and drops the secret and credentials, from a plain object or a Headers", () => {
    const input = { "X-Webhook-Secret": "s", Authorization: "Bearer t", Cookie: "c=1", "Content-Type": "application/json", "Webhook-Id": "w" };
    const expected = { "content-type": "application/json", "webhook-id": "w" };
    expect(redactHeaders(input)).toEqual(expected);
    expect(redactHeaders(new Headers(input))).toEqual(expected);
  });

  it("removes a secret query parameter from URL-valued headers and keeps the rest", () => {
    expect(redactHeaders({ referer: "https://x.hf.space/webhooks/a?secret=s&b=1#h" })).toEqual({ referer: "https://x.hf.space/webhooks/a?b=1#h" });
    expect(redactUrl("/webhooks/a?secret=s")).toBe("/webhooks/a");
    expect(redactUrl("/webhooks/a?b=1")).toBe("/webhooks/a?b=1");
    expect(redactUrl("not a url secret=x")).toBe("not a url secret=x");
  });
});

describe("resolveDatabasePath", () => {
  it("prefers the option, then HUBHOOKS_DATABASE", () => {
    expect(resolveDatabasePath({ database: ":memory:", env: { HUBHOOKS_DATABASE: "/x.db" }, cwd: dir })).toBe(":memory:");
    expect(resolveDatabasePath({ env: { HUBHOOKS_DATABASE: "/x.db", SPACE_ID: "a/b" }, cwd: dir })).toBe("/x.db");
  });

  it("uses <dataDir>/hubhooks.db in a Space with writable persistent storage", () => {
    const data = join(dir, "data");
    mkdirSync(data);
    expect(resolveDatabasePath({ env: { SPACE_ID: "acme/app" }, cwd: dir, dataDir: data })).toBe(join(data, "hubhooks.db"));
  });

  it("falls back to <cwd>/.hubhooks/hubhooks.db (created) locally or when the Space has no writable /data", () => {
    const cwd = join(dir, "app");
    expect(resolveDatabasePath({ env: {}, cwd })).toBe(join(cwd, ".hubhooks", "hubhooks.db"));
    expect(existsSync(join(cwd, ".hubhooks"))).toBe(true);
    expect(resolveDatabasePath({ env: { SPACE_ID: "acme/app" }, cwd, dataDir: join(dir, "missing") })).toBe(join(cwd, ".hubhooks", "hubhooks.db"));
    if (process.getuid?.() !== 0) {
      const readOnly = join(dir, "ro");
      mkdirSync(readOnly);
      chmodSync(readOnly, 0o500);
      expect(resolveDatabasePath({ env: { SPACE_ID: "acme/app" }, cwd, dataDir: readOnly })).toBe(join(cwd, ".hubhooks", "hubhooks.db"));
    }
  });
});

describe("newDeliveryId", () => {
  it("is dlv_ + 26 base32 characters that sort by time, and by creation within one millisecond", () => {
    const ids = [newDeliveryId(1000), newDeliveryId(1000), newDeliveryId(1000), newDeliveryId(1001), newDeliveryId(Date.UTC(2030, 0, 1))];
    for (const id of ids) expect(id).toMatch(/^dlv_[0-9a-hjkmnp-tv-z]{26}$/);
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
  });
});

describe("list cursor", () => {
  it("round-trips and rejects garbage with a 400 INVALID_OPTIONS", () => {
    expect(decodeListCursor(encodeListCursor({ receivedAt: 5, id: "dlv_a" }))).toEqual({ receivedAt: 5, id: "dlv_a" });
    for (const bad of ["", "x", Buffer.from('["a","b"]').toString("base64url")]) {
      const error = (() => {
        try {
          decodeListCursor(bad);
        } catch (e) {
          return e;
        }
      })();
      expect(error).toBeInstanceOf(HubhooksError);
      expect(error).toMatchObject({ code: "INVALID_OPTIONS", status: 400 });
    }
  });
});

describe("toStoredResult", () => {
  it("stores a Response as { status, body } without consuming the live one", async () => {
    const json = Response.json({ ok: true }, { status: 201 });
    expect(await toStoredResult(json)).toEqual({ status: 201, body: { ok: true } });
    expect(await json.json()).toEqual({ ok: true });
    expect(await toStoredResult(new Response("Task scheduled.", { status: 202 }))).toEqual({ status: 202, body: "Task scheduled." });
    expect(await toStoredResult(new Response(null, { status: 204 }))).toEqual({ status: 204, body: "" });
    const broken = new Response("{nope", { headers: { "content-type": "application/json" } });
    expect(await toStoredResult(broken)).toEqual({ status: 200, body: "{nope" });
  });

  it("stores undefined as null and other values as they are", async () => {
    expect(await toStoredResult(undefined)).toBeNull();
    expect(await toStoredResult("text")).toBe("text");
    expect(await toStoredResult({ a: [1] })).toEqual({ a: [1] });
  });
});
