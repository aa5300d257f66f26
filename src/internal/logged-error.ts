import { redactText } from "../errors.js";

/**
 * An error for the `err` field of a log line (pino's serializer writes its type, message, stack and own fields such
 * as `code`), with the webhook secrets removed from the message and the stack: a handler's error text may quote what
 * it received. A copy on the same prototype, so the type stays the error's class.
 * @example
 * logger.warn({ err: loggedError(error, secrets), deliveryId }, "delivery attempt failed; will retry");
 */
export function loggedError(error: Error, secrets: readonly string[]): Error {
  const copy = Object.create(Object.getPrototypeOf(error) as object) as Error;
  const fields = error as unknown as Record<string, unknown>;
  for (const key of Object.keys(error)) {
    const value = fields[key];
    (copy as unknown as Record<string, unknown>)[key] = typeof value === "string" ? redactText(value, secrets) : value;
  }
  if (error.cause instanceof Error) {
    Object.defineProperty(copy, "cause", { value: loggedError(error.cause, secrets), enumerable: false, writable: true });
  }
  Object.defineProperty(copy, "message", { value: redactText(error.message, secrets), enumerable: false, writable: true });
  if (error.stack) Object.defineProperty(copy, "stack", { value: redactText(error.stack, secrets), enumerable: false, writable: true });
  if (error.name !== Object.getPrototypeOf(error)?.name) copy.name = error.name;
  return copy;
}
