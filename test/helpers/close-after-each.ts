import { afterEach } from "vitest";

/**
 * Register an `afterEach` that closes every server the returned `track` was given, newest first.
 * @example
 * const track = closeAfterEach();
 * const s = track(await startServer());
 */
export function closeAfterEach(): <T extends { close(): Promise<void> }>(server: T) => T {
  const open: { close(): Promise<void> }[] = [];
  afterEach(async () => {
    while (open.length) await open.pop()!.close();
  });
  return (server) => {
    open.push(server);
    return server;
  };
}
