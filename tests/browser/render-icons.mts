/**
 * The app icons of the web app manifest, drawn here as SVG and rendered to PNG by Chromium:
 *
 *   npx tsx tests/browser/render-icons.mts     writes public/icon-192.png, icon-512.png, icon-maskable-512.png
 *
 * Same picture as public/favicon.svg (the server's indigo, an envelope, a device's teal dot).
 * The maskable one fills the whole square and keeps the picture inside the central circle of
 * 40% radius that every launcher mask leaves visible.
 */
import { writeFileSync } from 'node:fs';
import { chromium } from '@playwright/test';
import { chromiumLaunchOptions } from './chromium';

const picture = `
  <rect x="96" y="136" width="320" height="232" rx="28" fill="none" stroke="#fff" stroke-width="28"/>
  <path d="M116 164 L256 268 L396 164" fill="none" stroke="#fff" stroke-width="28" stroke-linecap="round" stroke-linejoin="round"/>
  <circle cx="392" cy="368" r="64" fill="#0d9488" stroke="#fff" stroke-width="20"/>`;

const icons: { file: string; size: number; svg: string }[] = [
  {
    file: 'public/icon-192.png',
    size: 192,
    svg: `<rect width="512" height="512" rx="112" fill="#4338ca"/>${picture}`,
  },
  {
    file: 'public/icon-512.png',
    size: 512,
    svg: `<rect width="512" height="512" rx="112" fill="#4338ca"/>${picture}`,
  },
  {
    // The dot's far edge is 250 units from the centre; 0.78 brings it to 195 (< 204.8).
    file: 'public/icon-maskable-512.png',
    size: 512,
    svg: `<rect width="512" height="512" fill="#4338ca"/><g transform="translate(256 256) scale(0.78) translate(-256 -256)">${picture}</g>`,
  },
];

const browser = await chromium.launch(chromiumLaunchOptions);
try {
  const page = await browser.newPage();
  for (const icon of icons) {
    await page.setViewportSize({ width: icon.size, height: icon.size });
    await page.setContent(
      `<html><body style="margin:0"><svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 512 512" width="${icon.size}" height="${icon.size}" style="display:block">${icon.svg}</svg></body></html>`,
    );
    writeFileSync(icon.file, await page.screenshot({ omitBackground: true }));
    console.log(`wrote ${icon.file}`);
  }
} finally {
  await browser.close();
}
