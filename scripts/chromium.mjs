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
