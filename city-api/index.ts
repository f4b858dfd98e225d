export { startCitySimulator, type CitySimulator } from './server';
