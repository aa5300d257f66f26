import { HubhooksError } from "../errors.js";
import { describeValue } from "../internal/describe-value.js";

/**
 * Refuse an adapter given something else than the app (`createNodeMiddleware({ path })` without the server, or
 * octokit's `Webhooks` instance): it would fail later, at the first request, far from the mistake.
 * @example
 * checkAdapterApp(hooks, "hubhooksHono()");
 */
export function checkAdapterApp(app: unknown, where: string): void {
  const ok = typeof app === "object" && app !== null && typeof (app as { fetch?: unknown }).fetch === "function" && "basePath" in app;
  if (!ok) throw new HubhooksError("INVALID_OPTIONS", `${where}: the first argument must be the WebhooksServer, not ${describeValue(app)}`);
}
