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

/** Printed once listening: every endpoint with its full URL. */
export function readyBanner(urls: readonly string[]): string[] {
  return [
    "",
    "Webhooks are correctly setup and ready to use:",
    ...urls.map((url) => `  - POST ${url}`),
    `Go to ${SETTINGS_URL} to setup your webhooks.`,
  ];
}

/**
 * The URL the Hub must call: `https://$SPACE_HOST` inside a Space, else the public tunnel URL, else the local URL.
 * Never with a trailing `/`.
 */
export function baseUrl(input: { spaceHost?: string; publicUrl?: string; localUrl: string }): string {
  const url = input.spaceHost ? `https://${input.spaceHost}` : (input.publicUrl ?? input.localUrl);
  return url.replace(/\/+$/, "");
}
