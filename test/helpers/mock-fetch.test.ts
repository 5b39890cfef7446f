import { expect } from '@open-wc/testing';
import { ControlledResponse, awkwardChunks, jsonResponse, mockFetch, streamedResponse } from './mock-fetch.js';

const decoder = new TextDecoder();

async function readAll(response: Response): Promise<Uint8Array[]> {
  const reader = response.body!.getReader();
  const chunks: Uint8Array[] = [];
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return chunks;
    chunks.push(value);
  }
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}

const nextTask = (): Promise<void> => new Promise((resolve) => setTimeout(resolve));

describe('test helpers: mock fetch', () => {
  let mock: ReturnType<typeof mockFetch> | undefined;
  afterEach(() => {
    mock?.restore();
    mock = undefined;
  });

  it('awkwardChunks cuts inside a multi-byte character', () => {
    const pieces = awkwardChunks('aé👋', 2); // bytes: 61 | c3 a9 | f0 9f 91 8b
    expect(pieces.map((p) => [...p])).to.deep.equal([[0x61, 0xc3], [0xa9, 0xf0], [0x9f, 0x91], [0x8b]]);
    expect(() => new TextDecoder('utf-8', { fatal: true }).decode(pieces[0])).to.throw();
    expect(awkwardChunks('data: {}')).to.have.length(3); // default size 3
    const joined = new Uint8Array(pieces.flatMap((p) => [...p]));
    expect(decoder.decode(joined)).to.equal('aé👋');
  });

  it('streamedResponse delivers each piece as a separate read', async () => {
    const response = streamedResponse(['data: a', new Uint8Array([0x0a, 0x0a]), 'data: b\n\n'], {
      headers: { 'content-type': 'text/plain' },
    });
    expect(response.headers.get('content-type')).to.equal('text/plain');
    const chunks = await readAll(response);
    expect(chunks.map((c) => decoder.decode(c))).to.deep.equal(['data: a', '\n\n', 'data: b\n\n']);
  });

  it('records calls (url, lower-cased headers, parsed JSON body) and restores fetch', async () => {
    const original = window.fetch;
    mock = mockFetch(() => jsonResponse({ ok: true }, 201));
    const response = await fetch('/api/chat', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-Extra': '1' },
      body: JSON.stringify({ query: 'hi' }),
    });
    await fetch('/raw', { method: 'POST', body: 'not json' });
    expect(response.status).to.equal(201);
    expect(await response.json()).to.deep.equal({ ok: true });
    expect(mock.calls).to.have.length(2);
    expect(mock.calls[0].url).to.equal('/api/chat');
    expect(mock.calls[0].headers).to.deep.equal({ 'content-type': 'application/json', 'x-extra': '1' });
    expect(mock.calls[0].body).to.deep.equal({ query: 'hi' });
    expect(mock.calls[1].body).to.equal('not json');
    mock.restore();
    expect(window.fetch).to.equal(original);
  });

  it('passes the call index, and a thrown handler error rejects the fetch', async () => {
    const seen: number[] = [];
    mock = mockFetch((_call, index) => {
      seen.push(index);
      if (index == 1) throw new TypeError('Failed to fetch');
      return jsonResponse({});
    });
    await fetch('/a');
    const error = await rejection(fetch('/b'));
    expect(error).to.be.instanceOf(TypeError);
    expect(seen).to.deep.equal([0, 1]);
  });

  it('ControlledResponse: chunks arrive one by one as the test pushes them', async () => {
    const controlled = new ControlledResponse();
    mock = mockFetch(() => controlled.response);
    const response = await fetch('/api/chat', { signal: new AbortController().signal });
    expect(response.headers.get('content-type')).to.match(/text\/event-stream/);
    const reader = response.body!.getReader();
    controlled.push('data: {"a":1}\n\n');
    expect(decoder.decode((await reader.read()).value)).to.equal('data: {"a":1}\n\n');
    controlled.push(new Uint8Array([0xc3]));
    controlled.push(new Uint8Array([0xa9]));
    expect([...(await reader.read()).value!]).to.deep.equal([0xc3]);
    expect([...(await reader.read()).value!]).to.deep.equal([0xa9]);
    controlled.close();
    expect((await reader.read()).done).to.equal(true);
    expect(controlled.cancelled).to.equal(false);
  });

  it('ControlledResponse.fail: read rejects with TypeError("network error")', async () => {
    const controlled = new ControlledResponse({ status: 200 });
    mock = mockFetch(() => controlled.response);
    const reader = (await fetch('/x')).body!.getReader();
    controlled.push('data: partial');
    await reader.read();
    controlled.fail();
    const error = await rejection(reader.read());
    expect(error).to.be.instanceOf(TypeError);
    expect((error as Error).message).to.equal('network error');
  });

  it('abort while the body streams: read rejects with AbortError and the body is cancelled', async () => {
    const controlled = new ControlledResponse();
    mock = mockFetch(() => controlled.response);
    const abort = new AbortController();
    const reader = (await fetch('/api/chat', { signal: abort.signal })).body!.getReader();
    controlled.push('data: {"a":1}\n\n');
    await reader.read();
    const pending = reader.read();
    abort.abort();
    const error = await rejection(pending);
    expect(error).to.be.instanceOf(DOMException);
    expect((error as DOMException).name).to.equal('AbortError');
    await nextTask();
    expect(controlled.cancelled).to.equal(true);
    controlled.push('late chunk'); // ignored, no throw
  });

  it('abort before the handler answers: the fetch rejects with AbortError and the late body is cancelled', async () => {
    const controlled = new ControlledResponse();
    let answer!: (response: Response) => void;
    mock = mockFetch(() => new Promise<Response>((resolve) => (answer = resolve)));
    const abort = new AbortController();
    const pending = fetch('/api/chat', { signal: abort.signal });
    await nextTask();
    abort.abort();
    const error = await rejection(pending);
    expect((error as DOMException).name).to.equal('AbortError');
    answer(controlled.response);
    await nextTask();
    expect(controlled.cancelled).to.equal(true);
  });

  it('an already aborted signal rejects at once', async () => {
    mock = mockFetch(() => jsonResponse({}));
    const error = await rejection(fetch('/x', { signal: AbortSignal.abort() }));
    expect((error as DOMException).name).to.equal('AbortError');
  });

  it('a consumer that cancels the body marks the ControlledResponse cancelled', async () => {
    const controlled = new ControlledResponse();
    mock = mockFetch(() => controlled.response);
    const response = await fetch('/x', { signal: new AbortController().signal });
    await response.body!.cancel();
    await nextTask();
    expect(controlled.cancelled).to.equal(true);
  });
});
