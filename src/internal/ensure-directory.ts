import { mkdirSync, statSync } from "node:fs";
import { dirname, resolve } from "node:path";

/** Deeper than this, a path is not one a person gave (and the walk up would not end on a strange file system). */
const MAX_LEVELS = 256;

/**
 * `mkdir -p` with an end: create `dir` and its missing parents, one level at a time. Node's own recursive mkdir
 * loops for ever (at full CPU, in the event loop for the sync form) where mkdir answers ENOENT for a parent that
 * exists, as /proc does; here that mkdir's error is thrown instead.
 * @example
 * ensureDirectory("/data/hubhooks");        // creates what is missing
 * ensureDirectory("/proc/nope");            // throws ENOENT: no such file or directory, mkdir '/proc/nope'
 */
export function ensureDirectory(dir: string): void {
  const missing: string[] = [];
  let current = resolve(dir);
  for (let level = 0; level < MAX_LEVELS; level++) {
    try {
      if (statSync(current).isDirectory()) break;
      throw Object.assign(new Error(`ENOTDIR: not a directory, mkdir '${current}'`), { code: "ENOTDIR", path: current });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
    }
    missing.push(current);
    const parent = dirname(current);
    if (parent === current) break;
    current = parent;
  }
  for (const path of missing.reverse()) {
    try {
      mkdirSync(path);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
  }
}
