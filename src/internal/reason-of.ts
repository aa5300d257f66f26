/**
 * The one-line reason of an error: its message without the `[hubhooks]` prefix, then its causes' messages that it
 * does not already say (`fetch failed` → `fetch failed: getaddrinfo ENOTFOUND smee.io`: undici's message names no
 * host, its cause does).
 * @example
 * reasonOf(new TypeError("fetch failed", { cause: new Error("getaddrinfo ENOTFOUND smee.io") })); // "fetch failed: getaddrinfo ENOTFOUND smee.io"
 */
export function reasonOf(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  let reason = error.message.replace(/^\[hubhooks\] /, "");
  // Bounded: causes can form a cycle.
  let cause: unknown = error.cause;
  for (let depth = 0; cause instanceof Error && depth < 3; depth++, cause = cause.cause) {
    if (!reason.includes(cause.message)) reason += `: ${cause.message}`;
  }
  return reason;
}
