import { HubhooksError } from "../errors.js";

/**
 * The redacted name of a destination URL: the kind, `…/` and the last four characters of a part that is not the
 * credential (Discord's webhook id, Slack's channel hook id, else the URL's path or host). URLs are secrets: whoever
 * has one can post; this label is all that logs, errors, step names and the dashboard ever show.
 * @example
 * destinationLabel("discord", "https://discord.com/api/webhooks/123451234/tok"); // "discord:…/1234"
 * destinationLabel("slack", "https://hooks.slack.com/services/T00/B0000ABCD/xyz"); // "slack:…/ABCD"
 */
export function destinationLabel(kind: string, url: string): string {
  const parsed = new URL(url);
  const segments = parsed.pathname.split("/").filter(Boolean);
  const hook = segments.indexOf("webhooks");
  const services = segments.indexOf("services");
  const visible =
    kind === "discord" && hook >= 0 && segments[hook + 1] ? segments[hook + 1]!
    : kind === "slack" && services >= 0 && segments[services + 2] ? segments[services + 2]!
    : segments.at(-1) ?? parsed.hostname;
  return `${kind}:…/${visible.slice(-4)}`;
}

/**
 * Check a destination URL at construction (a clear error that never repeats the URL).
 * @example
 * checkUrl("discord", "not a url"); // throws INVALID_OPTIONS
 */
export function checkUrl(kind: string, url: unknown, pattern?: RegExp, shape?: string): string {
  const ok = typeof url === "string" && URL.canParse(url) && /^https?:$/.test(new URL(url).protocol);
  if (!ok || (pattern && !pattern.test(new URL(url).pathname))) {
    const what = typeof url === "string" ? (url.trim() === "" ? "an empty string" : "not a valid URL") : `a ${typeof url}`;
    throw new HubhooksError("INVALID_OPTIONS", `${kind}(url): ${ok ? "not the expected URL shape" : what}; expected ${shape ?? "an http(s) URL"}.`);
  }
  return url;
}
