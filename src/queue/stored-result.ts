import { jsonDepthExceeds } from "../payload/json-depth.js";

/**
 * What a handler's return value looks like in the store: a web `Response` becomes `{ status, body }`
 * (body text, parsed when the content type is JSON; read from a clone so the live Response can still be
 * sent to the Hub), undefined becomes null, anything else is kept as is (stored as JSON).
 * @example
 * await toStoredResult(Response.json({ ok: true }, { status: 202 })); // { status: 202, body: { ok: true } }
 * await toStoredResult(undefined); // null
 */
export async function toStoredResult(value: unknown): Promise<unknown> {
  if (value instanceof Response) {
    // A body that can't be read (already used, stream error) must not fail a delivery that succeeded.
    const text = value.bodyUsed ? "" : await value.clone().text().catch(() => "");
    let body: unknown = text;
    if (text !== "" && /\bjson\b/i.test(value.headers.get("content-type") ?? "") && !jsonDepthExceeds(text)) {
      try {
        body = JSON.parse(text);
      } catch {
        // Declared JSON but isn't: keep the text.
      }
    }
    return { status: value.status, body };
  }
  return value === undefined ? null : value;
}
