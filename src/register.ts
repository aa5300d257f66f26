// `node --import hubhooks/register app.ts`: run a TypeScript file on every supported Node alike.
import { registerTypeScript } from "./cli/register-ts.js";

registerTypeScript();
