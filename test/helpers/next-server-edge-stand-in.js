// Stands in for `next/server` in the Edge runtime test (the edge-runtime package has no Next.js around it): `after`
// runs the task after the answer has been handed back, as Next does.
export function after(task) {
  setTimeout(() => void task(), 0);
}
