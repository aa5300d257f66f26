/**
 * A value as an error message names it: strings quoted, numbers and booleans as written, anything else by its kind
 * (never its content: an options object may hold a secret).
 * @example
 * describeValue("accept"); // "\"accept\""
 * describeValue({ token: "hf_…" }); // "an object"
 */
export function describeValue(value: unknown): string {
  if (typeof value === "function") return "a function";
  if (typeof value === "string") return JSON.stringify(value);
  if (value instanceof RegExp) return String(value);
  if (typeof value === "object" && value !== null) return Array.isArray(value) ? "an array" : "an object";
  return String(value);
}
