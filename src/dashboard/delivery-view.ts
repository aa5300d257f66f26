import { storedJson } from "../payload/json-depth.js";
import { redactHeaders } from "../store/redact-headers.js";
import type { AttemptRecord, DeliveryRecord } from "../store/types.js";

/**
 * One row of the deliveries table as display strings. The server renders it with the escaping `html` template and
 * the browser script copies the same fields into cells with `textContent`, so both always agree.
 * @example
 * rowView(delivery); // { id: "dlv_…", time: "2026-01-01 12:00:03Z", event: "repo.content.update", status: "succeeded", … }
 */
export interface RowView {
  id: string;
  /** ISO 8601 receive time (for `<time datetime>`). */
  receivedAt: string;
  /** Receive time as `YYYY-MM-DD HH:MM:SSZ` (UTC). */
  time: string;
  endpoint: string;
  /** `scope.action`, or `—` when the payload had none. */
  event: string;
  repoType: string;
  repoName: string;
  /** The repo's page on the Hub; null for an unknown repo type or a missing name. */
  repoUrl: string | null;
  status: DeliveryRecord["status"];
  attempts: number;
  duration: string;
}

/**
 * One attempt of a delivery, as display strings.
 * @example
 * const attempt: AttemptView = { attempt: 1, outcome: "failed", startedAt: "2026-01-01 12:00:03Z", duration: "12 ms", error: "boom", stack: null };
 */
export interface AttemptView {
  attempt: number;
  outcome: string;
  startedAt: string;
  duration: string;
  error: string | null;
  stack: string | null;
}

/**
 * Everything the detail view shows. Headers are redacted again on the way out (a log written by an older
 * version must not leak a secret either).
 * @example
 * detailView(delivery, attempts).payload; // pretty-printed JSON text
 */
export interface DetailView extends RowView {
  webhookId: string | null;
  finishedAt: string | null;
  error: string | null;
  /** The handler's result as pretty JSON text; null when there is none yet. */
  result: string | null;
  headers: [string, string][];
  /** The body pretty-printed when it is JSON, else as received. */
  payload: string;
  attemptList: AttemptView[];
  /** A running delivery cannot be replayed until it settles. */
  replayable: boolean;
  /** Steps (routes) that succeeded before the last failure. */
  completedSteps: readonly string[];
}

const HUB = "https://huggingface.co/";
const REPO_PATHS: Record<string, string> = { model: "", dataset: "datasets/", space: "spaces/" };

/**
 * The Hub page of a repo: `/name` for models, `/datasets/name`, `/spaces/name`; null for other types.
 * @example
 * repoUrl("dataset", "me/data"); // "https://huggingface.co/datasets/me/data"
 */
export function repoUrl(type: string | null, name: string | null): string | null {
  if (!type || !name || !Object.hasOwn(REPO_PATHS, type)) return null;
  return HUB + REPO_PATHS[type] + name.split("/").map(encodeURIComponent).join("/");
}

/**
 * A timestamp as `YYYY-MM-DD HH:MM:SSZ` (UTC: the same text on the server and in every browser).
 * @example
 * formatTime(Date.UTC(2026, 0, 1, 12)); // "2026-01-01 12:00:00Z"
 */
export function formatTime(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19).replace("T", " ") + "Z";
}

/**
 * A duration for people: `850 ms`, `1.2 s`, `3 min 4 s`; `—` when unknown.
 * @example
 * formatDuration(1234); // "1.2 s"
 */
export function formatDuration(ms: number | null): string {
  if (ms === null || !Number.isFinite(ms)) return "—";
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  return `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`;
}

/**
 * The table row of a delivery.
 * @example
 * const rows = page.items.map(rowView);
 */
export function rowView(d: DeliveryRecord): RowView {
  return {
    id: d.id,
    receivedAt: new Date(d.receivedAt).toISOString(),
    time: formatTime(d.receivedAt),
    endpoint: d.endpoint,
    event: d.scope && d.action ? `${d.scope}.${d.action}` : d.scope ?? "—",
    repoType: d.repoType ?? "",
    repoName: d.repoName ?? "",
    repoUrl: repoUrl(d.repoType, d.repoName),
    status: d.status,
    attempts: d.attempts,
    duration: d.status === "running" ? "running…" : formatDuration(d.durationMs),
  };
}

/**
 * The detail view of a delivery and its attempt history.
 * @example
 * const view = detailView(await store.get(id), await store.attempts(id));
 */
export function detailView(d: DeliveryRecord, attempts: AttemptRecord[]): DetailView {
  return {
    ...rowView(d),
    webhookId: d.webhookId,
    finishedAt: d.finishedAt === null ? null : formatTime(d.finishedAt),
    error: d.error,
    result: d.result === undefined ? null : JSON.stringify(d.result, null, 2),
    headers: Object.entries(redactHeaders(d.headers)).sort(([a], [b]) => a.localeCompare(b)),
    payload: prettyJson(d.body),
    attemptList: attemptViews(d, attempts),
    completedSteps: d.completedSteps,
    replayable: d.status !== "running",
  };
}

// The store writes an attempt's row when it settles; the one in progress is shown from the delivery itself.
function attemptViews(d: DeliveryRecord, attempts: AttemptRecord[]): AttemptView[] {
  const views = attempts.map((a) => ({
    attempt: a.attempt,
    outcome: a.outcome as string,
    startedAt: formatTime(a.startedAt),
    duration: formatDuration(a.durationMs),
    error: a.error,
    stack: a.stack,
  }));
  if (d.status === "running" && d.startedAt !== null && !attempts.some((a) => a.attempt === d.attempts)) {
    views.push({ attempt: d.attempts, outcome: "running", startedAt: formatTime(d.startedAt), duration: "running…", error: null, stack: null });
  }
  return views;
}

// Shown as received when it is not JSON or nests too deep to serialise (a row recorded before the limit existed).
function prettyJson(text: string): string {
  const value = storedJson(text);
  return typeof value === "string" && value === text ? text : JSON.stringify(value, null, 2);
}
