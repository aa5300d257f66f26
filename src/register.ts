// `node --import hubhooks/register app.ts`: run a TypeScript file on Node 20 and 24 alike.
import { registerTypeScript } from "./cli/register-ts.js";

registerTypeScript();
