// Request bodies (SPEC §4) and error responses (SPEC §8, protocol reference §4): src/chat/request.ts.
import { expect } from '@open-wc/testing';
import { buildBody, isLostConversation, isRetryable, readErrorResponse } from '../../src/chat/request.js';
import type { ChatMessage } from '../../src/types.js';
import { MAX_ERROR_CHARS } from '../../src/limits.js';
import { DIFY_D3_NOT_FOUND_BODY } from '../fixtures/streams.js';

const msg = (role: ChatMessage['role'], text: string, extra: Partial<ChatMessage> = {}): ChatMessage => ({
  id: `${role}-${text}`,
  role,
  text,
  createdAt: 1,
  ...extra,
});

describe('buildBody', () => {
  it('dify: exactly {query, inputs, conversation_id, user, response_mode: "streaming"}', () => {
    const body = buildBody({
      protocol: 'dify',
      query: 'Hello',
      inputs: { lang: 'fr' },
      conversationId: 'conv-1',
      user: 'visitor-7',
      model: 'ignored',
      history: [msg('user', 'old'), msg('bot', 'older answer')],
    });
    expect(body).to.deep.equal({
      query: 'Hello',
      inputs: { lang: 'fr' },
      conversation_id: 'conv-1',
      user: 'visitor-7',
      response_mode: 'streaming',
    });
  });

  it('dify: conversation_id is "" for a new conversation', () => {
    const body = buildBody({ protocol: 'dify', query: 'Hi', inputs: {}, conversationId: '', user: 'u', history: [] });
    expect(body.conversation_id).to.equal('');
    expect(body.inputs).to.deep.equal({});
  });

  it('openai: {model, stream: true, messages} with the transcript as user/assistant turns, then the query', () => {
    const body = buildBody({
      protocol: 'openai',
      query: 'And tomorrow?',
      inputs: { lang: 'fr' },
      conversationId: 'conv-x',
      user: 'u',
      model: 'm1',
      history: [
        msg('user', 'When do you open?'),
        msg('bot', 'At 8am.', { status: 'done' }),
        msg('notice', 'The previous conversation could not be continued, so a new one started.'),
        msg('user', 'Thanks'),
        msg('bot', 'You are welcome.'),
      ],
    });
    expect(body).to.deep.equal({
      model: 'm1',
      stream: true,
      messages: [
        { role: 'user', content: 'When do you open?' },
        { role: 'assistant', content: 'At 8am.' },
        { role: 'user', content: 'Thanks' },
        { role: 'assistant', content: 'You are welcome.' },
        { role: 'user', content: 'And tomorrow?' },
      ],
    });
  });

  it('openai: a first message has only the query; empty answers are not sent as turns', () => {
    expect(buildBody({ protocol: 'openai', query: 'Hi', inputs: {}, conversationId: '', user: 'u', model: 'm1', history: [] }))
      .to.deep.equal({ model: 'm1', stream: true, messages: [{ role: 'user', content: 'Hi' }] });
    const body = buildBody({
      protocol: 'openai',
      query: 'again',
      inputs: {},
      conversationId: '',
      user: 'u',
      model: 'm1',
      history: [msg('user', 'first'), msg('bot', '', { status: 'error' })],
    });
    expect(body.messages).to.deep.equal([
      { role: 'user', content: 'first' },
      { role: 'user', content: 'again' },
    ]);
  });
});

describe('readErrorResponse', () => {
  const response = (body: string, status: number, type = 'application/json') =>
    new Response(body, { status, headers: { 'content-type': type } });

  it('reads a Dify {code, message, status} body', async () => {
    expect(await readErrorResponse(response(DIFY_D3_NOT_FOUND_BODY, 404))).to.deep.equal({
      message: 'Conversation Not Exists.',
      code: 'not_found',
      status: 404,
    });
    const quota = JSON.stringify({ code: 'too_many_requests', message: 'Too many requests.', status: 429 });
    expect(await readErrorResponse(response(quota, 429))).to.deep.equal({ message: 'Too many requests.', code: 'too_many_requests', status: 429 });
  });

  it('reads an OpenAI {error: {message, type, code}} body (code, else type)', async () => {
    const body = JSON.stringify({ error: { message: 'Invalid API key', type: 'invalid_request_error', param: null, code: null } });
    expect(await readErrorResponse(response(body, 401))).to.deep.equal({ message: 'Invalid API key', code: 'invalid_request_error', status: 401 });
    const withCode = JSON.stringify({ error: { message: 'Slow down', type: 'requests', code: 'rate_limit_exceeded' } });
    expect(await readErrorResponse(response(withCode, 429))).to.deep.equal({ message: 'Slow down', code: 'rate_limit_exceeded', status: 429 });
  });

  it('uses a short plain-text body as the message', async () => {
    expect(await readErrorResponse(response('Bad gateway: upstream is down\n', 502, 'text/plain'))).to.deep.equal({
      message: 'Bad gateway: upstream is down',
      code: undefined,
      status: 502,
    });
  });

  it('never shows an HTML error page: empty message, status kept', async () => {
    const html = '<!doctype html><html><head><title>500 Internal Server Error</title></head><body><h1>Internal Server Error</h1></body></html>';
    const error = await readErrorResponse(response(html, 500, 'text/html'));
    expect(error.message).to.equal('');
    expect(error.status).to.equal(500);
  });

  it('an empty body gives the status only', async () => {
    expect(await readErrorResponse(new Response(null, { status: 503 }))).to.deep.equal({ message: '', code: undefined, status: 503 });
  });

  it('cuts a very long text body', async () => {
    const error = await readErrorResponse(response('x'.repeat(5000), 500, 'text/plain'));
    expect(error.message.length).to.be.at.most(MAX_ERROR_CHARS);
    expect(error.message.length).to.be.above(0);
  });
});

describe('isLostConversation', () => {
  it('is true for 404 not_found and 400 conversation_completed', () => {
    expect(isLostConversation({ status: 404, code: 'not_found', message: 'Conversation Not Exists.' })).to.equal(true);
    // Dify Cloud appends a Flask routing hint to the message: match on status and code only
    expect(isLostConversation({ status: 404, code: 'not_found', message: 'Conversation Not Exists. You have requested this URI [/v1/chat-messages]' })).to.equal(true);
    expect(isLostConversation({ status: 400, code: 'conversation_completed', message: 'The conversation has ended.' })).to.equal(true);
  });

  it('is false for anything else', () => {
    expect(isLostConversation({ status: 404, code: 'app_not_found', message: '' })).to.equal(false);
    expect(isLostConversation({ status: 404, message: 'Not Found' })).to.equal(false);
    expect(isLostConversation({ status: 400, code: 'not_found', message: '' })).to.equal(false);
    expect(isLostConversation({ status: 400, code: 'invalid_param', message: '' })).to.equal(false);
    expect(isLostConversation({ status: 500, code: 'internal_server_error', message: '' })).to.equal(false);
  });
});

describe('isRetryable', () => {
  it('rate limits, server errors, timeouts and network failures may be retried', () => {
    expect(isRetryable({ status: 429, code: 'too_many_requests', message: '' })).to.equal(true);
    expect(isRetryable({ status: 429, code: 'rate_limit_error', message: '' })).to.equal(true);
    expect(isRetryable({ status: 500, code: 'internal_server_error', message: '' })).to.equal(true);
    expect(isRetryable({ status: 502, message: '' })).to.equal(true);
    expect(isRetryable({ status: 503, message: '' })).to.equal(true);
    expect(isRetryable({ status: 408, message: '' })).to.equal(true);
    expect(isRetryable({ message: 'network' })).to.equal(true);
  });

  it('validation, auth, quota and configuration errors are not retried', () => {
    expect(isRetryable({ status: 400, code: 'invalid_param', message: '' })).to.equal(false);
    expect(isRetryable({ status: 401, code: 'unauthorized', message: '' })).to.equal(false);
    expect(isRetryable({ status: 403, code: 'forbidden', message: '' })).to.equal(false);
    expect(isRetryable({ status: 404, code: 'not_found', message: '' })).to.equal(false);
    expect(isRetryable({ status: 400, code: 'provider_quota_exceeded', message: '' })).to.equal(false);
    expect(isRetryable({ status: 400, code: 'provider_not_initialize', message: '' })).to.equal(false);
    expect(isRetryable({ status: 400, code: 'app_unavailable', message: '' })).to.equal(false);
  });
});
