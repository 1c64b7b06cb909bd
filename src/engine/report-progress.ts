/** Progress callbacks: the caller's code, called from inside the engine's stream handlers. */

/** Bytes moved so far in one transfer (the resumed-at offset not included). */
export type ProgressListener = (bytes: number) => void;

/**
 * The caller's progress callback threw `thrown`: the data connection is cut as for any local
 * stop, the server's answer to that is read (so the session stays in step and usable), and the
 * transfer then rejects with `thrown` itself (file-transfer.ts unwraps it).
 */
export class ProgressCallbackFailure extends Error {
  constructor(readonly thrown: unknown) {
    super(`the progress callback threw: ${thrown instanceof Error ? thrown.message : String(thrown)}`);
    this.name = 'ProgressCallbackFailure';
  }
}

/**
 * Calls the caller's `listener`; an exception it throws would be uncaught where the engine
 * calls it (a socket or stream handler: the process would die, nothing recorded). It goes to
 * `fail` as a ProgressCallbackFailure instead, and false is returned (stop: don't go on with
 * this chunk).
 */
export function reportProgress(listener: ProgressListener, bytes: number, fail: (error: Error) => void): boolean {
  try {
    listener(bytes);
    return true;
  } catch (error) {
    fail(new ProgressCallbackFailure(error));
    return false;
  }
}

/** The caller's own error when `error` is a ProgressCallbackFailure; `error` otherwise. */
export function callerError(error: unknown): unknown {
  return error instanceof ProgressCallbackFailure ? error.thrown : error;
}
