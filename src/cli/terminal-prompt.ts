/**
 * Asking for a secret on the terminal without echo (raw mode, nothing written back). Only
 * when both stdin and stderr are terminals; otherwise there is no prompt and the profile
 * must name an env or file source.
 */
import { FtpsctlError } from '../errors';

export function terminalPrompt(
  input: NodeJS.ReadStream = process.stdin,
  output: NodeJS.WriteStream = process.stderr,
): ((question: string) => Promise<string>) | undefined {
  if (!input.isTTY || !output.isTTY) return undefined;
  return (question) =>
    new Promise<string>((resolve, reject) => {
      output.write(question);
      let answer = '';
      const finish = (error?: Error): void => {
        input.off('data', onData);
        input.setRawMode(false);
        input.pause();
        output.write('\n');
        if (error) reject(error);
        else resolve(answer);
      };
      const onData = (chunk: Buffer): void => {
        for (const char of chunk.toString('utf8')) {
          if (char === '\r' || char === '\n') return finish();
          if (char === '\u0003')
            return finish(new FtpsctlError('FTPSCTL_ERR_INTERRUPTED', 'interrupted at the password prompt (Ctrl-C)')); // raw mode: Ctrl-C arrives as a character
          if (char === '\u007f' || char === '\b') answer = answer.slice(0, -1);
          else answer += char;
        }
      };
      input.setRawMode(true);
      input.resume();
      input.on('data', onData);
    });
}
