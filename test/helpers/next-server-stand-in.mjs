// Stands in for `next/server` when a test hosts examples/mount/next's route handler without Next.js (not installed
// here): `after(task)` runs the task once the answer is sent, as Next does, and says so on stdout.
export function after(task) {
  setImmediate(async () => {
    await task();
    console.log("after: task ran");
  });
}
