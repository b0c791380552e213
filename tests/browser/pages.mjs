// pages.mjs: drives headless Chromium (Debian's, through playwright-core) over torready's
// rendered pages: a screenshot of each (must not be one flat colour), no console errors and
// no request beyond the file itself, axe-core with no serious or critical violation in light
// and dark colour schemes, no sideways scrolling on a phone-sized screen, details expanded
// in print, handouts on exactly one A4 and one Letter page, and a QR code that decodes to
// the article's address.
//   usage: node pages.mjs --list FILE --shots DIR [--chromium PATH]
// FILE lists one page per line: "KIND PATH" with KIND page|handout|report-print, and for a
// handout "handout PATH URL"; "handouts PATH N" is an all-handouts document that must print
// on exactly N pages (one per topic) in A4 and in Letter. Prints ok/FAIL lines and
// "N passed, N failed".
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { PNG } from 'pngjs';

const require = createRequire(import.meta.url);
const AXE = require.resolve('axe-core/axe.min.js');

const args = Object.fromEntries(process.argv.slice(2).reduce((acc, v, i, a) =>
	(v.startsWith('--') ? [...acc, [v.slice(2), a[i + 1]]] : acc), []));
const shots = args.shots;
fs.mkdirSync(shots, { recursive: true });
const jobs = fs.readFileSync(args.list, 'utf8').split('\n').filter(Boolean).map((l) => l.split(' '));

let passed = 0, failed = 0;
function check(name, ok, why = '') {
	if (ok) { passed++; console.log(`ok - ${name}`); } else { failed++; console.log(`FAIL - ${name}: ${why}`); }
}

// Not one flat colour: a blank or failed render is a single colour.
function colours(buf) {
	const png = PNG.sync.read(buf);
	const seen = new Set();
	for (let i = 0; i < png.data.length && seen.size < 50; i += 4 * 97)
		seen.add(png.data.readUInt32BE(i));
	return seen.size;
}

const browser = await chromium.launch({
	executablePath: args.chromium || '/usr/bin/chromium',
	args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking',
		'--disable-component-update', '--disable-sync', '--no-first-run'],
});

async function withPage(scheme, fn) {
	// bypassCSP only lets axe's own script in; the pages' CSP forbids every script.
	const ctx = await browser.newContext({ colorScheme: scheme, bypassCSP: true,
		viewport: { width: 1000, height: 900 } });
	const page = await ctx.newPage();
	const problems = [];
	page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') problems.push(`console ${m.type()}: ${m.text()}`); });
	page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
	await ctx.route('**/*', (route) => {
		const u = route.request().url();
		if (u.startsWith('file://')) return route.continue();
		problems.push(`request to ${u}`);
		return route.abort();
	});
	try { return await fn(page, problems); } finally { await ctx.close(); }
}

async function axe(page) {
	await page.addScriptTag({ path: AXE });
	const r = await page.evaluate(() => window.axe.run(document, {
		runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'] },
	}));
	return r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
		.map((v) => `${v.id} (${v.impact}): ${v.nodes.slice(0, 2).map((n) => n.target.join(' ')).join(', ')}`);
}

for (const [kind, file, url] of jobs) {
	const name = path.relative(path.dirname(args.list), file);
	const href = 'file://' + path.resolve(file);
	const shot = path.join(shots, name.replace(/[\/]/g, '_').replace(/\.html$/, ''));
	if (kind === 'handouts') {
		// Every topic's handout in one document, one sheet each: exactly N pages (N = url
		// field) in A4 and in Letter means no handout spilled onto a second page.
		await withPage('light', async (page) => {
			await page.goto(href, { waitUntil: 'load' });
			for (const format of ['A4', 'Letter']) {
				const pdf = `${shot}.${format}.pdf`;
				await page.pdf({ path: pdf, format });
				const info = execFileSync('pdfinfo', [pdf], { encoding: 'utf8' });
				const pages = Number((info.match(/^Pages:\s+(\d+)/m) || [])[1]);
				check(`${name}: each of the ${url} handouts prints on one ${format} page`, pages === Number(url),
					`${pages} pages for ${url} handouts`);
			}
		});
		continue;
	}
	for (const scheme of ['light', 'dark']) {
		await withPage(scheme, async (page, problems) => {
			await page.goto(href, { waitUntil: 'load' });
			const png = await page.screenshot({ fullPage: true, path: `${shot}.${scheme}.png` });
			const n = colours(png);
			check(`${name} (${scheme}): screenshot is not blank`, n > 2, `${n} colour(s)`);
			const v = await axe(page);
			check(`${name} (${scheme}): axe finds no serious or critical problem`, v.length === 0, v.join('; '));
			if (scheme === 'light') {
				await page.setViewportSize({ width: 360, height: 740 });
				const wide = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
				check(`${name}: no sideways scrolling on a 360 px screen`, wide <= 1, `${wide} px too wide`);
				await page.screenshot({ path: `${shot}.phone.png` });
				await page.setViewportSize({ width: 1000, height: 900 });
				await page.emulateMedia({ media: 'print' });
				const hidden = await page.evaluate(() => [...document.querySelectorAll('details dl, details ul, details ol')]
					.filter((e) => e.getClientRects().length === 0).length);
				check(`${name}: print shows every folded detail`, hidden === 0, `${hidden} still hidden`);
			}
			check(`${name} (${scheme}): no console errors, no requests`, problems.length === 0, problems.slice(0, 3).join('; '));
		});
	}
	if (kind === 'handout' || kind === 'report-print') {
		await withPage('light', async (page) => {
			await page.goto(href, { waitUntil: 'load' });
			for (const format of kind === 'handout' ? ['A4', 'Letter'] : ['A4']) {
				const pdf = `${shot}.${format}.pdf`;
				await page.pdf({ path: pdf, format });
				const info = execFileSync('pdfinfo', [pdf], { encoding: 'utf8' });
				const pages = Number((info.match(/^Pages:\s+(\d+)/m) || [])[1]);
				if (kind === 'handout')
					check(`${name}: prints on one ${format} page`, pages === 1, `${pages} pages`);
				else {
					const text = execFileSync('pdftotext', [pdf, '-'], { encoding: 'utf8' });
					check(`${name}: the printed report includes the folded evidence`, text.includes(url),
						`"${url}" not in the PDF text`);
				}
			}
			if (kind === 'handout') {
				const qr = await page.$('svg.qr');
				const png = `${shot}.qr.png`;
				if (qr) await qr.screenshot({ path: png, scale: 'device' });
				let got = '';
				try { got = qr ? execFileSync('zbarimg', ['--raw', '-q', png], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim() : ''; } catch (e) { got = `zbarimg failed: ${e.message}`; }
				check(`${name}: QR code decodes to ${url}`, got === url, `decoded "${got}"`);
			}
		});
	}
}
await browser.close();
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
