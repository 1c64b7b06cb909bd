/**
 * The benchmark's bookkeeping: contenders alternate order run by run, every run is prepared,
 * settled and checked, a failed run fails a CI run at once (--quick) and is counted (not
 * averaged in) in a full run, and medians and spreads are what they say.
 */
import { interleave, type Contender } from './interleave';
import { describeSeconds, median, type Measurement } from './measure';

const measurement = (seconds: number): Measurement => ({ seconds, cpu: seconds / 2, rssMiB: 10, load: 0.5 });

function contender(name: string, log: string[], seconds: number[], fail?: (run: number) => boolean): Contender {
  return {
    name,
    prepare: (run) => void log.push(`prepare ${name} ${run}`),
    measure: async (run) => {
      log.push(`measure ${name} ${run}`);
      if (fail?.(run)) throw new Error(`${name} broke in run ${run}`);
      return measurement(seconds[run]);
    },
    check: (run) => void log.push(`check ${name} ${run}`),
  };
}

describe('interleave', () => {
  it('alternates the order, prepares, settles and checks every run', async () => {
    const log: string[] = [];
    const results = await interleave([contender('a', log, [1, 2, 3]), contender('b', log, [4, 5, 6])], {
      runs: 3,
      pauseMs: 0,
      settle: async () => void log.push('settle'),
    });
    expect(log.filter((l) => l.startsWith('measure'))).toEqual([
      'measure a 0',
      'measure b 0',
      'measure b 1',
      'measure a 1',
      'measure a 2',
      'measure b 2',
    ]);
    expect(log.slice(0, 4)).toEqual(['prepare a 0', 'settle', 'measure a 0', 'check a 0']);
    expect(results.get('a')).toMatchObject({ wall: 2, wallText: '2.00 s (1.00–3.00)', cpu: 1, failures: [] });
    expect(results.get('b')).toMatchObject({ wall: 5, failures: [] });
  });

  it('throws at the first failed run when failFast (CI)', async () => {
    await expect(
      interleave([contender('a', [], [1, 2], (run) => run === 1)], { runs: 2, pauseMs: 0, failFast: true }),
    ).rejects.toThrow('a broke in run 1');
  });

  it('counts a failed run and summarises the others in a full run', async () => {
    const results = await interleave([contender('a', [], [1, 9, 3], (run) => run === 1)], { runs: 3, pauseMs: 0 });
    expect(results.get('a')).toMatchObject({ wall: 2, failures: ['run 2: a broke in run 1'] });
  });

  it('fails when every run of a contender failed', async () => {
    await expect(interleave([contender('a', [], [1], () => true)], { runs: 1, pauseMs: 0 })).rejects.toThrow(
      'a: every run failed; run 1: a broke in run 0',
    );
  });
});

describe('median and spread', () => {
  it.each([
    [[3], 3],
    [[5, 1, 3], 3],
    [[4, 1, 3, 2], 2.5],
  ])('median of %j is %d', (values, expected) => expect(median(values)).toBe(expected));

  it('gives one run as it is, and several as median (fastest–slowest)', () => {
    expect(describeSeconds([1.234])).toBe('1.23 s');
    expect(describeSeconds([2, 1, 4])).toBe('2.00 s (1.00–4.00)');
  });
});
