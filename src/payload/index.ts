// Internal barrel for the project's own modules and tests: every payload export of the public entries, from
// one place (the root's part, hubhooks/schema and hubhooks/testing), so each name is listed once.
export * from "./public.js";
export * from "../schema.js";
export * from "../testing.js";
