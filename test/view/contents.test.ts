import { expect } from '@open-wc/testing';
import { MarkdownContents } from '../../src/view/contents.js';

/** A clock that moves 1 ms on every look (no real timing in tests). */
function fakeClock() {
  const real = performance.now;
  let t = 0;
  performance.now = () => (t += 1);
  return () => {
    performance.now = real;
  };
}

describe('MarkdownContents', () => {
  const answer = (i: number) => `Answer ${i} with **bold** text.\n\nAnother paragraph ${i}.`;

  it('a render of many short answers parses the newest first and leaves the rest for later frames', async () => {
    const contents = new MarkdownContents(() => ({}));
    const restore = fakeClock();
    let nodes: HTMLElement[];
    try {
      contents.begin();
      nodes = Array.from({ length: 100 }, (_, i) => contents.node(`m${i}`, answer(i), false));
      contents.commit();
      expect(nodes[99].textContent, 'the newest answer at once').to.contain('Answer 99');
      expect(nodes[0].textContent, 'the oldest wait for a later frame').to.equal('');
      expect(contents.behind).to.equal(true);
    } finally {
      restore();
    }
    await contents.settled();
    for (let i = 0; i < 100; i++) expect(nodes[i].textContent).to.equal(`Answer ${i} with bold text.Another paragraph ${i}.`);
    expect(contents.behind).to.equal(false);
    contents.dispose();
  });

  it('a render in a frame that already has a slice scheduled does not parse a second slice', async () => {
    const contents = new MarkdownContents(() => ({}));
    const long = Array.from({ length: 4000 }, (_, i) => `Paragraph ${i} of a long answer.`).join('\n\n');
    const restore = fakeClock();
    try {
      contents.begin();
      const node = contents.node('a', long.slice(0, long.length / 2), true);
      contents.commit();
      expect(contents.behind, 'a backlog').to.equal(true);
      const shown = node.textContent!.length;
      // more text arrives and the element renders again before the next frame
      contents.begin();
      contents.node('a', long, true);
      contents.commit();
      expect(node.textContent!.length, 'left to the scheduled slice').to.equal(shown);
    } finally {
      restore();
    }
    await contents.settled();
    contents.dispose();
  });
});
