/**
 * Last-resort cleanup when the test process exits without calling `stop()` (a failing
 * test, a forgotten afterAll): kill the server process groups, remove files outside the
 * workspace. Only synchronous work is possible in an 'exit' handler.
 */
const cleanups = new Set<() => void>();
let installed = false;

/** Runs `cleanup` at process exit unless the returned function is called first. */
export function onProcessExit(cleanup: () => void): () => void {
  if (!installed) {
    installed = true;
    process.once('exit', () => {
      // Last registered first, like nested finally blocks: servers die before their folders go.
      for (const run of [...cleanups].reverse()) {
        try {
          run();
        } catch {
          // Keep going: the other servers still need stopping.
        }
      }
    });
  }
  cleanups.add(cleanup);
  return () => {
    cleanups.delete(cleanup);
  };
}
