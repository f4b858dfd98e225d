/**
 * The receipt's CJK font: Noto Sans SC (SIL OFL 1.1) shipped in `@expo-google-fonts/noto-sans-sc`, never
 * the OS's fonts. The TTFs are ~10 MB each; pdfkit embeds only the glyphs a receipt uses (a subset), so a
 * receipt stays small.
 *
 * Packaging: electron-builder must ship the two TTF files outside the asar archive — either
 * `asarUnpack: ["node_modules/@expo-google-fonts/noto-sans-sc/{400Regular,700Bold}/*.ttf"]` (found
 * automatically below via `app.asar.unpacked`) or `extraResources: [{ from: <those files>, to: "fonts" }]`
 * (found under `process.resourcesPath/fonts`). The other weights need not be packaged.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { create as createFont, type Font, type GlyphRun } from 'fontkit';

export const FONT_PACKAGE = '@expo-google-fonts/noto-sans-sc';
export const FONT_FILES = {
  regular: { dir: '400Regular', file: 'NotoSansSC_400Regular.ttf' },
  bold: { dir: '700Bold', file: 'NotoSansSC_700Bold.ttf' },
} as const;
/** Environment override: a folder holding the two TTF files side by side. */
export const FONT_DIR_ENV = 'NEWBORN_DESK_FONT_DIR';

export interface FontPaths {
  regular: string;
  bold: string;
}

export class ReceiptFontError extends Error {
  constructor(public readonly tried: string[]) {
    super(
      `receipt font not found: Noto Sans SC (${FONT_FILES.regular.file}, ${FONT_FILES.bold.file}) is in none of: ` +
        `${tried.join('; ')}. Install ${FONT_PACKAGE}, or set ${FONT_DIR_ENV} to a folder holding both files.`,
    );
    this.name = 'ReceiptFontError';
  }
}

let configuredDir: string | null = null;

/** Tells the receipt where the fonts are (e.g. the Electron main process: `path.join(process.resourcesPath, 'fonts')`). */
export function useFontDir(dir: string | null): void {
  configuredDir = dir;
  cache = null;
}

/** In a packaged app a file inside `app.asar` may have been unpacked next to it: prefer the real file. */
function unpacked(p: string): string {
  const marker = `app.asar${path.sep}`;
  if (!p.includes(marker)) return p;
  const real = p.replace(marker, `app.asar.unpacked${path.sep}`);
  return existsSync(real) ? real : p;
}

/** Where node resolution finds the font package from this module (ESM), or from the working folder (bundled CJS). */
function packageDirs(): string[] {
  const bases: string[] = [];
  // `import.meta.url` is empty when a bundler turns this module into CommonJS; `__filename` then exists.
  const metaUrl = import.meta.url as string | undefined;
  if (metaUrl) bases.push(metaUrl);
  if (typeof __filename === 'string') bases.push(__filename);
  bases.push(path.join(process.cwd(), 'package.json'));
  const dirs: string[] = [];
  for (const base of bases) {
    try {
      const pkg = createRequire(base).resolve(`${FONT_PACKAGE}/package.json`);
      const dir = unpacked(path.dirname(pkg));
      if (!dirs.includes(dir)) dirs.push(dir);
    } catch {
      /* not resolvable from this base */
    }
  }
  return dirs;
}

/**
 * The two TTF files the receipt embeds, found (in order) in: the folder given to `useFontDir` or in
 * `$NEWBORN_DESK_FONT_DIR` (flat), `process.resourcesPath/fonts` (Electron extraResources, flat), the
 * `@expo-google-fonts/noto-sans-sc` package resolved from node_modules (asar-unpacked when packaged).
 * Throws `ReceiptFontError` naming every place tried.
 */
export function fontPaths(dir?: string): FontPaths {
  const tried: string[] = [];
  const flat = (d: string): FontPaths | null => {
    const c = { regular: path.join(d, FONT_FILES.regular.file), bold: path.join(d, FONT_FILES.bold.file) };
    tried.push(d);
    return existsSync(c.regular) && existsSync(c.bold) ? c : null;
  };
  const explicit = dir ?? configuredDir ?? process.env[FONT_DIR_ENV];
  if (explicit) {
    // An explicit folder that lacks the files is a configuration error, not a cue to look elsewhere.
    const found = flat(explicit) ?? fromPackageLayout(explicit);
    if (found) return found;
    throw new ReceiptFontError(tried);
  }
  const resources = (process as NodeJS.Process & { resourcesPath?: string }).resourcesPath;
  if (typeof resources === 'string') {
    const found = flat(path.join(resources, 'fonts'));
    if (found) return found;
  }
  for (const d of packageDirs()) {
    tried.push(d);
    const found = fromPackageLayout(d);
    if (found) return found;
  }
  throw new ReceiptFontError(tried);
}

function fromPackageLayout(d: string): FontPaths | null {
  const c = {
    regular: path.join(d, FONT_FILES.regular.dir, FONT_FILES.regular.file),
    bold: path.join(d, FONT_FILES.bold.dir, FONT_FILES.bold.file),
  };
  return existsSync(c.regular) && existsSync(c.bold) ? c : null;
}

export interface FontData {
  regular: Font;
  bold: Font;
}

let cache: FontData | null = null;

/**
 * The two fonts, read and parsed once per process and shared by every receipt: parsing a 10 MB CJK font
 * (cmap, GSUB…) per document is most of a receipt's time and garbage. Each document still embeds only
 * its own subset. ~20 MB stays in memory.
 */
export function loadFonts(): FontData {
  if (cache) return cache;
  const p = fontPaths();
  cache = { regular: parse(p.regular), bold: parse(p.bold) };
  return cache;
}

function parse(file: string): Font {
  const f = createFont(readFileSync(file));
  if (!('layout' in f)) throw new Error(`receipt font ${file}: expected a single TrueType font, found a collection`);
  return memoizeLayout(f);
}

/**
 * Reads and parses both fonts and shapes a few words, so that cmap and OpenType tables are decoded: call it
 * once at start-up, off the critical path, and the first receipt costs what the others do.
 */
export function preloadReceiptFonts(): void {
  const f = loadFonts();
  for (const font of [f.regular, f.bold]) font.layout('新生儿“出生一件事”联办回执 Receipt 0123456789');
}

/** Distinct strings remembered per font before the memo starts afresh (a receipt lays out ~300). */
export const LAYOUT_MEMO_MAX = 20_000;

/**
 * Shaping (fontkit's OpenType layout) is half a receipt's time, and pdfkit's own layout cache lives and dies
 * with one document: while line-wrapping Chinese it shapes every ideograph as its own word. This memo keeps
 * the shaped runs across documents. pdfkit scales the positions of the run it gets in place, so every call
 * returns fresh position objects; glyphs are fontkit's shared, read-only Glyph objects.
 */
function memoizeLayout(font: Font): Font {
  const shape = font.layout.bind(font);
  const memo = new Map<string, { glyphs: GlyphRun['glyphs']; positions: GlyphRun['positions'] }>();
  const layout = (text: string, features?: string[] | Record<string, boolean>, ...rest: [string?, string?, string?]): GlyphRun => {
    if (rest.some((x) => x !== undefined)) return shape(text, features, ...rest);
    const key = features === undefined ? text : `${JSON.stringify(features)}\u0000${text}`;
    let hit = memo.get(key);
    if (!hit) {
      const run = shape(text, features);
      hit = { glyphs: run.glyphs, positions: run.positions.map((p) => ({ xAdvance: p.xAdvance, yAdvance: p.yAdvance, xOffset: p.xOffset, yOffset: p.yOffset })) };
      if (memo.size >= LAYOUT_MEMO_MAX) memo.clear();
      memo.set(key, hit);
    }
    const positions = hit.positions.map((p) => ({ ...p }));
    return {
      glyphs: hit.glyphs,
      positions,
      // pdfkit reads the run's width after scaling the positions: a getter, like fontkit's own.
      get advanceWidth(): number {
        return positions.reduce((w, p) => w + p.xAdvance, 0);
      },
    } as unknown as GlyphRun;
  };
  font.layout = layout as Font['layout'];
  return font;
}
