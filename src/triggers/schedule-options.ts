import { HubhooksError } from "../errors.js";

/**
 * Debounce or throttle settings of a route: per `key` (`"repo"`: the repo name, the default; a function of the
 * payload; deliveries whose key is null or empty share one schedule), over `ms` milliseconds.
 * @example
 * { key: "repo", ms: 600_000 }
 */
export interface ScheduleOptions {
  key?: "repo" | ((payload: any) => string | null | undefined);
  ms: number;
}

export function checkScheduleOptions(name: string, options: ScheduleOptions): void {
  if (typeof options !== "object" || options === null || !Number.isFinite(options.ms) || options.ms <= 0) {
    throw new HubhooksError("INVALID_OPTIONS", `${name}.ms must be a positive number of milliseconds.`);
  }
  if (options.key !== undefined && options.key !== "repo" && typeof options.key !== "function") {
    throw new HubhooksError("INVALID_OPTIONS", `${name}.key must be "repo" or a function of the payload.`);
  }
}

/** The schedule key of a payload. */
export function scheduleKeyOf(options: ScheduleOptions, payload: unknown): string {
  if (typeof options.key === "function") return options.key(payload) ?? "";
  return (payload as { repo?: { name?: unknown } } | null)?.repo?.name?.toString() ?? "";
}
