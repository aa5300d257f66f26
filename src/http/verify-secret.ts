import { HubhooksError } from "../errors.js";
import type { ReceivedHeaders } from "./received-headers.js";
import { matchesAnyInConstantTime } from "../internal/timing-safe-equal.js";
import { decodeUtf8 } from "../internal/utf8.js";

/**
 * Check the Hub's secret before anything reads the body. The header `X-Webhook-Secret` is preferred; the
 * Hub-documented `?secret=` query parameter is accepted too. Every configured secret is compared in constant time
 * (several secrets = rotation), and all of them are compared so the match position does not leak.
 * Throws 401 when none is given, 403 when it matches none. No secrets configured → open endpoint. Synchronous on
 * Node; a promise where only Web Crypto compares (Vercel's Edge runtime), so callers await it.
 */
export function verifySecret(headers: Pick<ReceivedHeaders, "get">, url: URL, secrets: readonly string[]): void | Promise<void> {
  if (secrets.length === 0) return;
  const header = headers.get("x-webhook-secret");
  const given = header !== null ? headerText(header) : url.searchParams.get("secret");
  if (given === null) {
    throw new HubhooksError("SECRET_MISSING", "x-webhook-secret header not set.", { status: 401 });
  }
  const matched = matchesAnyInConstantTime(given, secrets);
  if (typeof matched === "boolean") return checked(matched);
  return matched.then(checked);
}

function checked(matched: boolean): void {
  if (!matched) throw new HubhooksError("SECRET_INVALID", "Invalid webhook secret.", { status: 403 });
}

/**
 * A header value as the text its sender meant. HTTP parsers (Node's, undici's `Headers`) hand header bytes over one
 * char per byte (latin-1), so a UTF-8 secret like `sécret` arrives as `sÃ©cret`, while the same secret in `?secret=`
 * is percent-decoded as UTF-8. Bytes that form valid UTF-8 are read as UTF-8; anything else stays as it came.
 * @example
 * headerText("s\u00c3\u00a9cret"); // "sécret"
 */
export function headerText(value: string): string {
  // eslint-disable-next-line no-control-regex
  if (/^[\x00-\x7f]*$/.test(value) || /[^\x00-\xff]/.test(value)) return value;
  return decodeUtf8(Uint8Array.from(value, (char) => char.charCodeAt(0))) ?? value; // not UTF-8: as it came
}
