import { HubhooksError } from "../errors.js";
import type { ReceivedHeaders } from "./received-headers.js";
import { matchesAnyInConstantTime } from "../internal/timing-safe-equal.js";

/**
 * Check the Hub's secret before anything reads the body. The header `X-Webhook-Secret` is preferred; the
 * Hub-documented `?secret=` query parameter is accepted too. Every configured secret is compared in constant time
 * (several secrets = rotation), and all of them are compared so the match position does not leak.
 * Throws 401 when none is given, 403 when it matches none. No secrets configured → open endpoint.
 */
export function verifySecret(headers: Pick<ReceivedHeaders, "get">, url: URL, secrets: readonly string[]): void {
  if (secrets.length === 0) return;
  const given = headers.get("x-webhook-secret") ?? url.searchParams.get("secret");
  if (given === null) {
    throw new HubhooksError("SECRET_MISSING", "x-webhook-secret header not set.", { status: 401 });
  }
  if (!matchesAnyInConstantTime(given, secrets)) throw new HubhooksError("SECRET_INVALID", "Invalid webhook secret.", { status: 403 });
}
