import { register } from "node:module";

let registered = false;

/** Make `import("./app.ts")` work on Node 20 and 24 alike (see ts-hooks.ts). Idempotent. */
export function registerTypeScript(): void {
  if (registered) return;
  registered = true;
  register("./ts-hooks.js", import.meta.url);
}
