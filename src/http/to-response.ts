import { jsonResponse } from "../errors.js";

/**
 * A handler's return value as the HTTP response, like the Python server: a `Response` passes through unchanged,
 * `undefined`/`null` → 200 `null`, anything else → 200 JSON (a string becomes a JSON string).
 */
export function toResponse(value: unknown): Response {
  if (value instanceof Response) return value;
  return jsonResponse(value ?? null, 200);
}

/** The JSON-safe form of a handler result, for the delivery log. */
export async function toStorableResult(value: unknown): Promise<unknown> {
  if (value instanceof Response) {
    const text = await value.clone().text();
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {
      /* keep the text */
    }
    return { status: value.status, body };
  }
  if (value === undefined) return null;
  return JSON.parse(JSON.stringify(value) ?? "null");
}
