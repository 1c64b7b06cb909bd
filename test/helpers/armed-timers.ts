/**
 * The Timeout resources created while `work` runs and still armed afterwards, by delay (ms),
 * tracked with async_hooks. Counting all active timers instead (process.getActiveResourcesInfo)
 * failed in CI when a short timer of an earlier test expired meanwhile: 2 against 3. Timers of
 * 1 s or more get up to 3 s to go (a server's own shutdown may hold one for a moment).
 */
import { createHook } from 'node:async_hooks';

export async function timersLeftBy(work: () => Promise<void>): Promise<number[]> {
  const armed = new Map<number, number>();
  const hook = createHook({
    init(asyncId, type, _trigger, resource) {
      if (type === 'Timeout') armed.set(asyncId, (resource as { _idleTimeout?: number })._idleTimeout ?? -1);
    },
    destroy(asyncId) {
      armed.delete(asyncId);
    },
  }).enable();
  try {
    await work();
    for (let i = 0; i < 60 && [...armed.values()].some((ms) => ms >= 1000); i++)
      await new Promise((resolve) => setTimeout(resolve, 50));
  } finally {
    hook.disable();
  }
  return [...armed.values()];
}
