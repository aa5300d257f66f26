// A real HTTP server calling the exported GET/POST/HEAD of a Next.js App Router route module with real web Requests
// (how the tests run examples/mount/next without Next.js). Usage: node --import hubhooks/register next-route-host.mjs <route.ts>
import { registerHooks } from "node:module";
import { createServer } from "node:http";
import { pathToFileURL } from "node:url";
import { getRequestListener } from "@hono/node-server";

const standIn = new URL("./next-server-stand-in.mjs", import.meta.url).href;
registerHooks({
  resolve: (specifier, context, next) => (specifier === "next/server" ? { url: standIn, shortCircuit: true } : next(specifier, context)),
});
const route = await import(pathToFileURL(process.argv[2]).href);
const server = createServer(
  getRequestListener((request) => {
    const handler = route[request.method];
    return handler ? handler(request) : new Response(null, { status: 405 });
  }),
);
server.listen(Number(process.env.PORT ?? 0), "127.0.0.1", () => {
  console.log(`Listening on http://127.0.0.1:${server.address().port}/api/hooks`);
});
process.once("SIGTERM", () => server.close(() => process.exit(0)));
