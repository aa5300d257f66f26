import type { IncomingMessage } from "node:http";
import { bodyTooLarge } from "../http/read-body.js";

/**
 * The body reader of the Node fast path: the raw bytes of `req` as Node's parser hands them over (one chunk for
 * a Hub delivery), without a web stream. Past `limit` it stops with a 413 and lets the rest drain; a client that
 * hangs up before the end rejects (nothing is recorded).
 * @example
 * const bytes = await readNodeBody(req)(1024 * 1024);
 */
export function readNodeBody(req: IncomingMessage): (limit: number) => Promise<Uint8Array> {
  return (limit) =>
    new Promise<Uint8Array>((resolve, reject) => {
      const chunks: Buffer[] = [];
      let size = 0;
      const done = () => {
        req.off("data", onData);
        req.off("end", onEnd);
        req.off("close", onClose);
        req.off("error", onError);
      };
      const onData = (chunk: Buffer) => {
        size += chunk.length;
        if (size > limit) {
          done();
          req.resume(); // flowing with no listener: the rest is read and dropped, the connection stays usable
          reject(bodyTooLarge(limit));
          return;
        }
        chunks.push(chunk);
      };
      const onEnd = () => {
        done();
        resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size));
      };
      const onClose = () => {
        done();
        reject(new Error("The client closed the connection before the request body was complete."));
      };
      const onError = (error: Error) => {
        done();
        reject(error);
      };
      req.on("data", onData);
      req.on("end", onEnd);
      req.on("close", onClose);
      req.on("error", onError);
    });
}

/**
 * The body reader for bytes a framework already read (`req.rawBody` kept by a body parser's `verify`).
 * @example
 * const read = bufferedBody(req.rawBody);
 */
export function bufferedBody(bytes: Buffer): (limit: number) => Promise<Uint8Array> {
  return async (limit) => {
    if (bytes.length > limit) throw bodyTooLarge(limit);
    return bytes;
  };
}
