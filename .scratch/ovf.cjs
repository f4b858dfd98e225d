const { chromium } = require('playwright-core');
(async () => {
  const url = process.argv[2];
  const b = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'] });
  const p = await b.newPage({ viewport: { width: 1366, height: 768 } });
  await p.goto(url);
  await p.getByLabel(/工号|Staff/).fill('trainer');
  await p.getByLabel(/PIN|密码/).first().fill('123456');
  await p.keyboard.press('Enter');
  await p.waitForTimeout(1500);
  await p.keyboard.press('Alt+E');
  await p.waitForTimeout(500);
  await p.keyboard.press('Alt+N');
  await p.waitForTimeout(1500);
  const r = await p.evaluate(() => {
    const main = document.querySelector('main').getBoundingClientRect();
    const out = [];
    for (const el of document.querySelectorAll('main *')) {
      const r = el.getBoundingClientRect();
      if (r.right > main.right + 1) out.push([el.tagName, el.className, (el.textContent||'').slice(0,60), Math.round(r.width), Math.round(r.right), getComputedStyle(el).whiteSpace]);
    }
    return { main: [main.left, main.right], docW: document.documentElement.scrollWidth, out: out.slice(0, 25) };
  });
  console.log(JSON.stringify(r, null, 1));
  await p.screenshot({ path: '.scratch/ovf.png' });
  await b.close();
})();
