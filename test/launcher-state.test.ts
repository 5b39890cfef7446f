// The launcher's remembered open state (SPEC §13): when it is read at all, as pure logic (this file's page has
// no launcher, so nothing was remembered in it before these tests).
import { expect } from '@open-wc/testing';
import { LauncherController, mayHaveBeenLeftOpen, type LauncherHost } from '../src/launcher/launcher.js';

describe('mayHaveBeenLeftOpen', () => {
  it('reads the state only after a page of the same site in this tab, or where the browser cannot tell', () => {
    expect(mayHaveBeenLeftOpen({ activation: { from: null } }), 'a new tab, a typed address, another site').to.equal(false);
    expect(mayHaveBeenLeftOpen({ activation: { from: { url: 'https://shop.example/a' } } }), 'a link, reload or back from the site').to.equal(true);
    expect(mayHaveBeenLeftOpen(null), 'no Navigation API').to.equal(true);
    expect(mayHaveBeenLeftOpen({ activation: null }), 'no activation').to.equal(true);
    expect(mayHaveBeenLeftOpen({ activation: { from: null } }, true), 'a page prerendered for a link').to.equal(true);
  });

  it('a launcher made again on the same page (a single-page app) reads what one remembered before', () => {
    const key = `state-${Date.now()}`;
    const host = { isLauncher: true, storageNamespace: key, requestUpdate() {}, addController() {}, updateComplete: Promise.resolve(true) } as LauncherHost;
    try {
      // left open in another tab: this page reads it only if it came from a page of the site
      localStorage.setItem(`dify-chat:${key}:open`, '1');
      expect(new LauncherController(host).rememberedOpen).to.equal(mayHaveBeenLeftOpen());
      new LauncherController(host).remember(true);
      expect(mayHaveBeenLeftOpen({ activation: { from: null } })).to.equal(true);
      expect(new LauncherController(host).rememberedOpen).to.equal(true);
      new LauncherController(host).remember(false);
      expect(new LauncherController(host).rememberedOpen).to.equal(false);
    } finally {
      localStorage.removeItem(`dify-chat:${key}:open`);
    }
  });
});
