/**
 * The city simulator's public entry: what the shells use to start the embedded training simulator
 * (the only file of city-api/ that electron/ may import).
 */
export { DEFAULT_FAULTS, DEFAULT_REVIEW_CLOCK, randomAdminToken, startCitySimulator } from './server';
export type { CitySimulator, CitySimulatorAdmin, CitySimulatorOptions } from './server';
export type { ReviewClock } from './store';
export type { Faults, FaultsPatch, StoredRequest } from './contract';
export { startCitySimulatorInThread, type ThreadedCityAdmin, type ThreadedCitySimulator } from './thread';
