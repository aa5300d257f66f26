import { HubhooksError } from "../errors.js";
import { cloudflaredProvider } from "./cloudflared.js";
import { localtunnelOptionsFromEnv, localtunnelProvider } from "./localtunnel.js";
import { ngrokProvider } from "./ngrok.js";
import { relayOptionsFromEnv, relayProvider } from "./relay.js";
import type { Tunnel, TunnelOpenOptions, TunnelProvider } from "./types.js";

/**
 * Every provider name `HUBHOOKS_TUNNEL` accepts (besides `auto`).
 * @example
 * TUNNEL_PROVIDER_NAMES.includes("relay"); // true
 */
export const TUNNEL_PROVIDER_NAMES = ["relay", "localtunnel", "cloudflared", "ngrok"] as const;
/**
 * A provider name.
 * @example
 * const name: TunnelProviderName = "cloudflared";
 */
export type TunnelProviderName = (typeof TUNNEL_PROVIDER_NAMES)[number];

/**
 * How to pick a provider. All optional.
 * @example
 * const choice: TunnelChoiceOptions = { provider: "auto", env: process.env, relayUrl: "https://smee.io" };
 */
export interface TunnelChoiceOptions {
  /** A provider, or "auto" (default): then `HUBHOOKS_TUNNEL` decides, else the automatic order. */
  provider?: TunnelProviderName | "auto";
  /** Environment to read (default `process.env`, read when called). */
  env?: NodeJS.ProcessEnv;
  /** Relay server; beats `HUBHOOKS_RELAY_URL`. */
  relayUrl?: string;
  /** localtunnel server; beats `HUBHOOKS_LOCALTUNNEL_HOST`. */
  localtunnelHost?: string;
}

/**
 * Options of {@link openTunnel}.
 * @example
 * const options: OpenTunnelOptions = { localUrl: "http://127.0.0.1:7860", logger, provider: "relay" };
 */
export type OpenTunnelOptions = TunnelOpenOptions & TunnelChoiceOptions;

/**
 * Pick the provider to use. An explicit `provider`, else `HUBHOOKS_TUNNEL`, else automatically, in this order:
 * 1. ngrok, when `@ngrok/ngrok` is installed and `NGROK_AUTHTOKEN` is set: the user opted in with an account, and it
 *    forwards real HTTP (the Hub sees your handler's status).
 * 2. cloudflared, when the binary is on PATH: no account, real HTTP forwarding too.
 * 3. the relay (smee.io protocol): needs nothing installed and no account, so it always works, but it replays
 *    deliveries (the Hub only ever sees the relay's 200) and anyone knowing the channel URL can read them.
 * localtunnel is never picked automatically: the public localtunnel.me service is often unavailable; ask for it.
 * @example
 * const provider = await chooseTunnelProvider({ env: { HUBHOOKS_TUNNEL: "cloudflared" } });
 * provider.name; // "cloudflared"
 */
export async function chooseTunnelProvider(options: TunnelChoiceOptions = {}): Promise<TunnelProvider> {
  const env = options.env ?? process.env;
  const requested = options.provider && options.provider !== "auto" ? options.provider : env.HUBHOOKS_TUNNEL?.trim() || "auto";
  const make = (name: TunnelProviderName): TunnelProvider => {
    switch (name) {
      case "relay":
        return relayProvider({ ...relayOptionsFromEnv(env), ...(options.relayUrl ? { relayUrl: options.relayUrl } : {}) });
      case "localtunnel":
        return localtunnelProvider({
          ...localtunnelOptionsFromEnv(env),
          ...(options.localtunnelHost ? { host: options.localtunnelHost } : {}),
        });
      case "cloudflared":
        return cloudflaredProvider({ env });
      case "ngrok":
        return ngrokProvider({ env });
    }
  };
  if (requested !== "auto") {
    if (!(TUNNEL_PROVIDER_NAMES as readonly string[]).includes(requested)) {
      throw new HubhooksError(
        "TUNNEL",
        `unknown tunnel provider "${requested}" (HUBHOOKS_TUNNEL): use auto, ${TUNNEL_PROVIDER_NAMES.join(", ")}`,
      );
    }
    return make(requested as TunnelProviderName);
  }
  for (const name of ["ngrok", "cloudflared"] as const) {
    const provider = make(name);
    if (await provider.available(env)) return provider;
  }
  return make("relay");
}

/**
 * Open a public tunnel to the local server with the provider {@link chooseTunnelProvider} picks.
 * @example
 * const tunnel = await openTunnel({ localUrl: "http://127.0.0.1:7860", logger });
 * console.log(`POST ${tunnel.publicUrlFor("/webhooks/train")}`);
 * process.once("SIGINT", () => void tunnel.close());
 */
export async function openTunnel(options: OpenTunnelOptions): Promise<Tunnel> {
  const provider = await chooseTunnelProvider(options);
  // debug: a tunnel retried in the background opens once per try; the outcome ("connected", or one line on a
  // change of reason from ShareTunnel) is what is worth reading.
  options.logger.debug({ provider: provider.name }, "tunnel: opening");
  return provider.open({
    localUrl: options.localUrl,
    logger: options.logger,
    signal: options.signal,
    fetch: options.fetch,
  });
}
