// How much a server still has to run, read from its /metrics (loopback needs no token).

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Accepted mode answers before the handler ran: how much was still queued or running when the load stopped, and
 * how long the server then took to run it (polled every 100 ms, at most `capMs`), so the next run starts idle.
 * @example
 * const { atEnd, left, seconds } = await waitForBacklog("http://127.0.0.1:7860/webhooks/noop", 15_000);
 * @param {string} endpointUrl @param {number} capMs
 */
export async function waitForBacklog(endpointUrl, capMs) {
  const started = performance.now();
  const atEnd = await queueDepth(endpointUrl);
  let left = atEnd;
  while (left > 0 && performance.now() - started < capMs) {
    await sleep(100);
    left = await queueDepth(endpointUrl);
  }
  return { atEnd, left, seconds: (performance.now() - started) / 1000 };
}

/**
 * hubhooks_queue_depth, queued + running; NaN if unreadable.
 * @param {string} endpointUrl
 */
export async function queueDepth(endpointUrl) {
  try {
    const response = await fetch(new URL("/metrics", endpointUrl), { signal: AbortSignal.timeout(10_000) });
    const text = await response.text();
    let depth = 0;
    for (const status of ["queued", "running"]) {
      const match = new RegExp(`^hubhooks_queue_depth\\{status="${status}"\\} (\\d+)$`, "m").exec(text);
      if (!match) return NaN;
      depth += Number(match[1]);
    }
    return depth;
  } catch {
    return NaN;
  }
}
