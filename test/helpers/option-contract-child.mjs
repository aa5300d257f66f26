// Runs the option contract (option-contract.mjs) against the BUILT package in plain Node: no TypeScript, no type
// checker, the calls a JavaScript user writes. Prints one JSON array of { id, result }. Build first.
import { contractCases, runCase } from "./option-contract.mjs";

const dist = new URL("../../dist/", import.meta.url);
const load = (path) => import(new URL(path, dist).href);
const [root, node, next, testing, store, cli, lists] = await Promise.all(
  ["index.js", "node/index.js", "adapters/next.js", "testing.js", "store.js", "cli/main.js", "server/option-lists.js"].map(load),
);
const lib = {
  WebhooksServer: root.WebhooksServer,
  HubClient: root.HubClient,
  createNodeMiddleware: node.createNodeMiddleware,
  nextRouteHandler: next.nextRouteHandler,
  ManualClock: testing.ManualClock,
  createSqliteStore: store.createSqliteStore,
  main: cli.main,
};
const results = [];
for (const c of contractCases(lists)) results.push({ id: c.id, result: await runCase(c, lib) });
process.stdout.write(JSON.stringify(results));
