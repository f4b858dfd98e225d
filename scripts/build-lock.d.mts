export function newestMtime(dir: string): number;
export function withBuildLock<T>(lockDir: string, fn: () => Promise<T> | T): Promise<T>;
