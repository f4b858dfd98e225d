/**
 * A training desk's requests never reach a real city (issue 13). The sync engine of a training desk gets this
 * fetch: it refuses, before anything connects, any address but the embedded simulator's (the origin the desk
 * started itself), and refuses an answer that does not carry the simulator's `X-City-Simulator` identity (a
 * port taken over by something else). A refusal is a network error to the engine: the request stays queued.
 */
import type { Logger } from '../api/ports';

export const CITY_SIMULATOR_HEADER = 'x-city-simulator';

export class TrainingGuardError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TrainingGuardError';
  }
}

export function guardTrainingFetch(opts: { trainingUrl: string; identity: string; logger: Logger; fetch?: typeof fetch }): typeof fetch {
  const origin = new URL(opts.trainingUrl).origin;
  const inner = opts.fetch ?? ((input, init) => fetch(input, init));
  return async (input, init) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    if (url.origin !== origin) {
      opts.logger.error('training desk: refused to send to a city that is not the training simulator', { origin: url.origin });
      throw new TypeError('refused', { cause: new TrainingGuardError('a training request may only go to the training simulator') });
    }
    const res = await inner(input, init);
    if (res.headers.get(CITY_SIMULATOR_HEADER) !== opts.identity) {
      await res.body?.cancel().catch(() => {});
      opts.logger.error('training desk: the city at the simulator address is not the training simulator', { origin });
      throw new TypeError('refused', { cause: new TrainingGuardError('the answering city is not the training simulator') });
    }
    return res;
  };
}
