/** Readers and scanners, and (training mode only) the simulated ones. */
import { KioskError } from '../result';
import type { HandlerContext, HandlerMap } from './context';

export function deviceHandlers(c: HandlerContext) {
  const { deps } = c;
  function trainingSimulator() {
    if (!c.training || !deps.devices?.simulator) {
      throw new KioskError('not_allowed', { en: 'The simulated reader and scanner exist in training mode only.', zh: '模拟读卡器和扫码枪仅在培训模式下可用。' });
    }
    return deps.devices.simulator;
  }
  return {
    listDevices: () => deps.devices?.list() ?? [],
    simulateCardTap: async ({ parent }) => ({ delivered: await trainingSimulator().tapCard(parent) }),
    simulateScan: async ({ value }) => ({ delivered: await trainingSimulator().scan(value) }),
  } satisfies HandlerMap;
}
