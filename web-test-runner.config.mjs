// Test runner: the whole suite in headless Chromium (Debian's /usr/bin/chromium, or CHROME_PATH).
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { chromeLauncher } from '@web/test-runner-chrome';
import { mockDify } from './demo/mock-dify.mjs';
import { partsFromSource } from './scripts/parts-middleware.mjs';
import { CHROMIUM, CHROMIUM_ARGS as BASE_ARGS, requireChromium } from './scripts/chromium.mjs';

requireChromium(); // one clear line, not a stack trace, on a machine without Chromium

const CHROMIUM_ARGS = [
  ...BASE_ARGS,
  // test pages run side by side: keep timers and animation frames running in the ones not in front
  '--disable-background-timer-throttling',
  '--disable-renderer-backgrounding',
  '--disable-backgrounding-occluded-windows',
];

export default {
  files: ['test/**/*.test.ts'],
  nodeResolve: { exportConditions: ['development'] },
  concurrency: 2,
  // axe (to.be.accessible) can take over 2 s on a busy 2-core machine
  testFramework: { config: { timeout: 10000 } },
  // the mock Dify bot also serves the network-level tests (pace 0: no artificial delay)
  middleware: [partsFromSource, mockDify({ delay: 0 })],
  plugins: [esbuildPlugin({ ts: true, tsconfig: './tsconfig.json', target: 'es2022' })],
  browsers: [
    chromeLauncher({
      launchOptions: { executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS },
      // each test page in its own window: a tab behind another is hidden and gets no animation frames
      createPage: ({ context }) => context.newPage({ type: 'window' }),
    }),
  ],
  filterBrowserLogs: ({ args }) => !String(args[0]).includes('Lit is in dev mode'),
};
