// protocol="openai" (SPEC §4, §5.3): request body and chat.completion.chunk streams, in awkward byte splits.
import { expect, oneEvent, waitUntil } from '@open-wc/testing';
import { ControlledResponse, awkwardChunks, jsonResponse, mockFetch } from '../helpers/mock-fetch.js';
import { chat, lastAnswer, part } from '../helpers/element.js';
import { waitForText } from '../helpers/element.js';
import { OPENAI_BLOCKING_BODY, OPENAI_CHUNKS } from '../fixtures/streams.js';

const waitText = waitForText;

const ANSWER = 'Hello wörld 👋';
const OPENAI = { protocol: 'openai', model: 'm1' };

const awkwardResponse = (text: string, size = 5) => {
  const body = new ControlledResponse();
  for (const piece of awkwardChunks(text, size)) body.push(piece);
  body.close();
  return body.response;
};

/** The frames of OPENAI_CHUNKS, each with its blank line. */
const FRAMES = OPENAI_CHUNKS.split('\n\n').filter((s) => s.trim()).map((s) => `${s}\n\n`);

describe('<dify-chat protocol="openai">', () => {
  let fetchMock: ReturnType<typeof mockFetch> | undefined;
  afterEach(() => {
    fetchMock?.restore();
    fetchMock = undefined;
  });

  it('POSTs exactly {model, stream: true, messages}; the second turn carries the first question and answer', async () => {
    fetchMock = mockFetch((_c, i) => awkwardResponse(i === 0 ? OPENAI_CHUNKS : OPENAI_CHUNKS.replace('Hello', 'Again'), 3));
    const el = await chat({ extra: { ...OPENAI, inputs: '{"lang":"fr"}', user: 'visitor-1' } });
    const first = await el.send('  Hi there  ');
    expect(first?.text).to.equal(ANSWER);
    await el.send('And again?');
    const [one, two] = fetchMock.calls;
    expect(one.init.method).to.equal('POST');
    expect(one.headers['content-type']).to.equal('application/json');
    expect(one.body).to.deep.equal({ model: 'm1', stream: true, messages: [{ role: 'user', content: 'Hi there' }] });
    expect(two.body).to.deep.equal({
      model: 'm1',
      stream: true,
      messages: [
        { role: 'user', content: 'Hi there' },
        { role: 'assistant', content: ANSWER },
        { role: 'user', content: 'And again?' },
      ],
    });
  });

  it('renders the chunks incrementally (split every 5 bytes) and [DONE] ends the answer', async () => {
    const body = new ControlledResponse();
    fetchMock = mockFetch(() => body.response);
    const el = await chat({ extra: OPENAI });
    const message = oneEvent(el, 'dify-chat-message');
    const done = el.send('hi');
    for (const piece of awkwardChunks(FRAMES[0] + FRAMES[1], 5)) body.push(piece); // role chunk, "Hello"
    await waitText(el, 'Hello');
    expect(lastAnswer(el)).to.equal('Hello');
    expect(el.messages.at(-1)!.status).to.equal('streaming');
    expect(part(el, 'stop-button')).to.exist;
    for (const piece of awkwardChunks(FRAMES.slice(2).join(''), 5)) body.push(piece); // " wörld 👋", finish, [DONE]
    body.close();
    const answer = await done;
    expect(answer?.status).to.equal('done');
    expect(answer?.text).to.equal(ANSWER);
    expect((await message).detail.message.text).to.equal(ANSWER);
    await el.updateComplete;
    expect(lastAnswer(el)).to.equal(ANSWER);
    expect(part(el, 'send-button')).to.exist;
    expect(part(el, 'error')).to.not.exist;
  });

  it('[DONE] ends the answer even while the connection is still open', async () => {
    const body = new ControlledResponse();
    fetchMock = mockFetch(() => body.response);
    const el = await chat({ extra: OPENAI });
    const done = el.send('hi');
    try {
      for (const piece of awkwardChunks(OPENAI_CHUNKS, 5)) body.push(piece);
      await waitUntil(() => el.messages.at(-1)?.status === 'done', 'answer done after [DONE] (body not closed yet)', { timeout: 2000 });
      expect((await done)?.text).to.equal(ANSWER);
      await el.updateComplete;
      expect(part(el, 'send-button')).to.exist;
      expect(part(el, 'error')).to.not.exist;
    } finally {
      body.close();
    }
  });

  it('a blocking chat.completion body is the answer', async () => {
    fetchMock = mockFetch(() => awkwardResponse(OPENAI_BLOCKING_BODY, 7));
    const el = await chat({ extra: OPENAI });
    const answer = await el.send('hi');
    await el.updateComplete;
    expect(answer?.status).to.equal('done');
    expect(lastAnswer(el)).to.equal('Hi there! 😊');
  });

  it('an OpenAI error body with 401 shows its message', async () => {
    fetchMock = mockFetch(() => jsonResponse({ error: { message: 'Invalid API key', type: 'invalid_request_error', param: null, code: null } }, 401));
    const el = await chat({ extra: OPENAI });
    const error = oneEvent(el, 'dify-chat-error');
    const answer = await el.send('hi');
    await error;
    await el.updateComplete;
    expect(answer?.status).to.equal('error');
    expect(part(el, 'error')!.textContent).to.include('Invalid API key');
    expect(part(el, 'retry-button')).to.not.exist;
    expect(part(el, 'message--user')!.textContent).to.include('hi');
  });

  it('does not store or send a Dify conversation id', async () => {
    fetchMock = mockFetch(() => awkwardResponse(OPENAI_CHUNKS, 7));
    const el = await chat({ extra: OPENAI });
    await el.send('one');
    await el.send('two');
    expect(el.conversationId).to.equal('');
    expect(fetchMock.calls[1].body).to.not.have.property('conversation_id');
  });
});
