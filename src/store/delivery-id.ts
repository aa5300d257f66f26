import { randomBytes } from "node:crypto";

const CROCKFORD = "0123456789abcdefghjkmnpqrstvwxyz";

let lastTime = -1;
let lastRandom = 0n;

/**
 * `dlv_` + 26 lower-case Crockford base32 characters, ULID-style: 48 bits of time then 80 random bits,
 * incremented (not re-drawn) within one millisecond so ids made by one process sort in creation order.
 * @example
 * newDeliveryId(Date.UTC(2026, 0, 1)); // "dlv_01kdvdna00" + 16 random characters
 */
export function newDeliveryId(now: number): string {
  const time = Math.max(0, Math.floor(now));
  if (time === lastTime) {
    lastRandom = (lastRandom + 1n) & ((1n << 80n) - 1n);
  } else {
    lastTime = time;
    lastRandom = BigInt(`0x${randomBytes(10).toString("hex")}`);
  }
  return `dlv_${encode(BigInt(time), 10)}${encode(lastRandom, 16)}`;
}

function encode(value: bigint, length: number): string {
  let out = "";
  let rest = value;
  for (let i = 0; i < length; i++) {
    out = CROCKFORD[Number(rest & 31n)] + out;
    rest >>= 5n;
  }
  return out;
}
