/**
 * The control channel's states and the only transitions allowed between them. With TLS
 * required there is no path from `greeted` to `authenticating` except through `secured`:
 * USER and PASS cannot be sent before the handshake and the certificate checks succeeded.
 * Pure: the connection asks `commandAllowed` before writing and `nextState` after a reply.
 */

export type ControlState =
  | 'connecting' // TCP (and, implicit mode, TLS) being established
  | 'greeted' // 220 received on a clear connection (explicit mode, before AUTH TLS)
  | 'securing' // AUTH TLS accepted, handshake and certificate checks in progress
  | 'secured' // TLS up and the server authenticated; login may start
  | 'authenticating' // USER/PASS exchange
  | 'ready' // logged in, PBSZ/PROT done: commands and transfers
  | 'clearing' // CCC sent, TLS being shut down on the control channel
  | 'ready-clear' // after CCC: commands in clear, data channels keep their PROT level
  | 'closing'
  | 'closed';

const TRANSITIONS: Record<ControlState, ControlState[]> = {
  connecting: ['greeted', 'secured', 'closed'],
  greeted: ['securing', 'authenticating', 'closing', 'closed'],
  securing: ['secured', 'closed'],
  secured: ['authenticating', 'closing', 'closed'],
  authenticating: ['ready', 'closing', 'closed'],
  ready: ['clearing', 'closing', 'closed'],
  clearing: ['ready-clear', 'ready', 'closed'],
  'ready-clear': ['closing', 'closed'],
  closing: ['closed'],
  closed: [],
};

export function canMove(from: ControlState, to: ControlState, options: { tlsRequired: boolean }): boolean {
  if (from === 'greeted' && to === 'authenticating' && options.tlsRequired) return false;
  return TRANSITIONS[from].includes(to);
}

/** Commands each state may send. `plainAllowed`: TLS is off by setting, so login may follow the greeting. */
export function commandAllowed(state: ControlState, verb: string, options: { tlsRequired: boolean }): boolean {
  const v = verb.toUpperCase();
  switch (state) {
    case 'greeted':
      return v === 'AUTH' || v === 'QUIT' || v === 'FEAT' || (!options.tlsRequired && (v === 'USER' || v === 'PASS'));
    case 'secured':
      return v === 'USER' || v === 'QUIT' || v === 'FEAT';
    case 'authenticating':
      return v === 'USER' || v === 'PASS' || v === 'ACCT' || v === 'PBSZ' || v === 'PROT' || v === 'QUIT';
    case 'ready':
    case 'ready-clear':
      // After CCC, protection commands are meaningless (RFC 4217 §12.3): the PROT level stays.
      return (
        !(state === 'ready-clear' && (v === 'PBSZ' || v === 'PROT' || v === 'AUTH' || v === 'CCC')) &&
        v !== 'USER' &&
        v !== 'PASS'
      );
    default:
      return false;
  }
}
