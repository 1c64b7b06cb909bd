import type { ControlConnection } from './control-connection';
import { passiveEndpoint, type PassiveState } from './data-connection';
import type { FtpReply } from './parse-reply';

/** A control connection that answers from a script, one reply per request, and records what was sent. */
function scriptedControl(replies: string[]): { control: ControlConnection; sent: string[] } {
  const sent: string[] = [];
  const control = {
    request: async (line: string): Promise<FtpReply> => {
      sent.push(line);
      const text = replies.shift();
      if (text === undefined) throw new Error(`no scripted reply for ${line}`);
      const code = Number(text.slice(0, 3));
      return { code, lines: [text], message: text.slice(4) };
    },
  } as unknown as ControlConnection;
  return { control, sent };
}

const target = { host: 'ftp.example', peerAddress: '192.0.2.10', nat: false };

describe('passiveEndpoint: transient refusals (4yz) are asked again, never a change of mode', () => {
  it('asks EPSV again after 425 (a server out of passive ports) and keeps EPSV for the session', async () => {
    const { control, sent } = scriptedControl([
      "425 Can't open passive connection: Address already in use",
      '229 Entering Extended Passive Mode (|||40001|)',
    ]);
    const state: PassiveState = { epsv: true };
    await expect(passiveEndpoint(control, state, target)).resolves.toEqual({
      host: '192.0.2.10',
      port: 40001,
      natRewritten: false,
    });
    expect(sent).toEqual(['EPSV', 'EPSV']);
    expect(state.epsv).toBe(true);
  });

  it('fails the transfer after four transient replies, saying so, and still keeps EPSV', async () => {
    const { control, sent } = scriptedControl(Array(4).fill("425 Can't open passive connection"));
    const state: PassiveState = { epsv: true };
    await expect(passiveEndpoint(control, state, target)).rejects.toMatchObject({
      code: 'FTPSCTL_ERR_COMMAND_FAILED',
      message: expect.stringMatching(/transient refusal, 4 times; the server may be out of passive ports/),
    });
    expect(sent).toEqual(['EPSV', 'EPSV', 'EPSV', 'EPSV']);
    expect(state.epsv).toBe(true);
  });

  it('the same for PASV', async () => {
    const { control, sent } = scriptedControl(['450 busy', '227 Entering Passive Mode (192,0,2,10,156,65)']);
    await expect(passiveEndpoint(control, { epsv: false }, target)).resolves.toMatchObject({ port: 40001 });
    expect(sent).toEqual(['PASV', 'PASV']);
  });

  it('a permanent refusal of EPSV (500) still switches the session to PASV at once', async () => {
    const { control, sent } = scriptedControl([
      '500 EPSV not understood',
      '227 Entering Passive Mode (192,0,2,10,156,65)',
    ]);
    const state: PassiveState = { epsv: true };
    await expect(passiveEndpoint(control, state, target)).resolves.toMatchObject({ port: 40001 });
    expect(sent).toEqual(['EPSV', 'PASV']);
    expect(state.epsv).toBe(false);
  });

  it('421 ends the session at once, without asking again', async () => {
    const { control, sent } = scriptedControl(['421 Timeout: closing control connection']);
    await expect(passiveEndpoint(control, { epsv: true }, target)).rejects.toMatchObject({
      code: 'FTPSCTL_ERR_CLOSED',
    });
    expect(sent).toEqual(['EPSV']);
  });
});
