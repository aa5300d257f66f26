import { HubhooksError } from "../errors.js";

/** Position after the last item of a page: newest-first order is (received_at desc, id desc). */
export interface ListCursor {
  receivedAt: number;
  id: string;
}

/**
 * Opaque cursor text for `list` (base64url JSON).
 * @example
 * decodeListCursor(encodeListCursor({ receivedAt: 1, id: "dlv_x" })); // { receivedAt: 1, id: "dlv_x" }
 */
export function encodeListCursor(cursor: ListCursor): string {
  return Buffer.from(JSON.stringify([cursor.receivedAt, cursor.id])).toString("base64url");
}

/**
 * Parse a cursor from `encodeListCursor`; a malformed one is a client error (400).
 * @example
 * decodeListCursor("bad"); // throws HubhooksError INVALID_OPTIONS
 */
export function decodeListCursor(text: string): ListCursor {
  try {
    const value: unknown = JSON.parse(Buffer.from(text, "base64url").toString("utf8"));
    if (Array.isArray(value) && value.length === 2 && Number.isFinite(value[0]) && typeof value[1] === "string") {
      return { receivedAt: value[0] as number, id: value[1] };
    }
  } catch {
    // fall through to the error below
  }
  throw new HubhooksError("INVALID_OPTIONS", "Invalid list cursor.", { status: 400 });
}
