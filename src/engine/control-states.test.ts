import { canMove, commandAllowed } from './control-states';

describe('control channel states', () => {
  it('has no path from the greeting to login when TLS is required', () => {
    expect(commandAllowed('greeted', 'USER', { tlsRequired: true })).toBe(false);
    expect(commandAllowed('greeted', 'PASS', { tlsRequired: true })).toBe(false);
    expect(commandAllowed('greeted', 'AUTH', { tlsRequired: true })).toBe(true);
    expect(commandAllowed('securing', 'USER', { tlsRequired: true })).toBe(false);
    expect(commandAllowed('secured', 'USER', { tlsRequired: true })).toBe(true);
  });

  it('lets a plain session log in after the greeting only when TLS is off', () => {
    expect(commandAllowed('greeted', 'USER', { tlsRequired: false })).toBe(true);
  });

  it('refuses protection commands after CCC and login commands once logged in', () => {
    expect(commandAllowed('ready-clear', 'PROT', { tlsRequired: true })).toBe(false);
    expect(commandAllowed('ready-clear', 'RETR', { tlsRequired: true })).toBe(true);
    expect(commandAllowed('ready', 'USER', { tlsRequired: true })).toBe(false);
    expect(commandAllowed('ready', 'CCC', { tlsRequired: true })).toBe(true);
  });

  it('allows only the designed transitions', () => {
    const tls = { tlsRequired: true };
    expect(canMove('greeted', 'authenticating', tls)).toBe(false);
    expect(canMove('greeted', 'authenticating', { tlsRequired: false })).toBe(true);
    expect(canMove('securing', 'authenticating', tls)).toBe(false);
    expect(canMove('connecting', 'ready', tls)).toBe(false);
    expect(canMove('closed', 'connecting', tls)).toBe(false);
  });
});
