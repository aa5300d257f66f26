import { HubhooksError } from "../errors.js";
import { WATCHED_TYPES, type WatchedItem, type WatchedType } from "./webhook-info.js";

/**
 * Parse a CLI-style watched item `type:name` (`model:openai-community/gpt2`, `org:huggingface`).
 * Throws `INVALID_OPTIONS` with the accepted types when the input is malformed.
 * @example
 * parseWatched("model:gpt2"); // { type: "model", name: "gpt2" }
 * parseWatched("dataset:stanfordnlp/imdb"); // { type: "dataset", name: "stanfordnlp/imdb" }
 */
export function parseWatched(input: string): WatchedItem {
  const text = input.trim();
  const colon = text.indexOf(":");
  const type = colon === -1 ? "" : text.slice(0, colon).trim().toLowerCase();
  const name = colon === -1 ? "" : text.slice(colon + 1).trim();
  if (colon === -1 || !type || !name) {
    throw new HubhooksError(
      "INVALID_OPTIONS",
      `Invalid watched item "${input}": expected "type:name", e.g. "model:openai-community/gpt2" (types: ${WATCHED_TYPES.join(", ")})`,
    );
  }
  if (!(WATCHED_TYPES as readonly string[]).includes(type)) {
    throw new HubhooksError(
      "INVALID_OPTIONS",
      `Invalid watched item "${input}": unknown type "${type}" (types: ${WATCHED_TYPES.join(", ")})`,
    );
  }
  const segments = name.split("/");
  const maxSegments = type === "user" || type === "org" ? 1 : 2;
  if (segments.length > maxSegments || segments.some((s) => s === "" || /\s/.test(s))) {
    const shape = maxSegments === 1 ? "a single name" : '"name" or "owner/name"';
    throw new HubhooksError("INVALID_OPTIONS", `Invalid watched item "${input}": a ${type} name must be ${shape}`);
  }
  return { type: type as WatchedType, name };
}
