/**
 * Whether a state-changing request may come from a page of this server (CSRF defence for the dashboard's POSTs).
 * A browser sends `Origin` on every cross-origin POST: when present it must name this server's own host, as the
 * request URL, `Host` or a proxy's `X-Forwarded-Host` (Spaces terminate TLS in front of the app, so the scheme
 * the app sees differs from the page's). `Sec-Fetch-Site`, when sent, must say same-origin. Requests without
 * either header come from non-browser clients, which the token check covers.
 * @example
 * isSameOrigin(new Request("http://127.0.0.1:7860/dashboard/replay", { method: "POST", headers: { origin: "https://evil.example" } })); // false
 */
export function isSameOrigin(request: Request): boolean {
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
  return ownHosts(request).includes(originHost);
}

function ownHosts(request: Request): string[] {
  const hosts = [new URL(request.url).host, request.headers.get("host"), request.headers.get("x-forwarded-host")];
  return hosts.flatMap((h) => (h ? h.split(",").map((part) => part.trim().toLowerCase()) : [])).filter(Boolean);
}
