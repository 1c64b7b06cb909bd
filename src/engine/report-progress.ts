/** Progress callbacks and caller streams: the caller's code, called from inside the engine's stream handlers. */
import { SessionError } from '../errors';

/** Bytes moved so far in one transfer (the resumed-at offset not included). An async listener's rejection fails the transfer too. */
export type ProgressListener = (bytes: number) => unknown;

/**
 * The caller's own code failed during a transfer (its progress callback, or the stream it gave
 * get() or put()): the data connection is cut as for any local stop, the server's answer to
 * that is read (so the session stays in step and usable), and the transfer then rejects with
 * `thrown` itself (file-transfer.ts unwraps it).
 */
export class CallerFailure extends Error {
  constructor(
    readonly thrown: unknown,
    what: string,
  ) {
    super(`${what}: ${thrown instanceof Error ? thrown.message : String(thrown)}`);
    this.name = 'CallerFailure';
  }
}

/** The caller's progress callback threw (or its promise rejected). */
export class ProgressCallbackFailure extends CallerFailure {
  constructor(thrown: unknown) {
    super(thrown, 'the progress callback threw');
    this.name = 'ProgressCallbackFailure';
  }
}

/** The stream the caller gave get() (destination) or put() (source) failed. */
export class CallerStreamFailure extends CallerFailure {
  constructor(thrown: unknown) {
    super(thrown, "the caller's stream failed");
    this.name = 'CallerStreamFailure';
  }
}

/**
 * Calls the caller's `listener`; an exception it throws would be uncaught where the engine
 * calls it (a socket or stream handler: the process would die, nothing recorded). It goes to
 * `fail` as a ProgressCallbackFailure instead, and false is returned (stop: don't go on with
 * this chunk). A promise the listener returns (an async function) that rejects goes to
 * `failLater` (default `fail`), once per transfer, never as an unhandled rejection; the
 * transfer fails with it unless it has finished by then.
 */
export function reportProgress(
  listener: ProgressListener,
  bytes: number,
  fail: (error: Error) => void,
  failLater: (error: Error) => void = fail,
): boolean {
  try {
    const returned: unknown = listener(bytes);
    if (returned !== null && typeof returned === 'object' && typeof (returned as Promise<void>).then === 'function')
      (returned as Promise<void>).then(undefined, (error: unknown) => failLater(new ProgressCallbackFailure(error)));
    return true;
  } catch (error) {
    fail(new ProgressCallbackFailure(error));
    return false;
  }
}

/**
 * What a failed transfer rejects with: the progress callback's own error (the caller threw it),
 * FTPSCTL_ERR_TRANSFER naming the caller's stream that failed (its error as the cause), else
 * `error` as it is.
 */
export function callerError(error: unknown, host?: string): unknown {
  if (error instanceof CallerStreamFailure)
    return new SessionError('FTPSCTL_ERR_TRANSFER', error.message, { cause: error.thrown, ...(host ? { host } : {}) });
  return error instanceof CallerFailure ? error.thrown : error;
}
