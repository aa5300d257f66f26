import { register } from "node:module";

let registered = false;

/**
 * Make `import("./app.ts")` work on every supported Node alike, with stack traces at the lines the author wrote
 * (see ts-hooks.ts). Source maps are enabled for the rare file that must be transformed (an enum). Idempotent.
 */
export function registerTypeScript(): void {
  if (registered) return;
  registered = true;
  process.setSourceMapsEnabled(true);
  register("./ts-hooks.js", import.meta.url);
}
