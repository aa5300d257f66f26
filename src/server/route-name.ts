import { HubhooksError } from "../errors.js";

export const WEBHOOKS_PREFIX = "/webhooks/";

/**
 * The route of an endpoint: `/webhooks/` + the name with leading and trailing `/` stripped, as the Python server
 * does. A name that already starts with `webhooks/` is not doubled (the Python server produced `/webhooks/webhooks/x`);
 * `warning` then says so.
 */
export function endpointRoute(name: string): { name: string; route: string; warning?: string } {
  let clean = name.trim().replace(/^\/+|\/+$/g, "");
  let warning: string | undefined;
  if (clean === "webhooks" || clean.startsWith("webhooks/")) {
    const stripped = clean.slice("webhooks".length).replace(/^\/+/, "");
    if (stripped) {
      warning = `Endpoint name "${name}" already starts with /webhooks/; serving it at /webhooks/${stripped} (not /webhooks/webhooks/${stripped}).`;
      clean = stripped;
    }
  }
  if (!clean) throw new HubhooksError("INVALID_ENDPOINT", `Invalid webhook name "${name}": it must not be empty.`);
  if (/[\s?#]/.test(clean) || clean.split("/").some((part) => part === "" || part === "." || part === "..")) {
    throw new HubhooksError(
      "INVALID_ENDPOINT",
      `Invalid webhook name "${name}": use letters, digits, "-", "_", "." and "/" between non-empty parts.`,
    );
  }
  return { name: clean, route: WEBHOOKS_PREFIX + clean, warning };
}
