import { HubhooksError } from "../errors.js";
import { closestName } from "../internal/closest-name.js";
import { KNOWN_EVENTS, KNOWN_SCOPES, RAW_EVENT_PREFIX } from "../payload/events.js";

const PATTERNS: readonly string[] = ["*", ...KNOWN_SCOPES, ...KNOWN_EVENTS];

/**
 * Refuse an event pattern the types refuse (`EventFilter`): a plain string must be `"*"`, a known scope or a known
 * event key; an event hubhooks does not know is written `raw:<scope.action>`. A typo such as
 * `"discussion.coment.create"` would otherwise be a route that never fires, and a JavaScript user (or a TypeScript
 * file run without the type checker) would only learn it from "no route matched".
 * @example
 * checkEventFilter("discussion.coment.create");
 * // throws: .on("discussion.coment.create"): unknown event; did you mean "discussion.comment.create"? An event
 * // hubhooks does not know yet is written "raw:discussion.coment.create".
 */
export function checkEventFilter(pattern: unknown): void {
  const list = typeof pattern === "string" ? [pattern] : Array.isArray(pattern) && pattern.length > 0 ? pattern : undefined;
  if (!list) {
    throw new HubhooksError("INVALID_OPTIONS", `.on(${show(pattern)}): the pattern must be an event key, a scope, "*", a "raw:" selector or a non-empty array of them`);
  }
  for (const selector of list as unknown[]) {
    if (typeof selector !== "string") {
      throw new HubhooksError("INVALID_OPTIONS", `.on(${show(pattern)}): ${show(selector)} is not an event pattern (a string such as "repo.content.update")`);
    }
    if (PATTERNS.includes(selector)) continue;
    if (selector === RAW_EVENT_PREFIX) {
      throw new HubhooksError("INVALID_OPTIONS", `.on(${show(pattern)}): "raw:" needs the scope or scope.action as the Hub sends it, e.g. "raw:space.hardware.upgrade"`);
    }
    if (selector.startsWith(RAW_EVENT_PREFIX)) continue;
    const close = closestName(selector, PATTERNS);
    const raw = JSON.stringify(RAW_EVENT_PREFIX + selector);
    throw new HubhooksError(
      "INVALID_OPTIONS",
      `.on(${show(pattern)}): unknown event ${JSON.stringify(selector)}${close ? `; did you mean ${JSON.stringify(close)}?` : "."} An event hubhooks does not know yet is written ${raw}.`,
    );
  }
}

function show(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}
