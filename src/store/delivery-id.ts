const CROCKFORD = "0123456789abcdefghjkmnpqrstvwxyz";
const RANDOM_BYTES = 10;

// Random bytes drawn 1 KiB at a time: one delivery needs 10, and a system call per delivery cost more than the rest.
// Web Crypto (every runtime has it: Node, Bun, Deno, Workers, Edge), so the inline mode stays free of node: modules.
const pool = new Uint8Array(1024);
let poolOffset = pool.length;
let lastTime = -1;
const last = new Uint8Array(RANDOM_BYTES);

/**
 * `dlv_` + 26 lower-case Crockford base32 characters, ULID-style: 48 bits of time then 80 random bits,
 * incremented (not re-drawn) within one millisecond so ids made by one process sort in creation order.
 * @example
 * newDeliveryId(Date.UTC(2026, 0, 1)); // "dlv_01kdvdna00" + 16 random characters
 */
export function newDeliveryId(now: number): string {
  const time = Math.max(0, Math.floor(now));
  if (time === lastTime) {
    for (let i = RANDOM_BYTES - 1; i >= 0; i--) if ((last[i] = (last[i]! + 1) & 0xff) !== 0) break;
  } else {
    lastTime = time;
    if (poolOffset + RANDOM_BYTES > pool.length) {
      globalThis.crypto.getRandomValues(pool);
      poolOffset = 0;
    }
    last.set(pool.subarray(poolOffset, (poolOffset += RANDOM_BYTES)));
  }
  return `dlv_${encodeTime(time)}${encodeFive(last, 0)}${encodeFive(last, 5)}`;
}

/** 48 bits of milliseconds as 10 characters (exact in a double: 2^48 < 2^53). */
function encodeTime(time: number): string {
  let out = "";
  let rest = time;
  for (let i = 0; i < 10; i++) {
    out = CROCKFORD[rest % 32]! + out;
    rest = Math.floor(rest / 32);
  }
  return out;
}

/** 5 bytes (40 bits) as 8 characters, most significant first. */
function encodeFive(bytes: Uint8Array, at: number): string {
  // Two 20-bit halves keep every step within 32-bit integer arithmetic.
  const high = (bytes[at]! << 12) | (bytes[at + 1]! << 4) | (bytes[at + 2]! >> 4);
  const low = ((bytes[at + 2]! & 0x0f) << 16) | (bytes[at + 3]! << 8) | bytes[at + 4]!;
  let out = "";
  for (const half of [high, low]) {
    for (let shift = 15; shift >= 0; shift -= 5) out += CROCKFORD[(half >> shift) & 31];
  }
  return out;
}
