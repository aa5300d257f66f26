import { TOKEN_COOKIE } from "../http/dashboard-access.js";

/**
 * The `Set-Cookie` value that remembers the dashboard token in this browser: HttpOnly (no script reads it),
 * SameSite=Strict (no other site's page sends it) and `Path=/`, so it reaches the page, its live stream and the
 * API wherever the app is mounted (a path prefix or the Spaces proxy). `Secure` when the page was served over https
 * (seen directly or through `X-Forwarded-Proto`) or when `alwaysSecure` (inside a Space, which is always https).
 * @example
 * tokenCookie("s3cret", request); // "hubhooks_token=s3cret; Path=/; HttpOnly; SameSite=Strict"
 */
export function tokenCookie(token: string, request: Request, alwaysSecure = false): string {
  return cookie(encodeURIComponent(token), request, alwaysSecure, "");
}

/**
 * The `Set-Cookie` value that forgets the token (sign out).
 * @example
 * clearedTokenCookie(request); // "hubhooks_token=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0"
 */
export function clearedTokenCookie(request: Request, alwaysSecure = false): string {
  return cookie("", request, alwaysSecure, "; Max-Age=0");
}

function cookie(value: string, request: Request, alwaysSecure: boolean, extra: string): string {
  const secure = alwaysSecure || isHttps(request) ? "; Secure" : "";
  return `${TOKEN_COOKIE}=${value}; Path=/; HttpOnly; SameSite=Strict${secure}${extra}`;
}

function isHttps(request: Request): boolean {
  const forwarded = request.headers.get("x-forwarded-proto")?.split(",")[0]?.trim().toLowerCase();
  return forwarded === "https" || new URL(request.url).protocol === "https:";
}
