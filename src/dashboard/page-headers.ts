import type { MiddlewareHandler } from "hono";
import { secureHeaders } from "hono/secure-headers";
import { PAGE_STYLES } from "../server/landing-page.js";
import { DASHBOARD_STYLES } from "./views/dashboard-styles.js";

/** Where a Space shows its app: huggingface.co frames `<name>.hf.space`. */
const SPACE_FRAME_ANCESTOR = "https://huggingface.co";

// Web Crypto (every runtime has it; node:crypto is Node's), once per process, on the first page served.
const encoder = new TextEncoder();
const styleHash = async (css: string) => {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", encoder.encode(css)));
  return `'sha256-${btoa(String.fromCharCode(...digest))}'`;
};
let styleSources: Promise<string[]> | undefined;

/**
 * The security headers of the dashboard and the built-in landing page (hono's `secureHeaders`): a
 * Content-Security-Policy that allows only this origin's script (`dashboard/app.js`: the page has no inline script)
 * and the two inline stylesheets by hash, nothing else to load, forms posting only here, no framing
 * (`frame-ancestors 'none'` + `X-Frame-Options: DENY`), `X-Content-Type-Options: nosniff` and
 * `Referrer-Policy: same-origin`. In a Space, the Hub shows the app in a frame on huggingface.co: framing is
 * allowed from there only (and X-Frame-Options, which cannot name an origin, is left out). No HSTS: the server
 * does not own its domain (`*.hf.space`, a tunnel's).
 * @example
 * app.use("/dashboard/*", pageHeaders({ inSpace: false }));
 */
export function pageHeaders(options: { inSpace: boolean }): MiddlewareHandler {
  let headers: MiddlewareHandler | undefined;
  return async (c, next) => {
    styleSources ??= Promise.all([styleHash(PAGE_STYLES), styleHash(DASHBOARD_STYLES)]);
    headers ??= secureHeadersFor(options, await styleSources);
    return headers(c, next);
  };
}

function secureHeadersFor(options: { inSpace: boolean }, styleSources: string[]): MiddlewareHandler {
  return secureHeaders({
    contentSecurityPolicy: {
      defaultSrc: ["'none'"],
      scriptSrc: ["'self'"],
      styleSrc: styleSources,
      imgSrc: ["'self'", "data:"],
      connectSrc: ["'self'"],
      formAction: ["'self'"],
      baseUri: ["'none'"],
      frameAncestors: options.inSpace ? [SPACE_FRAME_ANCESTOR] : ["'none'"],
    },
    xFrameOptions: options.inSpace ? false : "DENY",
    xContentTypeOptions: true,
    // Not no-referrer: with it Chromium sends `Origin: null` on the dashboard's own form posts, which the Origin
    // check then refuses. same-origin still keeps the dashboard's URLs from the Hub links it shows.
    referrerPolicy: "same-origin",
    strictTransportSecurity: false,
    // A Space's frame on huggingface.co must still be able to open the dashboard's own windows and links.
    crossOriginOpenerPolicy: false,
    crossOriginEmbedderPolicy: false,
  });
}
