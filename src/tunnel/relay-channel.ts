import { HubhooksError, toError } from "../errors.js";

/**
 * Create a channel on a smee.io-compatible relay: `GET <relayUrl>/new` answers a redirect to the channel URL,
 * which is read from `Location` without following it.
 * @example
 * await createRelayChannel("https://smee.io", fetch, 15_000); // "https://smee.io/AbCdEf123"
 */
export async function createRelayChannel(
  relayUrl: string,
  fetchImpl: typeof fetch,
  timeoutMs: number,
  signal?: AbortSignal,
): Promise<string> {
  const base = relayUrl.replace(/\/+$/, "");
  let response: Response;
  try {
    const signals = [AbortSignal.timeout(timeoutMs), ...(signal ? [signal] : [])];
    response = await fetchImpl(`${base}/new`, { redirect: "manual", signal: AbortSignal.any(signals) });
  } catch (error) {
    throw new HubhooksError("TUNNEL", `could not reach the relay at ${base}: ${toError(error).message}`, {
      cause: error,
    });
  }
  await response.body?.cancel().catch(() => {});
  const location = response.headers.get("location");
  if (response.status < 300 || response.status > 399 || !location) {
    throw new HubhooksError(
      "TUNNEL",
      `the relay at ${base} did not create a channel (GET /new answered ${response.status} without a redirect)`,
    );
  }
  return resolveChannelUrl(location, base);
}

/**
 * Normalize a channel given as a full URL or as a bare id on `relayUrl`; rejects anything but http(s).
 * @example
 * resolveChannelUrl("AbCdEf123", "https://smee.io"); // "https://smee.io/AbCdEf123"
 */
export function resolveChannelUrl(channel: string, relayUrl: string): string {
  let url: URL;
  try {
    url = new URL(channel, `${relayUrl.replace(/\/+$/, "")}/`);
  } catch {
    throw new HubhooksError("TUNNEL", "the relay channel is not a valid URL or channel id");
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new HubhooksError("TUNNEL", "the relay channel must be an http(s) URL");
  }
  if (url.pathname === "/" || url.search || url.hash) {
    throw new HubhooksError("TUNNEL", "the relay channel URL must be <relay>/<channel-id> without query");
  }
  return url.toString().replace(/\/+$/, "");
}
