import net from "node:net";
import { HubhooksError, toError } from "../errors.js";
import { backoffDelay, resolveReconnect } from "./backoff.js";
import { bridgeTunnelSocket, type LocalAddress } from "./localtunnel-socket.js";
import { registerLocaltunnel, type LocaltunnelInfo } from "./localtunnel-register.js";
import type { ReconnectOptions, Tunnel, TunnelOpenOptions, TunnelProvider } from "./types.js";
import { joinUrlPath } from "./join-url-path.js";

/**
 * Options of the localtunnel client. All optional.
 * @example
 * localtunnelProvider({ host: "https://localtunnel.me", subdomain: "my-bot-hooks" });
 */
export interface LocaltunnelProviderOptions {
  /** localtunnel server (default `https://localtunnel.me`). */
  host?: string;
  /** Ask for this subdomain instead of a random one (the server may refuse or pick another). */
  subdomain?: string;
  reconnect?: ReconnectOptions;
  /** Upper bound on sockets, whatever the server offers (default 10). */
  maxSockets?: number;
  /** Bound on registering and connecting the first socket (default 15 s). */
  openTimeoutMs?: number;
  /** Every this many failed reconnect rounds, register the same id again: the server may have forgotten it. */
  reregisterEvery?: number;
}

/** Defaults of {@link LocaltunnelProviderOptions}. */
export const LOCALTUNNEL_DEFAULTS = {
  host: "https://localtunnel.me",
  maxSockets: 10,
  openTimeoutMs: 15_000,
  reregisterEvery: 3,
} as const;

/**
 * localtunnel options from the environment: `HUBHOOKS_LOCALTUNNEL_HOST`.
 * @example
 * localtunnelOptionsFromEnv({ HUBHOOKS_LOCALTUNNEL_HOST: "https://lt.example.org" }).host;
 */
export function localtunnelOptionsFromEnv(env: NodeJS.ProcessEnv = process.env): LocaltunnelProviderOptions {
  return { host: env.HUBHOOKS_LOCALTUNNEL_HOST || undefined };
}

/**
 * A tunnel through a localtunnel server: it registers a tunnel over HTTP, then keeps up to `max_conn_count` TCP
 * sockets open to the server; each public request arrives raw on one of them and is piped to the local server.
 * @example
 * const tunnel = await localtunnelProvider().open({ localUrl: "http://127.0.0.1:7860", logger });
 * tunnel.publicUrlFor("/webhooks/train"); // "https://<id>.loca.lt/webhooks/train"
 */
export function localtunnelProvider(options: LocaltunnelProviderOptions = {}): TunnelProvider {
  return { name: "localtunnel", available: () => true, open: (open) => openLocaltunnel(options, open) };
}

async function openLocaltunnel(options: LocaltunnelProviderOptions, open: TunnelOpenOptions): Promise<Tunnel> {
  const { logger } = open;
  const fetchImpl = open.fetch ?? globalThis.fetch;
  const host = (options.host ?? LOCALTUNNEL_DEFAULTS.host).replace(/\/+$/, "");
  const timeoutMs = options.openTimeoutMs ?? LOCALTUNNEL_DEFAULTS.openTimeoutMs;
  const reconnect = resolveReconnect(options.reconnect);
  const reregisterEvery = Math.max(1, options.reregisterEvery ?? LOCALTUNNEL_DEFAULTS.reregisterEvery);
  const local = localAddress(open.localUrl);
  const remoteHost = new URL(host).hostname.replace(/^\[|\]$/g, "");
  let info: LocaltunnelInfo = await registerLocaltunnel(host, fetchImpl, {
    subdomain: options.subdomain,
    timeoutMs,
    signal: open.signal,
  });
  const slots = Math.min(info.maxConnCount, options.maxSockets ?? LOCALTUNNEL_DEFAULTS.maxSockets);

  const closing = new AbortController();
  const sockets = new Set<net.Socket>();
  let live = 0;
  let pending = 0;
  let failures = 0;
  let waiting = false;
  let outage = false;
  let everConnected = false;
  let settleOpened: ((error?: Error) => void) | undefined;
  const opened = new Promise<void>((resolve, reject) => {
    settleOpened = (error) => (error ? reject(error) : resolve());
  });

  const onFailure = (error?: Error) => {
    if (!everConnected) {
      const reason = error?.message ?? "connection closed";
      const message = `could not connect to the localtunnel server at ${remoteHost}:${info.port}: ${reason}`;
      return settleOpened?.(new HubhooksError("TUNNEL", message));
    }
    // One failure per round: several sockets failing together count once.
    if (closing.signal.aborted || waiting) return;
    if (!outage) logger.warn("tunnel: connection lost, reconnecting");
    outage = true;
    failures++;
    if (failures > reconnect.maxAttempts) {
      const message = "tunnel: localtunnel server unreachable, giving up; restart to open a new tunnel";
      logger.error({ attempts: failures - 1 }, message);
      return;
    }
    waiting = true;
    void reconnect.delay(backoffDelay(failures - 1, reconnect), closing.signal).then(async () => {
      if (failures % reregisterEvery === 0 && !closing.signal.aborted) await reregister();
      waiting = false;
      refill();
    });
  };

  const reregister = async () => {
    try {
      const next = await registerLocaltunnel(host, fetchImpl, { subdomain: info.id, timeoutMs, signal: closing.signal });
      if (next.url !== info.url) logger.warn({ url: next.url }, "tunnel: localtunnel gave a new public URL");
      info = next;
    } catch (error) {
      logger.debug({ err: toError(error).message }, "tunnel: could not register the tunnel again");
    }
  };

  const openSocket = () => {
    pending++;
    const remote = net.connect({ host: remoteHost, port: info.port });
    sockets.add(remote);
    let connected = false;
    let carried = false;
    let lastError: Error | undefined;
    remote.setKeepAlive(true);
    remote.on("error", (error) => (lastError = error));
    remote.once("connect", () => {
      connected = true;
      pending--;
      live++;
      failures = 0;
      everConnected = true;
      if (outage) logger.info("tunnel: reconnected");
      outage = false;
      settleOpened?.();
      bridgeTunnelSocket(remote, local, logger, sockets, () => (carried = true));
    });
    remote.once("close", () => {
      sockets.delete(remote);
      if (connected) live--;
      else pending--;
      if (closing.signal.aborted) return;
      // A socket that served a request closes normally (one request per socket); anything else is a failure.
      if (carried) refill();
      else onFailure(lastError);
    });
  };

  const refill = () => {
    if (closing.signal.aborted || waiting || failures > reconnect.maxAttempts) return;
    for (let i = live + pending; i < slots; i++) openSocket();
  };

  let closed: Promise<void> | undefined;
  const close = () => {
    closed ??= (async () => {
      open.signal?.removeEventListener("abort", onAbort);
      closing.abort();
      settleOpened?.(new HubhooksError("TUNNEL", "the localtunnel tunnel was closed while opening"));
      const gone = [...sockets].map((socket) => new Promise((resolve) => socket.once("close", resolve)));
      for (const socket of sockets) socket.destroy();
      await Promise.all(gone);
    })();
    return closed;
  };
  const onAbort = () => void close();
  open.signal?.addEventListener("abort", onAbort, { once: true });

  refill();
  const timeout = new HubhooksError("TUNNEL", `no localtunnel socket connected within ${timeoutMs} ms`);
  const timer = setTimeout(() => settleOpened?.(timeout), timeoutMs);
  try {
    await opened;
  } catch (error) {
    await close();
    throw error;
  } finally {
    clearTimeout(timer);
  }
  logger.info({ url: info.url }, "tunnel: localtunnel connected");
  return {
    provider: "localtunnel",
    get publicUrl() {
      return info.url;
    },
    publicUrlFor: (path) => joinUrlPath(info.url, path),
    close,
  };
}

function localAddress(localUrl: string): LocalAddress {
  const url = new URL(localUrl);
  if (url.protocol !== "http:") {
    throw new HubhooksError("TUNNEL", "localtunnel forwards plain TCP: the local URL must be http://");
  }
  return { host: url.hostname.replace(/^\[|\]$/g, ""), port: Number(url.port || 80) };
}
