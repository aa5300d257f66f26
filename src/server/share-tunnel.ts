import type { Logger } from "../internal/logger.js";
import type { Tunnel } from "../tunnel/types.js";
import { reasonOf } from "../internal/reason-of.js";

/**
 * Options of {@link ShareTunnel}.
 * @example
 * const options: ShareTunnelOptions = { open: (signal) => openTunnel({ localUrl, logger, signal }), print, logger, onOpen };
 */
export interface ShareTunnelOptions {
  /** Opens the tunnel once (one attempt). */
  open: (signal: AbortSignal) => Promise<Tunnel>;
  /** The console (the lines users read, next to "Running on local URL"). */
  print: (line: string) => void;
  logger: Logger;
  /** A tunnel that opened in the background, after the first attempt failed. */
  onOpen: (tunnel: Tunnel) => void | Promise<void>;
  /** Wait before retry number `attempt` (1, 2, …); default 1 s doubling up to 60 s. */
  retryDelayMs?: (attempt: number) => number;
}

const retryDelay = (attempt: number) => Math.min(60_000, 1_000 * 2 ** (attempt - 1));

/**
 * A public URL that does not decide whether the app runs: when the tunnel (a relay, a provider's server) cannot be
 * reached, the server keeps serving locally, says so in one line, and keeps trying in the background.
 * @example
 * const share = new ShareTunnel({ open, print: console.log, logger, onOpen: (t) => console.log(t.publicUrl) });
 * const tunnel = await share.open(); // undefined when the first attempt failed (retrying)
 * await share.close();
 */
export class ShareTunnel {
  readonly #options: ShareTunnelOptions;
  readonly #abort = new AbortController();
  #tunnel?: Tunnel;
  #timer?: NodeJS.Timeout;
  /** Why the last attempt failed, so a retry logs only a change of reason. */
  #reason?: string;

  constructor(options: ShareTunnelOptions) {
    this.#options = options;
  }

  /** The tunnel once open. */
  get current(): Tunnel | undefined {
    return this.#tunnel;
  }

  /** First attempt: the tunnel, or undefined after printing the hint (retries are scheduled). */
  async open(): Promise<Tunnel | undefined> {
    try {
      this.#tunnel = await this.#options.open(this.#abort.signal);
      return this.#tunnel;
    } catch (error) {
      if (this.#abort.signal.aborted) return undefined;
      // The one line an expected condition (no network) gets; its stack only at LOG_LEVEL=debug.
      this.#reason = reasonOf(error);
      this.#options.print(
        `Could not open a public URL (${this.#reason}): serving locally only, retrying in the background (--no-share serves locally without trying).`,
      );
      this.#options.logger.debug({ err: error }, "tunnel: could not open; retrying in the background");
      this.#schedule(1);
      return undefined;
    }
  }

  #schedule(attempt: number): void {
    const wait = (this.#options.retryDelayMs ?? retryDelay)(attempt);
    this.#timer = setTimeout(() => void this.#retry(attempt), wait);
    this.#timer.unref?.();
  }

  async #retry(attempt: number): Promise<void> {
    if (this.#abort.signal.aborted) return;
    try {
      const tunnel = await this.#options.open(this.#abort.signal);
      if (this.#abort.signal.aborted) return void (await tunnel.close().catch(() => {}));
      this.#tunnel = tunnel;
      this.#options.logger.info({ provider: tunnel.provider, attempt }, "tunnel: open after retrying");
      await this.#options.onOpen(tunnel);
    } catch (error) {
      if (this.#abort.signal.aborted) return;
      // On change, not on every try: a laptop offline for an hour logs its reason once.
      const reason = reasonOf(error);
      if (reason !== this.#reason) this.#options.logger.warn({ attempt, reason }, "tunnel: still unreachable, for another reason; retrying");
      this.#reason = reason;
      this.#options.logger.debug({ err: error, attempt }, "tunnel: still unreachable");
      this.#schedule(attempt + 1);
    }
  }

  /** Stops retrying and closes the tunnel if one opened. */
  async close(): Promise<void> {
    this.#abort.abort();
    clearTimeout(this.#timer);
    await this.#tunnel?.close();
  }
}
