/**
 * The screen a broken configuration file opens instead of the desk: a static bilingual page listing each bad key,
 * what it expects and what the file holds. Nothing else runs (no database, no sync, no devices). The page carries
 * its own Content-Security-Policy: no script at all, and only its one inline style block, allowed by hash.
 * Pure: used by the Electron shell (as a data: URL in the hardened window) and by browser mode (served as HTML).
 */
import { createHash } from 'node:crypto';
import type { ConfigProblem } from './config';

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

const STYLE = `
body{font-family:"Noto Sans SC","Microsoft YaHei","PingFang SC",sans-serif;margin:0;background:#fff7f5;color:#1d1d1f}
main{max-width:880px;margin:40px auto;padding:0 24px}
h1{font-size:26px;color:#a4231a;margin:0 0 4px}
h2{font-size:18px;font-weight:normal;color:#6b1d17;margin:0 0 20px}
p{line-height:1.6}
code{background:#f1e6e4;padding:1px 5px;border-radius:3px;word-break:break-all}
table{border-collapse:collapse;width:100%;background:#fff;margin:16px 0}
th,td{border:1px solid #e3c9c5;padding:8px 10px;text-align:left;vertical-align:top}
th{background:#f7e3df;font-weight:600}
td.key{font-family:monospace;white-space:nowrap}
.en{color:#555}
`.trim();

/** The CSP of the page: nothing may load or run except its own style block. */
export function configErrorCsp(): string {
  const hash = createHash('sha256').update(STYLE).digest('base64');
  return `default-src 'none'; style-src 'sha256-${hash}'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`;
}

export function renderConfigErrorPage(opts: { file: string; problems: readonly ConfigProblem[] }): string {
  const rows = opts.problems
    .map(
      (p) =>
        `<tr><td class="key">${escapeHtml(p.key)}</td>` +
        `<td>${escapeHtml(p.expectedZh)}<br><span class="en">${escapeHtml(p.expected)}</span></td>` +
        `<td><code>${escapeHtml(p.got)}</code></td></tr>`,
    )
    .join('\n');
  return `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${escapeHtml(configErrorCsp())}">
<title>配置文件有误 · Configuration file error</title>
<style>${STYLE}</style>
</head>
<body>
<main>
<h1>配置文件有误，新生儿一件事暂不能启动</h1>
<h2>The configuration file has errors: Newborn Desk cannot start</h2>
<p>文件 File: <code>${escapeHtml(opts.file)}</code></p>
<p>请医院信息科修改下列设置后重新启动本程序。其他功能均未运行，未做任何更改。<br>
<span class="en">Hospital IT: correct the settings below, then start the program again. Nothing else has run and nothing was changed.</span></p>
<table>
<thead><tr><th>设置 Setting</th><th>应为 Expected</th><th>文件中的值 Found</th></tr></thead>
<tbody>
${rows}
</tbody>
</table>
<p>配置说明见安装目录中的 <code>config.schema.json</code> 与 <code>config.example.json</code>。<br>
<span class="en">The settings are described in <code>config.schema.json</code> and <code>config.example.json</code> next to the installed program.</span></p>
</main>
</body>
</html>
`;
}

export function configErrorDataUrl(opts: { file: string; problems: readonly ConfigProblem[] }): string {
  return `data:text/html;charset=utf-8,${encodeURIComponent(renderConfigErrorPage(opts))}`;
}
