import { isSpanContextValid, type SpanContext } from "@opentelemetry/api";

const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;

/**
 * A span context as a W3C `traceparent` value (version 00), the form stored with a delivery; null for an invalid
 * context (no SDK registered and no incoming trace), so nothing is stored then.
 * @example
 * toTraceparent(span.spanContext()); // "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"
 */
export function toTraceparent(context: SpanContext): string | null {
  if (!isSpanContextValid(context)) return null;
  return `00-${context.traceId}-${context.spanId}-${(context.traceFlags & 0xff).toString(16).padStart(2, "0")}`;
}

/**
 * The span context a stored `traceparent` names (marked remote: it may come from another process or another day),
 * or null for anything else. Our own storage format, so it does not depend on the propagator the app registered.
 * @example
 * parseTraceparent("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")?.spanId; // "00f067aa0ba902b7"
 */
export function parseTraceparent(text: string | null | undefined): SpanContext | null {
  const match = text ? TRACEPARENT.exec(text) : null;
  if (!match) return null;
  const context: SpanContext = { traceId: match[1]!, spanId: match[2]!, traceFlags: parseInt(match[3]!, 16), isRemote: true };
  return isSpanContextValid(context) ? context : null;
}
