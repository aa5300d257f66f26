import { eventMessage, shorten, type EventMessage, type Part } from "./event-message.js";
import type { WebhookPayload } from "../payload/schema.js";

/**
 * A Discord webhook message (`POST https://discord.com/api/webhooks/{id}/{token}`).
 * @example
 * const m: DiscordMessage = { content: "Deployed", allowed_mentions: { parse: [] } };
 */
export interface DiscordMessage {
  content?: string;
  username?: string;
  avatar_url?: string;
  embeds?: DiscordEmbed[];
  allowed_mentions?: { parse: string[]; users?: string[]; roles?: string[] };
  [key: string]: unknown;
}

/** One Discord embed (the fields hubhooks fills; any other Discord field passes through). */
export interface DiscordEmbed {
  title?: string;
  url?: string;
  description?: string;
  color?: number;
  fields?: { name: string; value: string; inline?: boolean }[];
  footer?: { text: string };
  [key: string]: unknown;
}

/** Discord's documented limits. */
export const DISCORD_LIMITS = { content: 2000, embeds: 10, title: 256, description: 4096, fields: 25, fieldName: 256, fieldValue: 1024, footer: 2048, total: 6000 } as const;

/**
 * The default Discord message of a delivery: one embed (title linked to the event, refs and links in the
 * description, a quoted excerpt, a colour per event family), mentions disabled.
 * @example
 * await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(discordMessage(payload)) });
 */
export function discordMessage(payload: WebhookPayload): DiscordMessage {
  return renderDiscord(eventMessage(payload));
}

/**
 * Render an {@link EventMessage} as a Discord message.
 * @example
 * renderDiscord({ title: "Hi", url: null, lines: [], color: 0 }).embeds![0]!.title; // "Hi"
 */
export function renderDiscord(m: EventMessage): DiscordMessage {
  const body = m.lines.map((line) => line.map(part).join(""));
  if (m.excerpt) body.push(m.excerpt.split("\n").map((l) => `> ${escape(l)}`).join("\n"));
  const embed: DiscordEmbed = { title: m.title, color: m.color, footer: { text: "Hugging Face Hub · hubhooks" } };
  if (m.url) embed.url = m.url;
  if (body.length) embed.description = body.join("\n");
  // No `content`: it would repeat the embed's title (Discord's notifications show the title of an embed-only message).
  return fitDiscord({ embeds: [embed], allowed_mentions: { parse: [] } });
}

/**
 * Cut a message to Discord's limits (content, embed count, title, description, fields, 6,000 characters over all
 * embeds), so a long comment never turns into a 400, and disable mentions unless the message sets its own rule.
 * @example
 * fitDiscord({ content: "x".repeat(3000) }).content!.length; // 2000
 */
export function fitDiscord(message: DiscordMessage): DiscordMessage {
  const out: DiscordMessage = { allowed_mentions: { parse: [] }, ...message };
  if (typeof out.content === "string") out.content = shorten(out.content, DISCORD_LIMITS.content);
  if (!out.embeds) return out;
  let budget = DISCORD_LIMITS.total;
  const take = (text: string | undefined, max: number) => {
    if (text === undefined) return undefined;
    const cut = shorten(text, Math.max(1, Math.min(max, budget)));
    budget -= cut.length;
    return cut;
  };
  out.embeds = out.embeds.slice(0, DISCORD_LIMITS.embeds).flatMap((e) => {
    if (budget <= 0) return [];
    const embed: DiscordEmbed = { ...e };
    if (e.title !== undefined) embed.title = take(e.title, DISCORD_LIMITS.title);
    if (e.description !== undefined) embed.description = take(e.description, DISCORD_LIMITS.description);
    if (e.footer) embed.footer = { ...e.footer, text: take(e.footer.text, DISCORD_LIMITS.footer) ?? "" };
    if (e.fields) {
      embed.fields = e.fields.slice(0, DISCORD_LIMITS.fields).map((f) => ({
        ...f, name: take(f.name, DISCORD_LIMITS.fieldName) ?? "", value: take(f.value, DISCORD_LIMITS.fieldValue) ?? "",
      }));
    }
    return [embed];
  });
  return out;
}

function part(p: Part): string {
  if (typeof p === "string") return escape(p);
  if ("code" in p) return `\`${p.code.replaceAll("`", "'")}\``;
  return `[${escape(p.text).replace(/[[\]]/g, "")}](${p.url.replace(/[()\s]/g, encodeURIComponent)})`;
}

// Markdown in names and comments must show as typed, not format (or fake a link); mentions are off by allowed_mentions.
function escape(text: string): string {
  return text.replace(/([\\*_~`|[\]])/g, "\\$1").replace(/^([#>-])/gm, "\\$1").replace(/^(\d+)\./gm, "$1\\.");
}
