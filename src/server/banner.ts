/** The lines the Python `WebhooksServer` prints, kept word for word (users grep their logs for them). */

export const SETTINGS_URL = "https://huggingface.co/settings/webhooks";
export const DOCS_URL = "https://huggingface.co/docs/hub/webhooks";

/** Printed at construction: a warning when no secret is set, else a confirmation. */
export function secretBanner(hasSecret: boolean): string[] {
  if (hasSecret) return ["Webhook secret is correctly defined."];
  return [
    "Webhook secret is not defined. This means your webhook endpoints will be open to everyone.",
    "To add a secret, set `WEBHOOK_SECRET` as environment variable or pass it at initialization: ",
    "\t`app = new WebhooksServer({ webhookSecret: 'my_secret', ... })`",
    `For more details about webhook secrets, please refer to ${DOCS_URL}#webhook-secret.`,
  ];
}

/** What is not ready at launch, each said in the banner with what happens meanwhile. */
export interface BannerState {
  /** The delivery log could not be opened: deliveries get 503 until it opens (retried in the background). */
  logUnavailable?: boolean;
  /** A public URL was asked for (`share`, `hubhooks dev`) and the tunnel is not up yet (retried in the background). */
  tunnelPending?: boolean;
  /** The tunnel's public URL when one is open: the endpoints' URLs are public whatever their host looks like. */
  publicUrl?: string;
}

/** How to get a URL the Hub can call, for a banner or a page that shows local URLs. */
export const PUBLIC_URL_HINT =
  "for a public URL run `hubhooks dev app.ts` or `hubhooks serve app.ts --share`, or deploy to a Space";

/**
 * Printed once listening: every endpoint with its full URL. "ready" only when it is true (the log is open and an
 * asked-for tunnel is up); otherwise the first line says what is not ready and what happens meanwhile. URLs on
 * this machine are said to be local, with the ways to get a public one. The last line stays the Python one
 * (scripts wait for it).
 * @example
 * readyBanner(["http://127.0.0.1:7860/webhooks/hello"], { logUnavailable: true })[1];
 * // "Webhooks are not ready: the delivery log cannot be opened, so deliveries are answered 503 (the Hub retries them) until it opens."
 */
export function readyBanner(urls: readonly string[], state: BannerState = {}): string[] {
  const notReady = [
    ...(state.logUnavailable ? ["the delivery log cannot be opened, so deliveries are answered 503 (the Hub retries them) until it opens"] : []),
    ...(state.tunnelPending ? ["no public URL yet (the tunnel is retried in the background); the endpoints answer locally meanwhile"] : []),
  ];
  const local = !state.publicUrl && urls.length > 0 && urls.every(isLocalUrl);
  return [
    "",
    notReady.length > 0 ? `Webhooks are not ready: ${notReady.join("; ")}.` : "Webhooks are correctly setup and ready to use:",
    ...urls.map((url) => `  - POST ${url}`),
    ...(local ? [`These URLs are local: the Hub cannot reach them; ${PUBLIC_URL_HINT}.`] : []),
    `Go to ${SETTINGS_URL} to setup your webhooks.`,
  ];
}

/**
 * Whether a URL points at this machine only (a loopback name or address, or an unspecified one): the Hub cannot
 * call it.
 * @example
 * isLocalUrl("http://127.0.0.1:7860/webhooks/a"); // true
 */
export function isLocalUrl(url: string): boolean {
  let host: string;
  try {
    host = new URL(url).hostname.toLowerCase();
  } catch {
    return false;
  }
  return host === "localhost" || host.endsWith(".localhost") || /^127\./.test(host) || host === "[::1]" || host === "0.0.0.0" || host === "[::]";
}

/**
 * The URL the Hub must call: `https://$SPACE_HOST` inside a Space, else the public tunnel URL, else the local URL.
 * Never with a trailing `/`.
 */
export function baseUrl(input: { spaceHost?: string; publicUrl?: string; localUrl: string }): string {
  const url = input.spaceHost ? `https://${input.spaceHost}` : (input.publicUrl ?? input.localUrl);
  return url.replace(/\/+$/, "");
}
