import { timingSafeEqual } from "../internal/timing-safe-equal.js";

export const TOKEN_COOKIE = "hubhooks_token";

export type Access = { ok: true } | { ok: false; status: 401 | 403; error: string };

/**
 * Who may read the delivery log (payloads can name private repos). With a token configured, every request must
 * present it (`Authorization: Bearer …` or the dashboard's cookie). Without one, only a server listening on
 * loopback outside a Space is open; anywhere else the API refuses to serve.
 */
export function checkAccess(request: Request, input: { token?: string; exposed: boolean }): Access {
  if (!input.token) {
    if (!input.exposed) return { ok: true };
    return {
      ok: false,
      status: 403,
      error:
        "The delivery API is disabled because this server is reachable beyond this machine and no dashboard token is set. Set HUBHOOKS_DASHBOARD_TOKEN.",
    };
  }
  const given = presentedToken(request);
  if (given === null) return { ok: false, status: 401, error: "A dashboard token is required (Authorization: Bearer <token>)." };
  if (!timingSafeEqual(given, input.token)) return { ok: false, status: 403, error: "Invalid dashboard token." };
  return { ok: true };
}

export function presentedToken(request: Request): string | null {
  const auth = request.headers.get("authorization");
  if (auth?.toLowerCase().startsWith("bearer ")) return auth.slice(7).trim();
  const cookie = request.headers.get("cookie");
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

/** True when a listening host is reachable only from this machine. */
export function isLoopbackHost(host: string | undefined): boolean {
  if (!host) return false;
  return host === "localhost" || host === "::1" || host === "[::1]" || /^127\./.test(host);
}
