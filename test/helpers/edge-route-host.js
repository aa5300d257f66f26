// The entry the Edge runtime test bundles: a Next.js route module ("edge-route", aliased to the file under test)
// answering the runtime's fetch events with its exported GET/POST/HEAD, as Next's Edge sandbox calls them.
import * as route from "edge-route";

addEventListener("fetch", (event) => {
  const handler = route[event.request.method];
  event.respondWith(handler ? handler(event.request) : new Response(null, { status: 405 }));
});
