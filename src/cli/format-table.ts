/** Longest cell shown in a table; whole values are in `--json`. */
const MAX_CELL = 60;

/**
 * Plain-text table: a header row and left-aligned columns two spaces apart; long cells are cut with `…`,
 * except in the last column, which nothing follows.
 * @example
 * formatTable(["ID", "STATUS"], [["dlv_1", "dead"]]);
 * // "ID     STATUS\ndlv_1  dead\n"
 */
export function formatTable(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const all = [headers, ...rows].map((row) => row.map((c, i) => cell(c, i < headers.length - 1)));
  const widths = headers.map((_, i) => Math.max(...all.map((row) => [...(row[i] ?? "")].length)));
  return all
    .map((row) => row.map((c, i) => (i === row.length - 1 ? c : c + " ".repeat(widths[i]! - [...c].length))).join("  "))
    .map((line) => line.trimEnd() + "\n")
    .join("");
}

/**
 * Aligned `key  value` lines, for one record (`deliveries show`, `webhooks info`).
 * @example
 * formatFields([["id", "dlv_1"], ["status", "dead"]]); // "id      dlv_1\nstatus  dead\n"
 */
export function formatFields(fields: readonly (readonly [string, string])[]): string {
  const width = Math.max(0, ...fields.map(([k]) => k.length));
  return fields.map(([k, v]) => `${k.padEnd(width)}  ${v}`.trimEnd() + "\n").join("");
}

/**
 * A millisecond timestamp as `YYYY-MM-DD HH:MM:SSZ` (UTC), `-` when absent.
 * @example
 * formatTime(0); // "1970-01-01 00:00:00Z"
 */
export function formatTime(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return "-";
  return new Date(ms).toISOString().replace("T", " ").slice(0, 19) + "Z";
}

function cell(value: string, cut: boolean): string {
  const oneLine = value.replace(/\s+/g, " ");
  return cut && [...oneLine].length > MAX_CELL ? [...oneLine].slice(0, MAX_CELL - 1).join("") + "…" : oneLine;
}
