// Work after the answer, where the host keeps the function alive for it: a Worker's `ctx.waitUntil`, Next's
// `after()`. Keyed by the request object itself (a WeakMap), so concurrent requests of one isolate never mix and
// nothing outlives the request.

/** Keeps the runtime alive until the task has settled (`ctx.waitUntil`, or a wrapper of Next's `after`). */
export type AfterResponse = (task: Promise<unknown>) => void;

const hosts = new WeakMap<Request, AfterResponse>();

/**
 * Say how work may go on after the response to this request: an `"accepted"` endpoint without a delivery log then
 * answers 202 at once and runs its handler through `schedule`, instead of inside the request.
 * @example
 * export default { fetch: (request, env, ctx) => (runAfterResponse(request, (t) => ctx.waitUntil(t)), app.fetch(request)) };
 */
export function runAfterResponse(request: Request, schedule: AfterResponse): void {
  hosts.set(request, schedule);
}

/** The scheduler registered for this request, if any. */
export function afterResponseOf(request: Request): AfterResponse | undefined {
  return hosts.get(request);
}
