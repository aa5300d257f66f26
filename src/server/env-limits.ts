import { HubhooksError } from "../errors.js";

/** The limits and timings that have an environment form (documented in README's configuration reference). */
export interface EnvLimits {
  bodyLimit?: number;
  retentionMs?: number | false;
  leaseMs?: number;
  shutdownGraceMs?: number;
  /** Running deliveries per endpoint per process, for endpoints without their own `concurrency`. */
  concurrency?: number;
  /** `HUBHOOKS_DURABILITY`: a value other than normal/full is refused, not taken as normal. */
  durability?: "normal" | "full";
}

/**
 * `HUBHOOKS_BODY_LIMIT` (bytes), `HUBHOOKS_RETENTION_MS` (`false` keeps everything), `HUBHOOKS_LEASE_MS`,
 * `HUBHOOKS_SHUTDOWN_GRACE_MS` and `HUBHOOKS_CONCURRENCY`, read when a server is built (never at import). A value
 * that is not a whole number in range is refused with INVALID_OPTIONS naming the variable, rather than ignored.
 * @example
 * envLimits({ HUBHOOKS_LEASE_MS: "120000" }); // { leaseMs: 120000 }
 * envLimits({ HUBHOOKS_CONCURRENCY: "many" }); // throws: HUBHOOKS_CONCURRENCY must be a whole number ≥ 1, not "many".
 */
export function envLimits(env: Record<string, string | undefined>): EnvLimits {
  const out: EnvLimits = {};
  const bodyLimit = whole(env, "HUBHOOKS_BODY_LIMIT", 1);
  if (bodyLimit !== undefined) out.bodyLimit = bodyLimit;
  const retention = env.HUBHOOKS_RETENTION_MS?.trim();
  if (retention === "false") out.retentionMs = false;
  else {
    const retentionMs = whole(env, "HUBHOOKS_RETENTION_MS", 1);
    if (retentionMs !== undefined) out.retentionMs = retentionMs;
  }
  const leaseMs = whole(env, "HUBHOOKS_LEASE_MS", 1_000);
  if (leaseMs !== undefined) out.leaseMs = leaseMs;
  const grace = whole(env, "HUBHOOKS_SHUTDOWN_GRACE_MS", 0);
  if (grace !== undefined) out.shutdownGraceMs = grace;
  const concurrency = whole(env, "HUBHOOKS_CONCURRENCY", 1);
  if (concurrency !== undefined) out.concurrency = concurrency;
  const durability = env.HUBHOOKS_DURABILITY?.trim();
  if (durability === "normal" || durability === "full") out.durability = durability;
  else if (durability) {
    throw new HubhooksError("INVALID_OPTIONS", `HUBHOOKS_DURABILITY must be "normal" or "full", not ${JSON.stringify(durability)}.`);
  }
  return out;
}

function whole(env: Record<string, string | undefined>, name: string, min: number): number | undefined {
  const text = env[name]?.trim();
  if (!text) return undefined;
  const value = /^\d+$/.test(text) ? Number(text) : NaN;
  if (!Number.isSafeInteger(value) || value < min) {
    const extra = name === "HUBHOOKS_RETENTION_MS" ? ' (or "false" to keep everything)' : "";
    throw new HubhooksError("INVALID_OPTIONS", `${name} must be a whole number ≥ ${min}${extra}, not ${JSON.stringify(text)}.`);
  }
  return value;
}
