import { jsonResponse } from "../errors.js";

/**
 * A handler's return value as the HTTP response, like the Python server: a `Response` passes through unchanged
 * (`headers` added where its own headers allow and lack them), `undefined`/`null` → 200 `null`, anything else →
 * 200 JSON (a string becomes a JSON string) with `headers`. Headers are given here, never set afterwards: the Node
 * fast path writes a JSON response from the parts it was made of.
 */
export function toResponse(value: unknown, headers: Record<string, string> = {}): Response {
  if (!(value instanceof Response)) return jsonResponse(value ?? null, 200, headers);
  for (const name in headers) {
    if (value.headers.has(name)) continue;
    try {
      value.headers.set(name, headers[name]!);
    } catch {
      /* immutable headers of a user-made Response: leave them */
    }
  }
  return value;
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
