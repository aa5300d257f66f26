import { DEFAULTS } from "../defaults.js";
import { jsonDepthExceeds, tooDeepMessage } from "../payload/json-depth.js";
import { toError } from "../errors.js";
import { resolveReconnect } from "./backoff.js";
import { followEventStream } from "./event-stream.js";
import { relayedRequest, relayPublicUrl } from "./relay-message.js";
import { createRelayChannel, resolveChannelUrl } from "./relay-channel.js";
import type { SseEvent } from "./event-stream.js";
import type { ReconnectOptions, Tunnel, TunnelOpenOptions, TunnelProvider } from "./types.js";

/**
 * Options of the smee.io-compatible relay. All optional.
 * @example
 * relayProvider({ relayUrl: "https://smee.io", channelUrl: "https://smee.io/AbCdEf123" });
 */
export interface RelayProviderOptions {
  /** Relay server (default `https://smee.io`); a new channel is made with `GET <relayUrl>/new`. */
  relayUrl?: string;
  /** An existing channel URL (or bare id) to reuse, so the public URL survives restarts. */
  channelUrl?: string;
  reconnect?: ReconnectOptions;
  /** A stream silent this long is reconnected (default 90 s; smee.io pings every 30 s). */
  idleTimeoutMs?: number;
  /** Bound on creating the channel and subscribing (default 15 s). */
  openTimeoutMs?: number;
  /** Bound on one replay to the local server (default 30 s, the Hub's own limit). */
  replayTimeoutMs?: number;
}

/** Defaults of {@link RelayProviderOptions}. */
export const RELAY_DEFAULTS = {
  relayUrl: "https://smee.io",
  idleTimeoutMs: 90_000,
  openTimeoutMs: 15_000,
  replayTimeoutMs: 30_000,
} as const;

/**
 * Relay options from the environment: `HUBHOOKS_RELAY_URL`, `HUBHOOKS_RELAY_CHANNEL`.
 * @example
 * relayOptionsFromEnv({ HUBHOOKS_RELAY_CHANNEL: "https://smee.io/AbCdEf123" }).channelUrl;
 */
export function relayOptionsFromEnv(env: NodeJS.ProcessEnv = process.env): RelayProviderOptions {
  return {
    relayUrl: env.HUBHOOKS_RELAY_URL || undefined,
    channelUrl: env.HUBHOOKS_RELAY_CHANNEL || undefined,
  };
}

/**
 * A tunnel through a smee.io-compatible relay: no account, no binary. The Hub POSTs to the channel, the relay
 * streams each delivery over SSE, and it is replayed here as a POST to the local server (same headers, JSON body).
 * The relay answers the Hub with 200 itself, so the Hub's activity tab never shows your handler's status.
 * @example
 * const tunnel = await relayProvider().open({ localUrl: "http://127.0.0.1:7860", logger });
 * tunnel.publicUrlFor("/webhooks/train"); // "https://smee.io/<channel>?path=/webhooks/train"
 */
export function relayProvider(options: RelayProviderOptions = {}): TunnelProvider {
  return {
    name: "relay",
    available: () => true,
    open: (openOptions) => openRelayTunnel(options, openOptions),
  };
}

async function openRelayTunnel(options: RelayProviderOptions, open: TunnelOpenOptions): Promise<Tunnel> {
  const fetchImpl = open.fetch ?? globalThis.fetch;
  const { logger } = open;
  const relayUrl = (options.relayUrl ?? RELAY_DEFAULTS.relayUrl).replace(/\/+$/, "");
  const openTimeoutMs = options.openTimeoutMs ?? RELAY_DEFAULTS.openTimeoutMs;
  const replayTimeoutMs = options.replayTimeoutMs ?? RELAY_DEFAULTS.replayTimeoutMs;
  open.signal?.throwIfAborted();

  const channelUrl = options.channelUrl
    ? resolveChannelUrl(options.channelUrl, relayUrl)
    : await createRelayChannel(relayUrl, fetchImpl, openTimeoutMs, open.signal);
  if (!options.channelUrl) {
    logger.info({ channel: channelUrl }, "tunnel: new relay channel; set HUBHOOKS_RELAY_CHANNEL to it to keep this URL");
  }

  const closing = new AbortController();
  const inflight = new Set<Promise<void>>();
  const replay = async (event: SseEvent) => {
    let request;
    try {
      // The message wraps the body two levels down; deeper than that it would overflow re-serialising it.
      if (jsonDepthExceeds(event.data, DEFAULTS.jsonDepth + 2)) throw new Error(tooDeepMessage("The relayed message"));
      request = relayedRequest(JSON.parse(event.data), open.localUrl);
    } catch (error) {
      logger.warn({ err: toError(error).message }, "tunnel: ignored a relay message that is not a delivery");
      return;
    }
    if (request.pathMissing) logger.warn("tunnel: delivery without ?path=, forwarded to /; use tunnel.publicUrlFor(path)");
    try {
      const signal = AbortSignal.any([closing.signal, AbortSignal.timeout(replayTimeoutMs)]);
      const response = await fetchImpl(request.url, { method: "POST", headers: request.headers, body: request.body, signal });
      await response.arrayBuffer().catch(() => {});
      logger.info({ path: request.path, status: response.status }, "tunnel: relayed delivery");
    } catch (error) {
      const err = toError(error).message;
      logger.warn({ path: request.path, err }, "tunnel: relayed delivery failed to reach the local server");
    }
  };

  const stream = followEventStream({
    url: channelUrl,
    fetch: fetchImpl,
    logger,
    reconnect: resolveReconnect(options.reconnect),
    idleTimeoutMs: options.idleTimeoutMs ?? RELAY_DEFAULTS.idleTimeoutMs,
    openTimeoutMs,
    onEvent(event) {
      // smee sends `ready` on connect and `ping` as keep-alive; deliveries are unnamed ("message") events.
      if (event.type !== "message") return;
      const task = replay(event).finally(() => inflight.delete(task));
      inflight.add(task);
    },
  });

  let closed: Promise<void> | undefined;
  const close = () => {
    closed ??= (async () => {
      open.signal?.removeEventListener("abort", onAbort);
      await stream.close();
      await Promise.allSettled([...inflight]);
      closing.abort();
    })();
    return closed;
  };
  const onAbort = () => void close();
  open.signal?.addEventListener("abort", onAbort, { once: true });
  try {
    await stream.opened;
  } catch (error) {
    await close();
    throw error;
  }
  logger.info({ url: channelUrl }, "tunnel: relay connected (anyone who knows the channel URL can read deliveries)");
  return {
    provider: "relay",
    publicUrl: channelUrl,
    publicUrlFor: (path) => relayPublicUrl(channelUrl, path),
    close,
  };
}
