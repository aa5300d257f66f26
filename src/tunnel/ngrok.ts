import { HubhooksError, redactText, toError } from "../errors.js";
import type { Tunnel, TunnelOpenOptions, TunnelProvider } from "./types.js";
import { joinUrlPath } from "./join-url-path.js";

/** The part of `@ngrok/ngrok` used here, typed loosely: the package is an optional peer, not a dependency. */
interface NgrokListener {
  url(): string | null;
  close(): Promise<void>;
}
interface NgrokModule {
  forward(config: Record<string, unknown>): Promise<NgrokListener>;
}

// A variable specifier keeps TypeScript from resolving the optional package at compile time; the comments keep a
// host app's bundler (Next.js: webpack, Turbopack) from warning that it cannot find it.
const NGROK_PACKAGE: string = "@ngrok/ngrok";

/**
 * Import `@ngrok/ngrok` if it is installed.
 * @example
 * const ngrok = await loadNgrok(); // undefined when the package is missing
 */
export async function loadNgrok(): Promise<NgrokModule | undefined> {
  try {
    const mod = (await import(/* webpackIgnore: true */ /* turbopackIgnore: true */ NGROK_PACKAGE)) as Record<string, unknown>;
    const candidate = (typeof mod.forward === "function" ? mod : mod.default) as Partial<NgrokModule> | undefined;
    return typeof candidate?.forward === "function" ? (candidate as NgrokModule) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Options of the ngrok provider.
 * @example
 * ngrokProvider({ env: process.env });
 */
export interface NgrokProviderOptions {
  /** Where `NGROK_AUTHTOKEN` is read (default `process.env`, read when opening). */
  env?: NodeJS.ProcessEnv;
}

/**
 * An ngrok tunnel through the optional `@ngrok/ngrok` package (`npm install @ngrok/ngrok`) and an account token in
 * `NGROK_AUTHTOKEN`. Available only when both are there.
 * @example
 * const tunnel = await ngrokProvider().open({ localUrl: "http://127.0.0.1:7860", logger });
 * tunnel.publicUrlFor("/webhooks/train"); // "https://<id>.ngrok-free.app/webhooks/train"
 */
export function ngrokProvider(options: NgrokProviderOptions = {}): TunnelProvider {
  return {
    name: "ngrok",
    available: async (env) => Boolean((options.env ?? env).NGROK_AUTHTOKEN) && (await loadNgrok()) !== undefined,
    open: (open) => openNgrok(options, open),
  };
}

async function openNgrok(options: NgrokProviderOptions, open: TunnelOpenOptions): Promise<Tunnel> {
  const env = options.env ?? process.env;
  const token = env.NGROK_AUTHTOKEN;
  const ngrok = await loadNgrok();
  if (!ngrok) {
    throw new HubhooksError("TUNNEL", "the ngrok provider needs the optional package @ngrok/ngrok: npm install @ngrok/ngrok");
  }
  if (!token) throw new HubhooksError("TUNNEL", "the ngrok provider needs an account token in NGROK_AUTHTOKEN");
  open.signal?.throwIfAborted();
  // authtoken_from_env reads process.env; pass the token only when it was given through another environment.
  const auth = token === process.env.NGROK_AUTHTOKEN ? { authtoken_from_env: true } : { authtoken: token };
  let listener: NgrokListener;
  try {
    listener = await ngrok.forward({ addr: open.localUrl, ...auth });
  } catch (error) {
    // No `cause`: the original error is not redacted.
    throw new HubhooksError("TUNNEL", `ngrok failed: ${redactText(toError(error).message, [token])}`);
  }
  const url = listener.url()?.replace(/\/+$/, "");
  if (!url) {
    await listener.close().catch(() => {});
    throw new HubhooksError("TUNNEL", "ngrok opened a listener without a URL");
  }
  let closed: Promise<void> | undefined;
  const close = () => {
    open.signal?.removeEventListener("abort", onAbort);
    closed ??= listener.close().catch((error: unknown) => {
      open.logger.warn({ err: redactText(toError(error).message, [token]) }, "tunnel: ngrok close failed");
    });
    return closed;
  };
  const onAbort = () => void close();
  open.signal?.addEventListener("abort", onAbort, { once: true });
  open.logger.info({ url }, "tunnel: ngrok connected");
  return { provider: "ngrok", publicUrl: url, publicUrlFor: (path) => joinUrlPath(url, path), close };
}
