// The bundle on strict pages (issue "harden" item 13, SPEC §17): CSP script-src/style-src 'self' and Trusted
// Types enforced, on a page that already uses Lit.
import { expect } from '@open-wc/testing';

/** Opens a strict page in an iframe and waits for its report. */
function strictPage(name, query) {
  return new Promise((resolve, reject) => {
    const frame = document.createElement('iframe');
    const timer = setTimeout(() => reject(new Error('the strict page did not report')), 15000);
    addEventListener('message', function onMessage(event) {
      if (event.source !== frame.contentWindow || !event.data?.csp) return;
      removeEventListener('message', onMessage);
      clearTimeout(timer);
      frame.remove();
      resolve(event.data.csp);
    });
    frame.src = `/test-dist/csp/${name}.html?${query}`;
    document.body.append(frame);
  });
}

describe('strict pages', () => {
  it('works without violations under the documented policy list, next to the page\'s own Lit', async () => {
    const report = await strictPage('listed', 'page-lit=1&chat=1');
    expect(report.errors).to.deep.equal([]);
    expect(report.violations).to.deep.equal([]);
    expect(report.defined).to.equal(true);
    expect(report.status).to.equal('done');
    expect(report.answer.length).to.be.above(20);
    expect(report.welcome).to.equal('there');
    expect(report.styled).to.equal('flex');
  });

  it('the classic-script build too', async () => {
    const report = await strictPage('listed', 'page-lit=1&chat=1&classic=1');
    expect(report.errors).to.deep.equal([]);
    expect(report.violations).to.deep.equal([]);
    expect(report.status).to.equal('done');
  });

  it("with trusted-types 'none' the bundle still evaluates, defines the element and says which policy to allow", async () => {
    const report = await strictPage('none', '');
    expect(report.defined).to.equal(true);
    expect(report.errors.join('\n')).to.contain('dify-chat');
    expect(report.errors.join('\n')).to.not.contain('threw');
  });
});
