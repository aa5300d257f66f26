import { HubhooksError } from "../errors.js";
import { decodeUtf8 } from "../internal/utf8.js";
import { jsonDepthExceeds, tooDeepMessage } from "../payload/json-depth.js";

/**
 * Where a delivery's raw body comes from: a web `Request`, or a reader handed over by a runtime adapter that has the
 * bytes without one (the Node fast path reads `IncomingMessage`, src/node/read-node-body.ts). A reader is called
 * with the limit and must refuse a body past it with {@link bodyTooLarge}.
 */
export type BodySource = Request | ((limit: number) => Promise<Uint8Array>);

/** The 413 of a body over the limit. */
export function bodyTooLarge(limit: number): HubhooksError {
  return new HubhooksError("PAYLOAD_TOO_LARGE", `Request body is larger than the limit of ${limit} bytes.`, {
    status: 413,
  });
}

/**
 * Read the raw body up to `limit` bytes. A declared `Content-Length` over the limit is refused before reading;
 * a body that streams past the limit is cut off and refused too. A body whose length is declared (what the Hub
 * sends) is read in one call, which on Node (`@hono/node-server`) takes the bytes straight from the socket
 * instead of through a web stream; HTTP framing holds it to the declared length.
 */
export async function readBody(
  request: BodySource,
  limit: number,
  contentLength: string | null = typeof request === "function" ? null : request.headers.get("content-length"),
): Promise<Uint8Array> {
  const declared = Number(contentLength ?? NaN);
  if (Number.isFinite(declared) && declared > limit) throw bodyTooLarge(limit);
  if (typeof request === "function") return request(limit);
  if (Number.isFinite(declared) && declared >= 0 && !request.bodyUsed) {
    const bytes = new Uint8Array(await request.arrayBuffer());
    if (bytes.byteLength > limit) throw bodyTooLarge(limit);
    return bytes;
  }
  if (!request.body) return new Uint8Array(0);
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => {});
      throw bodyTooLarge(limit);
    }
    chunks.push(value);
  }
  if (chunks.length === 1) return chunks[0]!;
  const out = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return out;
}

/**
 * Decode and parse a JSON body; 400 with a clear message when it is not JSON or nests deeper than `maxDepth`
 * (`JSON_TOO_DEEP`: no Hub payload is that deep, and such a value would break every later serialisation of it).
 */
export function parseJsonBody(bytes: Uint8Array, maxDepth?: number): { text: string; value: unknown } {
  const decoded = decodeUtf8(bytes);
  if (decoded === undefined) throw new HubhooksError("INVALID_JSON", "Request body is not valid UTF-8 JSON.", { status: 400 });
  const text = decoded.charCodeAt(0) === 0xfeff ? decoded.slice(1) : decoded; // a UTF-8 BOM, as TextDecoder dropped it
  if (/^\s*$/.test(text)) throw new HubhooksError("INVALID_JSON", "Request body is empty; expected JSON.", { status: 400 });
  if (jsonDepthExceeds(text, maxDepth)) {
    throw new HubhooksError("JSON_TOO_DEEP", tooDeepMessage("Request body", maxDepth), { status: 400 });
  }
  try {
    return { text, value: JSON.parse(text) };
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    throw new HubhooksError("INVALID_JSON", `Request body is not valid JSON: ${detail}`, { status: 400 });
  }
}
