import { existsSync } from 'node:fs';
// Debian's Chromium (apt-get install chromium), or CHROME_PATH; shared by the test runner and the bench.
export const CHROMIUM = process.env.CHROME_PATH || '/usr/bin/chromium';
// Running as root needs --no-sandbox; the rest keep Chromium quiet on a machine without internet.
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/** Exits with one line saying what to install when the browser is missing (npm test, npm run bench). */
export function requireChromium() {
  if (existsSync(CHROMIUM)) return;
  console.error(
    process.env.CHROME_PATH
      ? `Chromium not found at CHROME_PATH=${CHROMIUM}: point CHROME_PATH at a Chromium or Chrome binary.`
      : `Chromium not found at ${CHROMIUM}: install it (Debian/Ubuntu: sudo apt-get install chromium) or set CHROME_PATH to a Chromium or Chrome binary.`,
  );
  process.exit(1);
}
