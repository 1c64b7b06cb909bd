import { formatBytes, ProgressDisplay, progressLine } from './progress-display';

describe('progress line', () => {
  it('shows bar, percent, bytes, rate and ETA', () => {
    expect(progressLine({ label: 'big.iso', total: 4 * 1024 * 1024, bytes: 1024 * 1024, started: 0 }, 1000, 10)).toBe(
      'big.iso  [===       ]   25%  1.0 MiB  1.0 MiB/s  ETA 3s',
    );
  });
  it('shows bytes and rate when the size is unknown', () => {
    expect(progressLine({ label: 'stream', bytes: 2048, started: 0 }, 2000)).toBe('stream  2.0 KiB  1.0 KiB/s');
  });
  it('formats byte counts', () => {
    expect([formatBytes(0), formatBytes(1536), formatBytes(3 * 1024 ** 3)]).toEqual(['0 B', '1.5 KiB', '3.0 GiB']);
  });
});

/** A terminal as far as the display uses one: lines, and `ESC[nA ESC[J` (up n lines, erase below). */
class FakeTerminal {
  lines: string[] = [];
  readonly stdout = this.stream();
  readonly stderr = this.stream();

  private stream(): NodeJS.WriteStream {
    const stream = { isTTY: true, columns: 200, write: (text: string) => this.print(text) };
    return stream as unknown as NodeJS.WriteStream;
  }

  private print(text: string): boolean {
    let rest = text;
    for (;;) {
      // eslint-disable-next-line no-control-regex -- the terminal escapes the display writes
      const erase = /^\r?\x1b\[(\d+)A\x1b\[J/.exec(rest);
      if (erase) {
        this.lines.splice(this.lines.length - Number(erase[1]));
        rest = rest.slice(erase[0].length);
        continue;
      }
      const newline = rest.indexOf('\n');
      if (newline < 0) break;
      this.lines.push(rest.slice(0, newline));
      rest = rest.slice(newline + 1);
    }
    return true;
  }
}

describe('progress display on a terminal', () => {
  let clock = 0;
  beforeEach(() => {
    jest.useFakeTimers();
    clock = 0;
  });
  afterEach(() => jest.useRealTimers());

  function display(terminal: FakeTerminal): ProgressDisplay {
    return new ProgressDisplay(terminal.stderr, true, () => clock, [terminal.stdout]);
  }

  it('keeps the result line of a transfer: a later redraw never erases it', () => {
    const terminal = new FakeTerminal();
    const progress = display(terminal);
    const track = progress.track('report.bin', 1000);
    clock = 1500;
    track.update(1000);
    jest.advanceTimersByTime(400);
    expect(terminal.lines.some((line) => line.startsWith('report.bin  ['))).toBe(true);
    terminal.stdout.write('report.bin -> report.bin: 1000 B, verified by hash, SHA-256 abc\n');
    track.done();
    jest.advanceTimersByTime(400);
    progress.stop();
    expect(terminal.lines).toEqual(['report.bin -> report.bin: 1000 B, verified by hash, SHA-256 abc']);
  });

  it('keeps a warning written on stderr while two bars are drawn, and redraws the bars under it', () => {
    const terminal = new FakeTerminal();
    const progress = display(terminal);
    const a = progress.track('a', 10);
    const b = progress.track('b', 10);
    clock = 2000;
    jest.advanceTimersByTime(200);
    terminal.stderr.write('ftpsctl: c: refused\n');
    jest.advanceTimersByTime(200);
    expect(terminal.lines[0]).toBe('ftpsctl: c: refused');
    expect(terminal.lines.slice(1).map((line) => line.split(' ')[0])).toEqual(['a', 'b']);
    a.done();
    b.done();
    expect(terminal.lines).toEqual(['ftpsctl: c: refused']);
  });

  it('restores the streams when it stops, and draws nothing when stdout is not a terminal', () => {
    const terminal = new FakeTerminal();
    const write = terminal.stdout.write;
    const progress = display(terminal);
    progress.track('x', 1);
    expect(terminal.stdout.write).not.toBe(write);
    progress.stop();
    expect(terminal.stdout.write).toBe(write);
    const piped = { ...terminal.stdout, isTTY: false } as unknown as NodeJS.WriteStream;
    const silent = ProgressDisplay.for(terminal.stderr, false, piped);
    silent.track('y', 1).update(1);
    clock = 5000;
    jest.advanceTimersByTime(1000);
    expect(terminal.lines).toEqual([]);
  });
});
