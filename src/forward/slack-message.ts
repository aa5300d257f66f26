import { eventMessage, shorten, type EventMessage, type Part } from "./event-message.js";
import type { WebhookPayload } from "../payload/schema.js";

/**
 * A Slack incoming-webhook message: `text` (the notification and fallback) and optional Block Kit `blocks`.
 * @example
 * const m: SlackMessage = { text: "Deployed" };
 */
export interface SlackMessage {
  text: string;
  blocks?: unknown[];
  [key: string]: unknown;
}

/** Slack's limits: a section's text ≤ 3,000 characters, a message's text ≤ 40,000, ≤ 50 blocks. */
const SECTION = 3000;
const TEXT = 40000;

/**
 * The default Slack message of a delivery: the same content as the Discord one, as mrkdwn `text` and blocks
 * (a section with the linked title and details, a context line).
 * @example
 * await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(slackMessage(payload)) });
 */
export function slackMessage(payload: WebhookPayload): SlackMessage {
  return renderSlack(eventMessage(payload));
}

/**
 * Render an {@link EventMessage} as a Slack message.
 * @example
 * renderSlack({ title: "Hi", url: null, lines: [], color: 0 }).text; // "Hi"
 */
export function renderSlack(m: EventMessage): SlackMessage {
  const title = m.url ? `*<${linkTarget(m.url)}|${escape(m.title)}>*` : `*${escape(m.title)}*`;
  const body = [title, ...m.lines.map((line) => line.map(part).join(""))];
  if (m.excerpt) body.push(m.excerpt.split("\n").map((l) => `>${escape(l)}`).join("\n"));
  return {
    text: shorten(escape(m.title), TEXT),
    blocks: [
      { type: "section", text: { type: "mrkdwn", text: shorten(body.join("\n"), SECTION) } },
      { type: "context", elements: [{ type: "mrkdwn", text: "Hugging Face Hub · hubhooks" }] },
    ],
  };
}

function part(p: Part): string {
  if (typeof p === "string") return escape(p);
  if ("code" in p) return `\`${escape(p.code).replaceAll("`", "'")}\``;
  return `<${linkTarget(p.url)}|${escape(p.text).replaceAll("|", "¦")}>`;
}

// Slack's three control characters; everything else shows as typed (mentions need <@…>, which escaping prevents).
function escape(text: string): string {
  return text.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;");
}

function linkTarget(url: string): string {
  return url.replace(/[<>|\s]/g, encodeURIComponent);
}
