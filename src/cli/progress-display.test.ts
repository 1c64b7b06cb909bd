import { formatBytes, progressLine } from './progress-display';

describe('progress line', () => {
  it('shows bar, percent, bytes, rate and ETA', () => {
    expect(progressLine({ label: 'big.iso', total: 4 * 1024 * 1024, bytes: 1024 * 1024, started: 0 }, 1000, 10)).toBe('big.iso  [===       ]   25%  1.0 MiB  1.0 MiB/s  ETA 3s');
  });
  it('shows bytes and rate when the size is unknown', () => {
    expect(progressLine({ label: 'stream', bytes: 2048, started: 0 }, 2000)).toBe('stream  2.0 KiB  1.0 KiB/s');
  });
  it('formats byte counts', () => {
    expect([formatBytes(0), formatBytes(1536), formatBytes(3 * 1024 ** 3)]).toEqual(['0 B', '1.5 KiB', '3.0 GiB']);
  });
});
