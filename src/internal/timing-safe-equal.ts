// Constant-time comparison of secrets: node:crypto where the runtime has it (see node-builtin.ts), else Web Crypto.
import { nodeBuiltin } from "./node-builtin.js";

type NodeCrypto = typeof import("node:crypto");
const nodeCrypto = () => nodeBuiltin<NodeCrypto>("node:crypto");

const MAX_REMEMBERED = 16;
const digests = new Map<string, Uint8Array>();
const webDigests = new Map<string, Promise<Uint8Array>>();
const encoder = new TextEncoder();

// crypto.hash: one call, no Hash object per comparison (it was ~3% of a delivery's CPU).
const sha256 = (node: NodeCrypto, text: string): Uint8Array => node.hash("sha256", text, "buffer");
const webSha256 = async (text: string): Promise<Uint8Array> => new Uint8Array(await crypto.subtle.digest("SHA-256", encoder.encode(text)));

/** The digest of a known value (a configured secret), computed once: the few secrets are compared on every request. */
function remembered<T>(cache: Map<string, T>, known: string, digest: (text: string) => T): T {
  let value = cache.get(known);
  if (value === undefined) {
    if (cache.size >= MAX_REMEMBERED) cache.delete(cache.keys().next().value!);
    cache.set(known, (value = digest(known)));
  }
  return value;
}

/** Equal bytes, in a time that depends only on the lengths (equal for two SHA-256 digests). */
export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  let diff = a.length ^ b.length;
  const length = Math.max(a.length, b.length);
  for (let i = 0; i < length; i++) diff |= (a[i] ?? 0) ^ (b[i] ?? 0);
  return diff === 0;
}

/**
 * Compare a given string with a known one (a configured secret) in constant time. Both sides are compared as
 * SHA-256 digests so that neither the length nor the content of the secret leaks through timing; the known
 * side's digest is computed once. Without node:crypto (this call is synchronous, Web Crypto's digest is not) the
 * UTF-8 bytes are compared in a time that depends only on the longer length.
 * @example
 * timingSafeEqual(request.headers.get("authorization") ?? "", token);
 */
export function timingSafeEqual(given: string, known: string): boolean {
  const node = nodeCrypto();
  if (!node) return bytesEqual(encoder.encode(given), encoder.encode(known));
  return node.timingSafeEqual(sha256(node, given), remembered(digests, known, (k) => sha256(node, k)));
}

/**
 * `timingSafeEqual` against several known values (secret rotation), hashing the given value once; every known
 * value is compared so the position of the match does not leak. Synchronous with node:crypto; a promise where only
 * Web Crypto exists (SHA-256 digests through `crypto.subtle`, compared byte by byte without an early exit).
 * @example
 * await matchesAnyInConstantTime(given, ["new-secret", "old-secret"]); // true for either
 */
export function matchesAnyInConstantTime(given: string, knowns: readonly string[]): boolean | Promise<boolean> {
  const node = nodeCrypto();
  if (!node) return matchesAnyWithWebCrypto(given, knowns);
  const digest = sha256(node, given);
  let ok = false;
  for (const known of knowns) ok = node.timingSafeEqual(digest, remembered(digests, known, (k) => sha256(node, k))) || ok;
  return ok;
}

/**
 * The Web Crypto form of {@link matchesAnyInConstantTime} (what runs where node:crypto is absent).
 * @example
 * await matchesAnyWithWebCrypto("s3cret", ["s3cret"]); // true
 */
export async function matchesAnyWithWebCrypto(given: string, knowns: readonly string[]): Promise<boolean> {
  const [digest, ...known] = await Promise.all([webSha256(given), ...knowns.map((k) => remembered(webDigests, k, webSha256))]);
  let ok = false;
  for (const other of known) ok = bytesEqual(digest!, other) || ok;
  return ok;
}
