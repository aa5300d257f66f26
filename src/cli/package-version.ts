import { readFileSync } from "node:fs";

interface Manifest {
  version: string;
  engines: { node: string };
  devDependencies: Record<string, string>;
}

/**
 * This package's package.json (the same relative place from `src/cli` and `dist/cli`), for what a scaffold must
 * agree with: the version it depends on, the Node versions it runs on, the TypeScript it is checked with.
 * @example
 * packageManifest().engines.node; // ">=22.13"
 */
export function packageManifest(): Manifest {
  return JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as Manifest;
}

/**
 * This package's version.
 * @example
 * packageVersion(); // "0.1.0"
 */
export function packageVersion(): string {
  return packageManifest().version;
}
