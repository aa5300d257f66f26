import type { DeliveryFilter, DeliveryStatus } from "../store/types.js";
import { DELIVERY_STATUSES } from "../store/types.js";

/**
 * What the dashboard's URL says: the table filters, the page cursor and the delivery shown in detail.
 * @example
 * const q: DashboardQuery = parseDashboardQuery({ status: "dead", id: "dlv_…" });
 */
export interface DashboardQuery {
  endpoint: string;
  status: string;
  scope: string;
  repo: string;
  cursor: string;
  id: string;
}

const KEYS = ["endpoint", "status", "scope", "repo", "cursor", "id"] as const;
// Longer text can't be a useful filter and only makes a slower LIKE.
const MAX_FIELD_LENGTH = 200;

/**
 * Read the dashboard's query parameters; unknown statuses and over-long values are ignored, never an error page.
 * @example
 * parseDashboardQuery({ status: "dead", repo: "gpt2" }); // { status: "dead", repo: "gpt2", endpoint: "", … }
 */
export function parseDashboardQuery(q: Record<string, string | undefined>): DashboardQuery {
  const out = Object.fromEntries(KEYS.map((k) => [k, (q[k] ?? "").trim().slice(0, MAX_FIELD_LENGTH)])) as unknown as DashboardQuery;
  if (out.status && !(DELIVERY_STATUSES as readonly string[]).includes(out.status)) out.status = "";
  return out;
}

/**
 * The store filter the table shows (endpoint name, status, exact scope, repo-name substring).
 * @example
 * toDeliveryFilter(parseDashboardQuery({ scope: "repo.content" })); // { scope: "repo.content" }
 */
export function toDeliveryFilter(q: Pick<DashboardQuery, "endpoint" | "status" | "scope" | "repo">): DeliveryFilter {
  const filter: DeliveryFilter = {};
  if (q.endpoint) filter.endpoint = q.endpoint;
  if (q.status) filter.status = q.status as DeliveryStatus;
  if (q.scope) filter.scope = q.scope;
  if (q.repo) filter.repo = q.repo;
  return filter;
}

/**
 * A relative link (`?…`) to the dashboard with some parameters changed; empty ones are left out. Relative, so it
 * works under any path prefix and behind the Spaces proxy.
 * @example
 * queryHref(query, { cursor: page.nextCursor, id: "" }); // "?status=dead&cursor=…"
 */
export function queryHref(q: DashboardQuery, changes: Partial<DashboardQuery> = {}): string {
  const merged = { ...q, ...changes };
  const params = new URLSearchParams();
  for (const k of KEYS) if (merged[k]) params.set(k, merged[k]);
  const text = params.toString();
  return text ? `?${text}` : "?";
}
