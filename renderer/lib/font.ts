/**
 * Chinese text needs a CJK font. Desk PCs normally have one (Microsoft YaHei, Noto Sans CJK, WenQuanYi…); a
 * bare Linux image may not, so the app ships Noto Sans SC and uses it only when none of those is installed
 * (`local()` sources are tried first). Loaded through the FontFace API, which the CSP's `font-src 'self'` allows.
 */
import regularUrl from '@expo-google-fonts/noto-sans-sc/400Regular/NotoSansSC_400Regular.ttf?url';

const LOCAL = ['Microsoft YaHei', 'PingFang SC', 'Noto Sans CJK SC', 'Noto Sans SC', 'Source Han Sans SC', 'WenQuanYi Micro Hei'];

export function loadDeskFont(): void {
  if (typeof FontFace === 'undefined') return;
  const src = [...LOCAL.map((n) => `local("${n}")`), `url("${regularUrl}") format("truetype")`].join(', ');
  const face = new FontFace('Desk CJK', src, { display: 'swap' });
  document.fonts.add(face);
  void face.load().catch(() => {
    // No CJK font at all: the system fallback is used.
  });
}
