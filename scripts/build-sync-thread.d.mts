export const SYNC_THREAD_DIR: string;
export const SYNC_THREAD_FILE: string;
export function syncThreadBuildOptions(outfile?: string): Record<string, unknown>;
export function syncThreadIsFresh(file?: string): boolean;
export function buildSyncThread(opts?: { force?: boolean; log?: (line: string) => void }): Promise<string>;
export const CITY_THREAD_FILE: string;
export function cityThreadBuildOptions(outfile?: string): Record<string, unknown>;
export function buildCityThread(opts?: { force?: boolean; log?: (line: string) => void }): Promise<string>;
