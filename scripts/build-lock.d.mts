export function newestMtime(dir: string): number;
export function rendererIsFresh(root: string, outDir?: string): boolean;
export function withBuildLock<T>(lockDir: string, fn: () => Promise<T> | T): Promise<T>;
