// The baseline: a bare node:http server doing the least a webhook receiver must do (check the secret header,
// read the body, JSON.parse it, answer JSON), with the same ready line shape as bench/servers/hubhooks.js.
//
//   node bench/servers/baseline.js
import { minimalServer } from "./minimal-http.js";

minimalServer("none (baseline)", (_request, _text, _payload, reply) => reply(200, { ok: true }));
