import { isFtpsctlError } from '../errors';

/** The `{ code, message }` an audit event carries for an error: its FTPSCTL_ERR_* code, or FTPSCTL_ERR_INTERNAL. */
export function errorSummary(error: unknown): { code: string; message: string } {
  return isFtpsctlError(error)
    ? { code: error.code, message: error.message }
    : { code: 'FTPSCTL_ERR_INTERNAL', message: (error as Error).message ?? String(error) };
}
