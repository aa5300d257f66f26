import type { WebhookPayload } from "../payload/schema.js";
import { checkUrl, destinationLabel } from "./destination-label.js";
import { skippedByFormat, type Destination, type ForwardInput } from "./destination.js";
import { slackMessage, type SlackMessage } from "./slack-message.js";
import { postMessage, type SendOptions } from "./post-message.js";

/**
 * Options of {@link slack}.
 * @example
 * slack(url, { format: (p) => `:package: ${p.repo.name}` });
 */
export interface SlackOptions extends SendOptions {
  /** The message (a string is the mrkdwn `text`), or `null` to skip this delivery here. Default: {@link slackMessage}. */
  format?: (payload: WebhookPayload, input: ForwardInput) => SlackMessage | string | null | Promise<SlackMessage | string | null>;
}

/**
 * Forward to a Slack channel through an incoming webhook: the default messages as mrkdwn text and blocks. 200 `ok`
 * succeeds; 429 waits `Retry-After`; 5xx retries with the endpoint's backoff; 400 `invalid_payload`, 403
 * `action_prohibited`, 404 `no_service`, 410 `channel_is_archived` give up with Slack's word.
 * @example
 * import { slack } from "hubhooks/forward";
 * app.addWebhook("notify").forward(slack(process.env.SLACK_WEBHOOK_URL!), { on: "discussion" });
 */
export function slack(url: string, options: SlackOptions = {}): Destination {
  checkUrl("slack", url, undefined, "a Slack incoming webhook URL such as https://hooks.slack.com/services/T…/B…/…");
  const label = destinationLabel("slack", url);
  const post = (message: SlackMessage, signal?: AbortSignal) =>
    postMessage({
      url, label, signal, body: JSON.stringify(message),
      headers: { "content-type": "application/json", "user-agent": "hubhooks" },
      describe: (_status, text) => text,
    }, options).then(({ status }) => ({ sent: true as const, status }));
  return {
    kind: "slack",
    label,
    async send(payload, input) {
      const made = options.format ? await options.format(payload, input) : slackMessage(payload);
      if (made === null) return skippedByFormat();
      return post(typeof made === "string" ? { text: made } : made, input.signal);
    },
    // Slack reads &, < and > as markup (<!channel> pings everyone): an alert's text shows as written.
    notify: (text, signal) => post({ text: text.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;") }, signal),
  };
}
