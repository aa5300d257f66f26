// README's "Configuration reference" lists where each option lives: one table per place, checked against the same
// lists the runtime check and the TypeScript types use (src/server/option-lists.ts), so none of the three can drift.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import * as lists from "../../src/server/option-lists.js";
import { REPO_ROOT } from "../helpers/cli.js";

const README = readFileSync(join(REPO_ROOT, "README.md"), "utf8");
const SECTION = README.slice(README.indexOf("## Configuration reference\n"), README.indexOf("\n## ", README.indexOf("## Configuration reference\n") + 5));

/** The rows of the table under the `### <heading>` that starts with `title`: option name → the whole row. */
function table(title: string): Map<string, string> {
  const start = SECTION.indexOf(`\n### ${title}`);
  expect(start, `a "### ${title}" table in the configuration reference`).toBeGreaterThan(0);
  const end = SECTION.indexOf("\n### ", start + 1);
  const rows = new Map<string, string>();
  for (const line of SECTION.slice(start, end === -1 ? undefined : end).split("\n")) {
    // `| \`a\`, \`b\` (...) |`: the backticked names before the first "(" or ":" of the first cell are options.
    const cell = /^\| ([^|]+) \|/.exec(line)?.[1];
    if (!cell || cell.startsWith("---") || cell.trim() === "option") continue;
    const head = cell.split(/ \(|: /)[0]!;
    for (const name of head.matchAll(/`(\w+)`/g)) rows.set(name[1]!, line);
  }
  return rows;
}

const PLACES = [
  ["Server", lists.SERVER_OPTIONS],
  ["Launch", lists.LAUNCH_OPTIONS],
  ["Endpoint", lists.ENDPOINT_OPTIONS],
  ["Route", lists.ROUTE_FILTER_OPTIONS],
  ["Adapters", [...lists.NODE_MIDDLEWARE_OPTIONS, ...lists.NEXT_HANDLER_OPTIONS]],
] as const;

// Options whose value is an object of options: their row names each of those.
const NESTED = [
  ["Server", "metrics", lists.METRICS_OPTIONS],
  ["Launch", "register", lists.REGISTER_OPTIONS],
  ["Endpoint", "retry", lists.RETRY_OPTIONS],
  ["Endpoint", "filter", lists.REPO_FILTER_OPTIONS],
  ["Endpoint", "debounce", lists.SCHEDULE_OPTIONS],
  ["Endpoint", "throttle", lists.SCHEDULE_OPTIONS],
  ["Route", "debounce", lists.SCHEDULE_OPTIONS],
  ["Route", "throttle", lists.SCHEDULE_OPTIONS],
] as const;

describe("README configuration reference", () => {
  it.each(PLACES)("the %s table lists exactly that place's options", (title, list) => {
    expect([...table(title).keys()].sort()).toEqual([...list].sort());
  });

  it.each(NESTED)("%s: the %s row names each of its options", (title, option, list) => {
    const row = table(title).get(option)!;
    for (const name of list) expect(row, `${option} row`).toContain(name);
  });

  it("names every HUBHOOKS_* variable hubhooks reads, and no other", () => {
    // (the example of a refused typo aside)
    const named = new Set(SECTION.replace(/`[^`]*did you mean[^`]*`/g, "").match(/HUBHOOKS_[A-Z_]+[A-Z]/g));
    expect([...named].sort()).toEqual([...lists.CLI_ENVIRONMENT].sort());
  });
});
