/**
 * Call `onSignal` once on the first SIGINT or SIGTERM; both handlers are then removed so a second signal kills the
 * process the usual way. Returns a function that removes the handlers.
 */
export function onShutdownSignal(onSignal: () => void): () => void {
  const remove = () => {
    process.off("SIGINT", handler);
    process.off("SIGTERM", handler);
  };
  const handler = () => {
    remove();
    onSignal();
  };
  process.once("SIGINT", handler);
  process.once("SIGTERM", handler);
  return remove;
}
