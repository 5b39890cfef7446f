// splitThinking (src/chat/think.ts): a leading `<think>…</think>` span is reasoning, not answer (SPEC §5).
import { expect } from '@open-wc/testing';
import { splitThinking } from '../../src/chat/think.js';

describe('splitThinking', () => {
  it('leaves an answer without think blocks untouched', () => {
    expect(splitThinking('Just an answer.')).to.deep.equal({ thinkingOpen: false, answer: 'Just an answer.' });
    expect(splitThinking('Just an answer.', true)).to.deep.equal({ thinkingOpen: false, answer: 'Just an answer.' });
    expect(splitThinking('')).to.deep.equal({ thinkingOpen: false, answer: '' });
  });

  it('splits a closed leading block from the answer', () => {
    const split = splitThinking('<think>The user wants the hours.</think>We open at 8am.');
    expect(split).to.deep.equal({ thinking: 'The user wants the hours.', thinkingOpen: false, answer: 'We open at 8am.' });
  });

  it('trims whitespace around the reasoning and between it and the answer (as reasoning models send it)', () => {
    const split = splitThinking('\n<think>\nStep one.\nStep two.\n</think>\n\nThe answer.');
    expect(split.thinking).to.equal('Step one.\nStep two.');
    expect(split.answer).to.equal('The answer.');
    expect(split.thinkingOpen).to.equal(false);
  });

  it('while the block is still open: everything is reasoning, nothing is answer', () => {
    const split = splitThinking('<think>Let me think about th', true);
    expect(split).to.deep.equal({ thinking: 'Let me think about th', thinkingOpen: true, answer: '' });
  });

  it('holds back a partial `<think` tag while streaming, so it never flashes as text', () => {
    for (const partial of ['<', '<t', '<thi', '<think', '  <thi', '\n<th']) {
      const split = splitThinking(partial, true);
      expect(split.answer, JSON.stringify(partial)).to.equal('');
      expect(split.thinking, JSON.stringify(partial)).to.equal(undefined);
    }
  });

  it('does not hold back text that cannot become `<think>`, nor anything once the stream is over', () => {
    expect(splitThinking('<b', true).answer).to.equal('<b');
    expect(splitThinking('<thx', true).answer).to.equal('<thx');
    expect(splitThinking('Hi', true).answer).to.equal('Hi');
    expect(splitThinking('<thi', false).answer).to.equal('<thi');
  });

  it('joins several leading blocks', () => {
    const split = splitThinking('<think>First.</think>\n<think>Second.</think>\nAnswer.');
    expect(split.thinking).to.equal('First.\n\nSecond.');
    expect(split.answer).to.equal('Answer.');
    expect(split.thinkingOpen).to.equal(false);
  });

  it('a second block still open while streaming keeps the first and shows no answer', () => {
    const split = splitThinking('<think>First.</think><think>Sec', true);
    expect(split).to.deep.equal({ thinking: 'First.\n\nSec', thinkingOpen: true, answer: '' });
  });

  it('only a *leading* block is reasoning: one later in the answer stays text', () => {
    const text = 'The tag <think>x</think> is used by reasoning models.';
    expect(splitThinking(text)).to.deep.equal({ thinkingOpen: false, answer: text });
    expect(splitThinking(text, true)).to.deep.equal({ thinkingOpen: false, answer: text });
  });

  it('a closed block with no answer yet gives an empty answer', () => {
    expect(splitThinking('<think>Hmm.</think>', true)).to.deep.equal({ thinking: 'Hmm.', thinkingOpen: false, answer: '' });
  });

  it('keeps the answer exactly after the block (markdown after it is not trimmed at the end)', () => {
    expect(splitThinking('<think>a</think>**bold**\n\n- item\n').answer).to.equal('**bold**\n\n- item\n');
  });
});
