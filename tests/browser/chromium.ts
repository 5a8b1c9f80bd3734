/**
 * How every browser run here starts Chromium: Debian's binary (or CHROMIUM_PATH), headless, and
 * with the background services off, since this machine has no network beyond loopback.
 */
export const chromiumLaunchOptions = {
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run',
  ],
};
