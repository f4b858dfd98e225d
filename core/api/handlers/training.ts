/**
 * Training mode only (issue 12): tap any sample card, choose the training hospital from the 37, and switch the
 * embedded city simulator to down, slow, 5xx or 429 and back. On a production desk each answers `not_allowed`.
 */
import { getHospital } from '../../../domain/hospitals';
import type { TrainingCityMode } from '../contract';
import type { TrainingCityFaults } from '../ports';
import { KioskError } from '../result';
import type { HandlerContext, HandlerMap } from './context';

/** The simulator's faults for each mode; every mode sets all four, so switching back clears the others. */
export const CITY_MODE_FAULTS: Record<TrainingCityMode, Parameters<TrainingCityFaults['setFaults']>[0]> = {
  normal: { offline: false, latencyMs: 0, errorRate: 0, rateLimitRate: 0 },
  down: { offline: true, latencyMs: 0, errorRate: 0, rateLimitRate: 0 },
  slow: { offline: false, latencyMs: 8000, errorRate: 0, rateLimitRate: 0 },
  '5xx': { offline: false, latencyMs: 0, errorRate: 1, rateLimitRate: 0 },
  '429': { offline: false, latencyMs: 0, errorRate: 0, rateLimitRate: 1, retryAfterSec: 30 },
};

const TRAINING_ONLY = { en: 'This exists in training mode only.', zh: '仅在培训模式下可用。' };

export function trainingHandlers(c: HandlerContext, sessionChanged: () => ReturnType<NonNullable<HandlerMap['getSession']>>) {
  const trainingOnly = () => {
    if (!c.training) throw new KioskError('not_allowed', TRAINING_ONLY);
  };
  return {
    trainingTapSample: async ({ sample }) => {
      trainingOnly();
      const sim = c.deps.devices?.simulator;
      if (!sim?.tapSample) throw new KioskError('not_allowed', TRAINING_ONLY);
      return { delivered: await sim.tapSample(sample) };
    },
    trainingSetHospital: ({ hospitalCode }) => {
      trainingOnly();
      const h = getHospital(hospitalCode);
      if (!h) {
        throw new KioskError('bad_request', { en: `${hospitalCode} is not one of the 37 maternity hospitals.`, zh: `${hospitalCode} 不是 37 家助产医院之一。` });
      }
      // in place: every handler map holds this same object (registrations are filed under the new hospital)
      Object.assign(c.hospital, { code: h.code, name: h.zh, district: h.district });
      return sessionChanged();
    },
    trainingSetCity: async ({ mode }) => {
      trainingOnly();
      const city = c.deps.trainingCity;
      if (!city) throw new KioskError('unavailable', { en: 'The training city simulator is not running.', zh: '培训用市级平台模拟器未运行。' });
      // The city may run in its own thread (city-api/thread.ts): its switch then answers asynchronously.
      await city.setFaults(CITY_MODE_FAULTS[mode]);
      c.logger.info('training: simulated city mode', { mode });
      return { mode };
    },
  } satisfies HandlerMap;
}
