// Smoke test of the built bundle (run after `npm run build`).
import base from './web-test-runner.config.mjs';

export default { ...base, files: ['test-dist/**/*.test.js'], plugins: [] };
