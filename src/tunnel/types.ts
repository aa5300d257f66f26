import type { Logger } from "../internal/logger.js";

/**
 * An open public tunnel to the local webhook server.
 * @example
 * const tunnel = await openTunnel({ localUrl: "http://127.0.0.1:7860", logger });
 * console.log(tunnel.publicUrlFor("/webhooks/train")); // give this URL to the Hub
 * await tunnel.close();
 */
export interface Tunnel {
  /** Provider name: "relay", "localtunnel", "cloudflared" or "ngrok". */
  readonly provider: string;
  /** Public base URL (no trailing `/`). For the relay it is the channel URL. */
  readonly publicUrl: string;
  /**
   * The public URL the Hub must call for a local path such as `/webhooks/train`. Providers that forward
   * HTTP return `publicUrl + path`; the relay has one URL per channel and carries the path in the query.
   */
  publicUrlFor(path: string): string;
  /** Closes sockets, streams and child processes. Safe to call twice. */
  close(): Promise<void>;
}

/**
 * What every provider needs to open a tunnel.
 * @example
 * const options: TunnelOpenOptions = { localUrl: "http://127.0.0.1:7860", logger: createLogger() };
 */
export interface TunnelOpenOptions {
  /** Where the local server listens, e.g. `http://127.0.0.1:7860`. */
  localUrl: string;
  logger: Logger;
  /** Aborting it while opening rejects `open()`; aborting later closes the tunnel. */
  signal?: AbortSignal;
  /** Injected `fetch` (defaults to the global one). */
  fetch?: typeof fetch;
}

/**
 * One way to expose the local server to the internet.
 * @example
 * const provider = relayProvider({ relayUrl: "https://smee.io" });
 * if (await provider.available(process.env)) await provider.open({ localUrl, logger });
 */
export interface TunnelProvider {
  readonly name: string;
  /** Whether this provider can work here (package installed, binary on PATH, token set...). */
  available(env: NodeJS.ProcessEnv): Promise<boolean> | boolean;
  open(options: TunnelOpenOptions): Promise<Tunnel>;
}

/**
 * Bounded exponential backoff used by the providers that hold long-lived connections.
 * @example
 * relayProvider({ reconnect: { initialDelayMs: 100, maxDelayMs: 5_000, maxAttempts: 20 } });
 */
export interface ReconnectOptions {
  /** First delay after a failed attempt (default 250 ms); doubles on every further failure. */
  initialDelayMs?: number;
  /** Upper bound of one delay (default 30 s). */
  maxDelayMs?: number;
  /** Consecutive failed attempts before giving up for good (default 120, about an hour at the cap). */
  maxAttempts?: number;
  /** Waits between attempts; injected by tests to control reconnection without wall-clock sleeps. */
  delay?: (ms: number, signal: AbortSignal) => Promise<void>;
}
