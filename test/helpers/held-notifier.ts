import { createServer } from "node:http";

/**
 * A plain HTTP endpoint standing in for the service an accepted handler calls: it records each body at once and
 * holds its 204 until `release()`, so a test can see a handler still running after the webhook was answered.
 * @example
 * const notifier = await heldNotifier();
 * // ... the handler POSTs to notifier.url; notifier.notified fills; notifier.release() lets it finish
 */
export async function heldNotifier(): Promise<{ url: string; notified: string[]; release: () => void; close: () => Promise<void> }> {
  let release!: () => void;
  const held = new Promise<void>((resolve) => (release = resolve));
  const notified: string[] = [];
  const server = createServer((req, res) => {
    let text = "";
    req.on("data", (d) => (text += d));
    req.on("end", () => {
      notified.push(text);
      void held.then(() => res.writeHead(204).end());
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as { port: number }).port}/hook`;
  return { url, notified, release, close: () => (release(), new Promise<void>((resolve) => server.close(() => resolve()))) };
}
