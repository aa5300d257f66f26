import type { ScheduleSeen } from "./fenced-store.js";
import type { AttemptView, RowView } from "./log-view.js";
import type { SimEndpoint } from "./scenario.js";

/**
 * The rules a user relies on, one name each (what a failure reports):
 * - `final`: every acknowledged delivery is in the log and reaches a final state (succeeded, dead, skipped, invalid).
 * - `liveness`: nothing stays due while a slot is free: a due delivery with a free slot in a running process starts
 *   before virtual time moves on (within the turn; never waits for the poll).
 * - `concurrency`: never more handlers of an endpoint running at once in one process than its `concurrency`.
 * - `ordering`: never two running at once for one ordering key (across processes).
 * - `lost-lease`: a settle from an attempt that lost its lease (a killed process's) never overwrites a newer attempt:
 *   the row's attempt count and every outcome in its history are those of the attempt that really ran.
 * - `retry-schedule`: a failed attempt is retried no sooner than its backoff, and a delivery dies only after its last
 *   allowed attempt (or a NonRetryableError).
 * - `debounce`: a debounced key runs once per quiet period, with the latest delivery; the superseded ones end skipped.
 * - `throttle`: a throttled key runs at most once per period; the others end skipped.
 * - `answer`: a delivery the server recorded is never answered with a non-2xx (the Hub counts those towards
 *   suspending the webhook); only 503 (not recorded) may be.
 * - `harness`: the run itself broke (an exception, a livelock of timers).
 */
export type Invariant =
  | "final" | "liveness" | "concurrency" | "ordering" | "lost-lease" | "retry-schedule" | "debounce" | "throttle" | "answer" | "harness";

export const INVARIANTS: readonly Invariant[] = [
  "final", "liveness", "concurrency", "ordering", "lost-lease", "retry-schedule", "debounce", "throttle", "answer", "harness",
];

export interface Violation {
  invariant: Invariant;
  /** Virtual ms since the start of the run. */
  at: number;
  detail: string;
}

/** One handler invocation, as the simulated handlers saw it. */
export interface AttemptRun {
  proc: number;
  gen: number;
  endpoint: string;
  key: string;
  deliveryId: string;
  n: number;
  attempt: number;
  start: number;
  end?: number;
  /** How it ended for the handler: its own result, aborted through its signal, or its process died under it. */
  result?: "ok" | "throw" | "non-retryable" | "aborted" | "crashed" | "stopped";
  active: boolean;
  /**
   * Its process lost the database (a freeze, a crash) while it ran or before its settle was written: its lease may
   * have expired and its attempt been taken over.
   */
  partitioned?: boolean;
}

const FINAL = new Set(["succeeded", "dead", "skipped", "invalid"]);

export interface EndState {
  rows: RowView[];
  history: AttemptView[];
  ledger: AttemptRun[];
  endpoints: Map<string, SimEndpoint>;
  /** Delivery ids answered 2xx. */
  acked: Set<string>;
  /** Delivery ids replayed or whose Webhook-Id came again: a new series of attempts, other schedules. */
  reseries: Set<string>;
  /** Every schedule state a debounce/throttle decision wrote, in order. */
  schedules: ScheduleSeen[];
  t0: number;
}

/** The end-of-run checks over the log and the ledger of handler runs. */
export function checkEnd(s: EndState): Violation[] {
  const out: Violation[] = [];
  const at = (t: number | null | undefined) => (t ?? s.t0) - s.t0;
  const rowById = new Map(s.rows.map((r) => [r.id, r]));
  const historyOf = groupBy(s.history, (h) => h.deliveryId);
  const runsOf = groupBy(s.ledger, (r) => r.deliveryId);

  for (const id of s.acked) {
    if (!rowById.has(id)) out.push({ invariant: "final", at: 0, detail: `${id} was acknowledged but is not in the log` });
  }
  for (const row of s.rows) {
    if (!FINAL.has(row.status)) {
      out.push({ invariant: "final", at: 0, detail: `${row.id} (${row.endpoint}) ended ${row.status}, attempts ${row.attempts}/${row.maxAttempts}, next at ${at(row.nextAttemptAt)} ms, lease until ${at(row.leaseUntil)} ms` });
    }
  }

  for (const row of s.rows) {
    const history = historyOf.get(row.id) ?? [];
    const runs = runsOf.get(row.id) ?? [];
    const last = Math.max(0, ...history.map((h) => h.attempt), ...runs.map((r) => r.attempt));
    if (FINAL.has(row.status) && row.status !== "invalid" && row.attempts !== last) {
      out.push({ invariant: "lost-lease", at: 0, detail: `${row.id}: row says attempt ${row.attempts}, but attempt ${last} ran` });
    }
    for (const h of history) {
      const run = runs.find((r) => r.attempt === h.attempt);
      if (!run) continue;
      // A partitioned run's attempt may have been taken over (lease-expired) before its own settle came, too late.
      const expected = run.partitioned ? [...expectedOutcomes(run), "lease-expired"] : expectedOutcomes(run);
      if (!expected.includes(h.outcome)) {
        out.push({ invariant: "lost-lease", at: at(h.finishedAt), detail: `${row.id} attempt ${h.attempt}: history says ${h.outcome}, its handler ended ${run.result ?? "running"} (process ${run.proc} gen ${run.gen})` });
      }
    }
    if (row.status === "succeeded") {
      const run = runs.find((r) => r.attempt === row.attempts);
      if (run && run.result !== "ok") out.push({ invariant: "lost-lease", at: 0, detail: `${row.id} is succeeded, but its attempt ${row.attempts} ended ${run.result}` });
    }
  }

  for (const row of s.rows) {
    const endpoint = s.endpoints.get(row.endpoint);
    if (!endpoint || endpoint.schedule || s.reseries.has(row.id)) continue;
    const history = historyOf.get(row.id) ?? [];
    const retry = endpoint.retry;
    for (let i = 0; i + 1 < history.length; i++) {
      const failed = history[i]!;
      const next = history[i + 1]!;
      if (failed.outcome !== "failed" && failed.outcome !== "timeout") continue;
      const base = Math.min(retry.maxDelayMs, retry.initialDelayMs * Math.max(1, retry.factor) ** (failed.attempt - 1));
      const earliest = Math.floor(Math.min(retry.maxDelayMs, base * (1 - retry.jitter))) - 1;
      const gap = next.startedAt - (failed.finishedAt ?? failed.startedAt);
      if (gap < earliest) {
        out.push({ invariant: "retry-schedule", at: at(next.startedAt), detail: `${row.id}: attempt ${next.attempt} started ${gap} ms after attempt ${failed.attempt} failed; the backoff is at least ${earliest} ms` });
      }
    }
    const counted = history.filter((h) => h.outcome !== "interrupted" && h.outcome !== "deferred").length;
    if (counted > retry.maxAttempts) out.push({ invariant: "retry-schedule", at: 0, detail: `${row.id}: ${counted} attempts counted, ${retry.maxAttempts} allowed` });
    const lastOutcome = history.at(-1)?.outcome;
    if (row.status === "dead" && (lastOutcome === "failed" || lastOutcome === "timeout") && counted < retry.maxAttempts) {
      out.push({ invariant: "retry-schedule", at: 0, detail: `${row.id} died after ${counted} of ${retry.maxAttempts} attempts (last: ${lastOutcome})` });
    }
  }

  out.push(...checkSchedules(s, runsOf));
  return out;
}

/** What the history may say about an attempt whose handler ended this way. */
function expectedOutcomes(run: AttemptRun): string[] {
  switch (run.result) {
    case "ok": return ["succeeded", "timeout", "interrupted"]; // a result after the timeout or the shutdown abort is dropped
    case "throw": return ["failed", "timeout", "interrupted"];
    case "non-retryable": return ["non-retryable", "timeout", "interrupted"];
    case "aborted": return ["timeout", "interrupted", "lease-expired"];
    case "crashed": return ["lease-expired"];
    case "stopped": return ["interrupted", "lease-expired", "timeout"];
    default: return ["lease-expired", "timeout", "interrupted"];
  }
}

function checkSchedules(s: EndState, runsOf: Map<string, AttemptRun[]>): Violation[] {
  const out: Violation[] = [];
  const byKey = groupBy(s.rows.filter((r) => s.endpoints.get(r.endpoint)?.schedule), (r) => `${r.endpoint} ${r.repoName ?? ""}`);
  for (const [key, rows] of byKey) {
    if (rows.some((r) => s.reseries.has(r.id))) continue;
    const { mode, ms } = s.endpoints.get(rows[0]!.endpoint)!.schedule!;
    const ran = (r: RowView) => (runsOf.get(r.id) ?? []).length > 0;
    if (mode === "debounce") {
      const sorted = [...rows].sort((a, b) => a.receivedAt - b.receivedAt);
      let burst: RowView[] = [];
      const closeBurst = () => {
        if (burst.length === 0) return;
        const latest = Math.max(...burst.map((r) => r.receivedAt));
        const runners = burst.filter(ran);
        if (runners.length !== 1 || runners[0]!.receivedAt !== latest) {
          out.push({ invariant: "debounce", at: latest - s.t0, detail: `${key}: a burst of ${burst.length} (quiet period ${ms} ms) ran ${runners.length} deliveries [${runners.map((r) => r.id).join(", ")}], expected one, the latest` });
        }
        for (const r of burst) {
          if (!runners.includes(r) && r.status !== "skipped") out.push({ invariant: "debounce", at: r.receivedAt - s.t0, detail: `${key}: superseded ${r.id} ended ${r.status}, not skipped` });
        }
        burst = [];
      };
      for (const row of sorted) {
        if (burst.length > 0 && row.receivedAt - burst.at(-1)!.receivedAt >= ms) closeBurst();
        burst.push(row);
      }
      closeBurst();
    } else {
      // When each delivery was chosen (decideSchedule's `chosenAt`): a handler may start later (a busy slot), so
      // the period is checked on the choices, as the schedule keeps them.
      const choices = new Map<string, number>();
      for (const seen of s.schedules) {
        if (seen.id.endpoint !== rows[0]!.endpoint || seen.id.key !== (rows[0]!.repoName ?? "")) continue;
        if (seen.chosen && seen.chosenAt !== null && !choices.has(seen.chosen.id)) choices.set(seen.chosen.id, seen.chosenAt);
      }
      const times = [...choices.values()].sort((a, b) => a - b);
      for (let i = 1; i < times.length; i++) {
        if (times[i]! - times[i - 1]! < ms) {
          out.push({ invariant: "throttle", at: times[i]! - s.t0, detail: `${key}: two deliveries chosen ${times[i]! - times[i - 1]!} ms apart (period ${ms} ms)` });
        }
      }
      for (const r of rows) {
        if (ran(r) && !choices.has(r.id)) out.push({ invariant: "throttle", at: 0, detail: `${key}: ${r.id} ran without being chosen` });
        if (!ran(r) && r.status !== "skipped") out.push({ invariant: "throttle", at: 0, detail: `${key}: ${r.id} never ran and ended ${r.status}, not skipped` });
      }
    }
  }
  return out;
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const map = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = map.get(k);
    if (list) list.push(item);
    else map.set(k, [item]);
  }
  return map;
}
