// Parts load from beside the bundle on first use; one that cannot load must not leave the element waiting.
import { expect } from '@open-wc/testing';
import { Parts } from '../../src/parts/load.js';

describe('Parts', () => {
  it('a part that cannot load: one warning, the element told to go on without it, no retry', async () => {
    const calls: unknown[] = [];
    const parts = new Parts((part) => calls.push(part));
    const warn = console.warn;
    const warnings: unknown[] = [];
    console.warn = (...args: unknown[]) => warnings.push(args[0]);
    try {
      expect(parts.get('no-such-part')).to.equal(undefined);
      expect(parts.pending('no-such-part')).to.equal(true);
      await parts.settled();
      expect(parts.pending('no-such-part')).to.equal(false);
      expect(calls).to.deep.equal([{}]);
      expect(parts.get('no-such-part')).to.equal(undefined);
      await parts.settled();
      expect(calls, 'not asked for again').to.have.length(1);
      expect(warnings).to.have.length(1);
      expect(String(warnings[0])).to.contain('dify-chat-no-such-part.js');
    } finally {
      console.warn = warn;
    }
  });

  it('a part that loads is handed to the element once, with its styles and texts', async () => {
    const calls: { styles?: string }[] = [];
    const parts = new Parts((part) => calls.push(part));
    const launcher = await parts.load<{ styles: string }>('launcher');
    expect(launcher?.styles).to.be.a('string');
    expect(calls).to.deep.equal([launcher]);
    expect(parts.loaded('launcher')).to.equal(launcher);
  });
});
