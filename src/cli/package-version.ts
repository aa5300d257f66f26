import { readFileSync } from "node:fs";

/**
 * This package's version, read from its package.json (the same relative place from `src/cli` and `dist/cli`).
 * @example
 * packageVersion(); // "0.1.0"
 */
export function packageVersion(): string {
  const text = readFileSync(new URL("../../package.json", import.meta.url), "utf8");
  return (JSON.parse(text) as { version: string }).version;
}
