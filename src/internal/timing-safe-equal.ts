import { createHash, timingSafeEqual as nodeTimingSafeEqual } from "node:crypto";

/**
 * Compare two strings in constant time. Both sides are hashed first so that neither the length nor the
 * content of the secret leaks through timing.
 */
export function timingSafeEqual(a: string, b: string): boolean {
  const ha = createHash("sha256").update(a, "utf8").digest();
  const hb = createHash("sha256").update(b, "utf8").digest();
  return nodeTimingSafeEqual(ha, hb);
}
