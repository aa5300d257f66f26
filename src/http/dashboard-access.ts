import { timingSafeEqual } from "../internal/timing-safe-equal.js";
import { headerText } from "./verify-secret.js";

export const TOKEN_COOKIE = "hubhooks_token";

export type Access = { ok: true } | { ok: false; status: 401 | 403; error: string };

/**
 * Who may read the delivery log (payloads can name private repos), decided from configuration, never from a listen
 * address a mounted app does not have. With a token configured, every request must present it (`Authorization:
 * Bearer …` or the dashboard's cookie). Without one, an exposed server (a Space, a non-loopback listen address, or
 * `exposed: true`) refuses; any other serves only requests addressed to a loopback name: a page on another site
 * that rebinds its own name to 127.0.0.1 (DNS rebinding) sends its own name in `Host` and is refused.
 * @example
 * checkAccess(new Request("http://127.0.0.1:7860/api/deliveries"), { exposed: false }); // { ok: true }
 */
export function checkAccess(request: Request, input: { token?: string; exposed: boolean }): Access {
  if (!input.token) {
    if (input.exposed) {
      return {
        ok: false,
        status: 403,
        error:
          "The delivery API is disabled because this server is reachable beyond this machine and no dashboard token is set. Set HUBHOOKS_DASHBOARD_TOKEN.",
      };
    }
    if (!isLoopbackRequest(request)) {
      return {
        ok: false,
        status: 403,
        error:
          "Without a dashboard token the dashboard and the delivery API answer only requests to localhost, 127.0.0.1 or [::1]. Set HUBHOOKS_DASHBOARD_TOKEN to reach them under another name.",
      };
    }
    return { ok: true };
  }
  const given = presentedToken(request);
  if (given === null) return { ok: false, status: 401, error: "A dashboard token is required (Authorization: Bearer <token>)." };
  if (!timingSafeEqual(given, input.token)) return { ok: false, status: 403, error: "Invalid dashboard token." };
  return { ok: true };
}

/**
 * The token a request presents, as the text its sender meant: header bytes arrive one char per byte (latin-1), so a
 * UTF-8 token is read back with `headerText` (in `Authorization` and in a cookie set by hand, not percent-encoded).
 */
export function presentedToken(request: Request): string | null {
  const auth = request.headers.get("authorization");
  if (auth?.toLowerCase().startsWith("bearer ")) return headerText(auth.slice(7).trim());
  const raw = request.headers.get("cookie");
  const cookie = raw === null ? null : headerText(raw);
  if (cookie) {
    for (const part of cookie.split(";")) {
      const [k, ...v] = part.trim().split("=");
      if (k === TOKEN_COOKIE) return decodeCookieValue(v.join("="));
    }
  }
  return null;
}

// A mangled cookie (`%E0%A4%A`) is a wrong token, not a server error: decodeURIComponent throws URIError on it.
function decodeCookieValue(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

/**
 * True when the request is addressed to this machine by name: its `Host` header (when sent) and its URL's host are
 * both loopback names, with any port.
 * @example
 * isLoopbackRequest(new Request("http://evil.example:7860/api/deliveries")); // false
 */
export function isLoopbackRequest(request: Request): boolean {
  const host = request.headers.get("host");
  if (host !== null && !isLoopbackAuthority(host)) return false;
  return isLoopbackAuthority(new URL(request.url).host);
}

/** `localhost`, `127.x.x.x` or `[::1]`, with an optional port (a `Host` header's form). */
export function isLoopbackAuthority(authority: string): boolean {
  if (!URL.canParse(`http://${authority}/`)) return false;
  const url = new URL(`http://${authority}/`);
  if (url.username || url.password || url.pathname !== "/") return false;
  const name = url.hostname.toLowerCase();
  return name === "localhost" || name === "[::1]" || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(name);
}

/** True when a listening host is reachable only from this machine. */
export function isLoopbackHost(host: string | undefined): boolean {
  if (!host) return false;
  return host === "localhost" || host === "::1" || host === "[::1]" || /^127\./.test(host);
}
