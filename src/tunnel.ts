// `hubhooks/tunnel`: public URLs for a laptop (relay, localtunnel, cloudflared, ngrok) and the Hub webhook that follows one.
export { openTunnel, chooseTunnelProvider, TUNNEL_PROVIDER_NAMES, type TunnelProviderName } from "./tunnel/open-tunnel.js";
export type { Tunnel, TunnelProvider, TunnelOpenOptions } from "./tunnel/types.js";
export { registerWebhook } from "./dev/register-webhook.js";
export type { RegisterOptions } from "./dev/register-options.js";
