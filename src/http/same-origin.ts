import { isLoopbackAuthority } from "./dashboard-access.js";

/** What a server counts as its own origins. */
export interface OwnOrigins {
  /** Configured origins (`https://$SPACE_HOST`, the tunnel's URL, the launch URL, `publicUrl`). */
  origins?: readonly string[];
  /**
   * Whether the request's own `Host` (and a proxy's `X-Forwarded-Host`) may count too: true with a dashboard token
   * (a rebound name has no token cookie). Without a token only loopback names do, so a page whose name was rebound
   * to 127.0.0.1 (DNS rebinding: `Host` and `Origin` both `evil.example`) is refused.
   */
  trustHost?: boolean;
}

/**
 * Whether a state-changing request may come from a page of this server (CSRF defence for the dashboard's POSTs).
 * A browser sends `Origin` on every cross-origin POST: when present its host must be one of the configured origins'
 * or, as `own` allows, the request's own host (URL, `Host` or a proxy's `X-Forwarded-Host`: Spaces terminate TLS in
 * front of the app, so the scheme the app sees differs from the page's). `Sec-Fetch-Site`, when sent, must say
 * same-origin. Requests without either header come from non-browser clients, which the token check covers.
 * @example
 * isSameOrigin(new Request("http://127.0.0.1:7860/dashboard/replay", { method: "POST", headers: { origin: "https://evil.example" } })); // false
 */
export function isSameOrigin(request: Request, own: OwnOrigins = { trustHost: true }): boolean {
  const site = request.headers.get("sec-fetch-site");
  if (site !== null && site !== "same-origin" && site !== "none") return false;
  const origin = request.headers.get("origin");
  if (origin === null) return true;
  let originHost: string;
  try {
    const parsed = new URL(origin);
    if (parsed.protocol !== "http:" && parsed.protocol !== "https:") return false;
    originHost = parsed.host.toLowerCase();
  } catch {
    return false; // includes the opaque "null" origin
  }
  const configured = (own.origins ?? []).map((o) => new URL(o).host.toLowerCase());
  if (configured.includes(originHost)) return true;
  const hosts = ownHosts(request);
  return (own.trustHost ? hosts : hosts.filter(isLoopbackAuthority)).includes(originHost);
}

function ownHosts(request: Request): string[] {
  const hosts = [new URL(request.url).host, request.headers.get("host"), request.headers.get("x-forwarded-host")];
  return hosts.flatMap((h) => (h ? h.split(",").map((part) => part.trim().toLowerCase()) : [])).filter(Boolean);
}
