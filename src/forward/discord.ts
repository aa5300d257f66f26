import type { WebhookPayload } from "../payload/schema.js";
import { checkUrl, destinationLabel } from "./destination-label.js";
import { skippedByFormat, type Destination, type ForwardInput } from "./destination.js";
import { discordMessage, fitDiscord, type DiscordMessage } from "./discord-message.js";
import { postMessage, type SendOptions } from "./post-message.js";

/**
 * Options of {@link discord}.
 * @example
 * discord(url, { format: (p) => (p.repo.private ? null : `New push to ${p.repo.name}`) });
 */
export interface DiscordOptions extends SendOptions {
  /** The message (a string is the `content`), or `null` to skip this delivery here. Default: {@link discordMessage}. */
  format?: (payload: WebhookPayload, input: ForwardInput) => DiscordMessage | string | null | Promise<DiscordMessage | string | null>;
  /** Shown as the message's author. */
  username?: string;
}

const SHAPE = "a Discord webhook URL such as https://discord.com/api/webhooks/{id}/{token}";

/**
 * Forward to a Discord channel through its webhook: a readable embed per event, Discord's limits applied, mentions
 * disabled. 204 succeeds; 429 waits `retry_after`; 5xx retries with the endpoint's backoff; 400/401/404 give up with
 * Discord's message.
 * @example
 * import { discord } from "hubhooks/forward";
 * app.addWebhook("notify").forward(discord(process.env.DISCORD_WEBHOOK_URL!), { on: "repo.content.update" });
 */
export function discord(url: string, options: DiscordOptions = {}): Destination {
  checkUrl("discord", url, /\/webhooks\/[^/]+\/[^/]+/, SHAPE);
  const label = destinationLabel("discord", url);
  const post = (message: DiscordMessage, signal?: AbortSignal) =>
    postMessage({
      url, label, signal, body: JSON.stringify(fitDiscord(options.username ? { username: options.username, ...message } : message)),
      headers: { "content-type": "application/json", "user-agent": "hubhooks" },
      describe: discordError,
      bodyRetryAfter: (text) => {
        const seconds = readJson(text)?.retry_after;
        return typeof seconds === "number" && seconds >= 0 ? Math.ceil(seconds * 1000) : undefined;
      },
    }, options).then(({ status }) => ({ sent: true as const, status }));
  return {
    kind: "discord",
    label,
    async send(payload, input) {
      const made = options.format ? await options.format(payload, input) : discordMessage(payload);
      if (made === null) return skippedByFormat();
      return post(typeof made === "string" ? { content: made } : made, input.signal);
    },
    notify: (text, signal) => post({ content: text }, signal),
  };
}

/** Discord's error JSON `{ message, code, errors? }` as one line: `Invalid Form Body (50035): embeds.0.title: …`. */
function discordError(_status: number, text: string): string {
  const body = readJson(text);
  if (!body || typeof body.message !== "string") return text;
  const first = firstFieldError(body.errors);
  return `${body.message}${typeof body.code === "number" ? ` (${body.code})` : ""}${first ? `: ${first}` : ""}`;
}

function firstFieldError(errors: unknown, path: string[] = []): string | null {
  if (!errors || typeof errors !== "object") return null;
  const list = (errors as { _errors?: { message?: unknown }[] })._errors;
  if (Array.isArray(list) && typeof list[0]?.message === "string") return `${path.join(".")}: ${list[0].message}`;
  for (const [key, value] of Object.entries(errors)) {
    const found = firstFieldError(value, [...path, key]);
    if (found) return found;
  }
  return null;
}

function readJson(text: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(text);
    return value && typeof value === "object" ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}
