/**
 * Headers never stored with a delivery, shown, or handed to a handler: the webhook secret, and credentials a proxy
 * in front of us might forward. The one list: the receive path and the store's `redactHeaders` both use it.
 * @example
 * NEVER_STORED_HEADERS.has("x-webhook-secret"); // true
 */
export const NEVER_STORED_HEADERS: ReadonlySet<string> = new Set(["x-webhook-secret", "authorization", "proxy-authorization", "cookie"]);
