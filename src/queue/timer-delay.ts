/** Largest delay setTimeout honours; beyond it Node fires after 1 ms instead. */
export const MAX_TIMER_DELAY_MS = 2_147_483_647;

/**
 * A delay safe to hand to setTimeout/setInterval: whole, at least 1 ms, at most ~24.8 days.
 * @example
 * setTimeout(wake, timerDelay(dueAt - now));
 */
export function timerDelay(ms: number): number {
  if (Number.isNaN(ms)) return 1;
  return Math.min(MAX_TIMER_DELAY_MS, Math.max(1, Math.ceil(ms)));
}
