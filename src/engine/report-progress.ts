/** Progress callbacks: the caller's code, called from inside the engine's stream handlers. */

/** Bytes moved so far in one transfer (the resumed-at offset not included). */
export type ProgressListener = (bytes: number) => void;

/**
 * Calls the caller's `listener`; an exception it throws would be uncaught where the engine
 * calls it (a socket or stream handler: the process would die, nothing recorded). It goes to
 * `fail` instead, so the transfer fails with the caller's own error, and false is returned
 * (stop: don't go on with this chunk).
 */
export function reportProgress(listener: ProgressListener, bytes: number, fail: (error: Error) => void): boolean {
  try {
    listener(bytes);
    return true;
  } catch (error) {
    fail(error instanceof Error ? error : new Error(String(error)));
    return false;
  }
}
