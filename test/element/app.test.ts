// The whole Dify app behind `api` (SPEC §15), through the element against the mock Service API behind
// dify-chat/proxy (demo/mock-dify.mjs). Request shapes are read back from the mock's request log.
import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import { part, parts, rendered, uniqueKey, until, type DifyChat } from '../helpers/element.js';
import { mockApp } from '../helpers/mock-app.js';

async function widget(api: string, attrs: Record<string, string> = {}, key = uniqueKey()): Promise<DifyChat> {
  const el = await fixture<DifyChat>(html`<dify-chat api=${api} storage-key=${key}></dify-chat>`);
  for (const [name, value] of Object.entries(attrs)) el.setAttribute(name, value);
  await el.updateComplete;
  return el;
}

const text = (el: DifyChat, name: string) => part(el, name)?.textContent?.trim() ?? '';
const ready = (el: DifyChat, title: string) => until(el, () => text(el, 'title') === title, `configured (${title})`);

describe('<dify-chat api>', () => {
  it('zero configuration: the app sets title, welcome, prompts, colour, icon, disclaimer; one request of each', async () => {
    const app = await mockApp({ site: { title: 'Tea Desk', chat_color_theme: '#ffd700' } });
    const el = await widget(app.api);
    await ready(el, 'Tea Desk');
    expect(part(el, 'message--welcome')!.textContent).to.contain('Blossom & Brew tea assistant');
    expect(parts(el, 'suggestion').map((b) => b.textContent)).to.deep.equal(['What teas do you sell?', 'How long does shipping take?', 'Can I return an opened pouch?']);
    expect(text(el, 'disclaimer')).to.contain('Answers are written by AI');
    expect(text(el, 'avatar')).to.equal('🍵');
    // a light app colour still gets readable text on it (dark text on gold)
    const send = part(el, 'send-button')!;
    expect(getComputedStyle(send).backgroundColor).to.equal('rgb(255, 215, 0)');
    expect(getComputedStyle(send).color).to.equal('rgb(17, 24, 39)');
    const second = await widget(app.api);
    await ready(second, 'Tea Desk');
    const config = (await app.requests()).filter((r) => ['/info', '/parameters', '/site'].includes(r.path));
    expect(config.map((r) => r.path).sort(), 'fetched once per page session').to.deep.equal(['/info', '/parameters', '/site']);
  });

  it("the page's attributes win over the app's settings", async () => {
    const app = await mockApp();
    const el = await widget(app.api, { 'bot-name': 'Pink', welcome: 'Hello from the page', suggestions: '["Mine"]', placeholder: 'Ask Pink' });
    await until(el, () => text(el, 'disclaimer'), 'configured');
    expect(text(el, 'title')).to.equal('Pink');
    expect(part(el, 'message--welcome')!.textContent!.trim()).to.equal('Hello from the page');
    expect(parts(el, 'suggestion').map((b) => b.textContent)).to.deep.equal(['Mine']);
    expect(part<HTMLTextAreaElement>(el, 'input')!.placeholder).to.equal('Ask Pink');
  });

  it('a failed configuration request falls back silently to the attributes; chat still works', async () => {
    const app = await mockApp({ fail: { parameters: 500, site: 503, info: 500 } });
    const el = await widget(app.api, { 'bot-name': 'Fallback' });
    const answer = await el.send('hello');
    expect(answer?.status).to.equal('done');
    expect(text(el, 'title')).to.equal('Fallback');
    expect(part(el, 'disclaimer')).to.equal(null);
  });

  it('chat: the Service API request of §4 goes to {api}/chat-messages and continues the conversation', async () => {
    const app = await mockApp();
    const el = await widget(app.api);
    await el.send('first');
    await el.send('second');
    const chats = (await app.requests()).filter((r) => r.path === '/chat-messages');
    expect(chats).to.have.length(2);
    const [a, b] = chats.map((r) => r.json!);
    expect(Object.keys(a).sort()).to.deep.equal(['conversation_id', 'inputs', 'query', 'response_mode', 'user']);
    expect(a.query).to.equal('first');
    expect(a.conversation_id).to.equal('');
    expect(a.response_mode).to.equal('streaming');
    expect(b.conversation_id).to.equal(el.conversationId);
    expect(b.user).to.equal(a.user);
  });

  it('another api is another app: its own conversation (the first app\'s is kept for when it comes back), its colour', async () => {
    const first = await mockApp({ site: { title: 'Red Desk', chat_color_theme: '#b91c1c' } });
    const second = await mockApp({ site: { title: 'Plain Desk', chat_color_theme: null, icon_background: null } });
    const el = await fixture<DifyChat>(html`<dify-chat api=${first.api}></dify-chat>`);
    const accent = () => getComputedStyle(part(el, 'send-button')!).backgroundColor;
    await ready(el, 'Red Desk');
    const defaultAccent = 'rgb(37, 99, 235)';
    expect(accent()).to.equal('rgb(185, 28, 28)');
    await el.send('to the first app');
    const conversation = el.conversationId;
    expect(conversation).to.not.equal('');
    el.api = second.api;
    await ready(el, 'Plain Desk');
    expect(el.conversationId, 'a new conversation').to.equal('');
    expect(el.messages).to.have.length(0);
    expect(accent(), 'not the first app\'s colour').to.equal(defaultAccent);
    await el.send('to the second app');
    const [request] = (await second.requests()).filter((r) => r.path === '/chat-messages');
    expect(request.json!.conversation_id, 'not the first app\'s conversation').to.equal('');
    el.api = first.api;
    await ready(el, 'Red Desk');
    expect(el.conversationId).to.equal(conversation);
    expect(el.messages.map((m) => m.text)[0]).to.equal('to the first app');
    expect(accent(), 'the first app\'s colour again').to.equal('rgb(185, 28, 28)');
    expect((await first.requests()).filter((r) => r.path === '/chat-messages')).to.have.length(1);
  });

  it('follow-ups after each answer, until the next send; clicking one asks it', async () => {
    const app = await mockApp();
    const el = await widget(app.api);
    await el.send('What teas do you sell?');
    await until(el, () => parts(el, 'followup').length === 3, 'follow-ups');
    const q = parts(el, 'followup')[0].textContent!;
    const logged = (await app.requests()).find((r) => r.path.endsWith('/suggested'))!;
    expect(logged.path).to.equal(`/messages/${el.messages.at(-1)!.messageId}/suggested`);
    expect(logged.query.user).to.equal((await app.requests()).find((r) => r.path === '/chat-messages')!.json!.user);
    const sent = oneEvent(el, 'dify-chat-send');
    parts(el, 'followup')[0].click();
    expect((await sent).detail.query).to.equal(q);
    await rendered(el);
    expect(parts(el, 'followup'), 'gone while the next answer streams').to.have.length(0);
  });

  it('actions: copy, ask again (last answer only), like/dislike with a comment and revoke, sent to feedbacks', async () => {
    const app = await mockApp();
    const el = await widget(app.api);
    await el.send('one');
    await el.send('two');
    await rendered(el);
    const bots = parts(el, 'message--bot');
    expect(bots[0].querySelector('[part~="regenerate-button"]'), 'only the last answer').to.equal(null);
    expect(bots[1].querySelector('[part~="regenerate-button"]')).to.exist;
    const copied: string[] = [];
    Object.defineProperty(navigator, 'clipboard', { configurable: true, value: { writeText: async (t: string) => void copied.push(t) } });
    try {
      (bots[1].querySelector('[part~="copy-button"]') as HTMLButtonElement).click();
      await until(el, () => copied.length, 'copied');
      expect(copied[0]).to.equal(el.messages[3].text);
    } finally {
      delete (navigator as { clipboard?: unknown }).clipboard;
    }
    const like = bots[1].querySelector<HTMLButtonElement>('[part~="like-button"]')!;
    expect(like.getAttribute('aria-pressed')).to.equal('false');
    let feedback = oneEvent(el, 'dify-chat-feedback');
    like.click();
    expect((await feedback).detail).to.deep.equal({ messageId: el.messages[3].messageId, rating: 'like' });
    await rendered(el);
    expect(like.getAttribute('aria-pressed')).to.equal('true');
    feedback = oneEvent(el, 'dify-chat-feedback');
    like.click();
    expect((await feedback).detail.rating, 'revoked').to.equal(null);
    bots[1].querySelector<HTMLButtonElement>('[part~="dislike-button"]')!.click();
    await rendered(el);
    const box = el.shadowRoot!.querySelector<HTMLTextAreaElement>('.comment textarea')!;
    box.value = 'Too short';
    feedback = oneEvent(el, 'dify-chat-feedback');
    (el.shadowRoot!.querySelector('.comment button') as HTMLButtonElement).click();
    expect((await feedback).detail).to.deep.equal({ messageId: el.messages[3].messageId, rating: 'dislike', content: 'Too short' });
    await until(el, async () => (await app.requests()).filter((r) => r.path.endsWith('/feedbacks')).length === 4, 'four feedback calls');
    const sentFeedback = (await app.requests()).filter((r) => r.path.endsWith('/feedbacks')).map((r) => [r.json!.rating, r.json!.content ?? null]);
    // one after another, in the visitor's order, however fast the clicks came
    expect(sentFeedback).to.deep.equal([['like', null], [null, null], ['dislike', null], ['dislike', 'Too short']]);
    // ask again: the same question, its answer replaced in place
    const before = el.messages.length;
    bots[1].querySelector<HTMLButtonElement>('[part~="regenerate-button"]')!.click();
    await until(el, () => el.messages.at(-1)!.status === 'done' && !part(el, 'stop-button'), 'asked again');
    expect(el.messages.length).to.equal(before);
    const asked = (await app.requests()).filter((r) => r.path === '/chat-messages').map((r) => r.json!.query);
    expect(asked).to.deep.equal(['one', 'two', 'two']);
  });

  it('without api: copy and ask again for any backend; feedback only with the feedback attribute (event only)', async () => {
    const el = await fixture<DifyChat>(html`<dify-chat endpoint="/api/chat" storage-key=${uniqueKey()}></dify-chat>`);
    await el.send('hello');
    await rendered(el);
    expect(part(el, 'copy-button')).to.exist;
    expect(part(el, 'regenerate-button')).to.exist;
    expect(part(el, 'like-button')).to.equal(null);
    el.setAttribute('feedback', '');
    await rendered(el);
    const feedback = oneEvent(el, 'dify-chat-feedback');
    part<HTMLButtonElement>(el, 'dislike-button')!.click();
    expect((await feedback).detail.rating).to.equal('dislike');
  });

  it('history: a conversation id without a stored transcript is restored from {api}/messages, older pages on scrolling up', async () => {
    const app = await mockApp();
    // the same visitor (Dify scopes conversations by user) in another browser: no stored transcript
    const first = await widget(app.api, { user: 'visitor-7' });
    for (let i = 0; i < 22; i++) await first.send(`question ${i}`);
    const id = first.conversationId;
    first.remove();
    const el = await widget(app.api, { user: 'visitor-7' }, uniqueKey());
    el.conversationId = id;
    await until(el, () => el.messages.length === 40, 'the newest page (20 questions and answers)');
    expect(el.messages[0].text).to.equal('question 2');
    expect(el.messages.at(-2)!.text).to.equal('question 21');
    const log = part(el, 'log')!;
    log.scrollTop = 0;
    log.dispatchEvent(new Event('scroll'));
    await until(el, () => el.messages[0].text === 'question 0', 'the older page');
    const pages = (await app.requests()).filter((r) => r.path === '/messages');
    expect(pages.map((r) => r.query.first_id ?? null)[0]).to.equal(null);
    expect(pages[1].query.first_id).to.equal(el.messages[5].messageId);
    expect(pages[1].query.conversation_id).to.equal(id);
  });

  it('pre-chat form: required fields asked first (the typed text stays), answers kept per storage key and sent as inputs', async () => {
    const form = [
      { 'text-input': { label: 'Your name', variable: 'name', required: true, max_length: 10 } },
      { select: { label: 'Topic', variable: 'topic', required: false, options: ['Orders', 'Tea'] } },
      { number: { label: 'Order number', variable: 'order', required: false } },
      { paragraph: { label: 'Notes', variable: 'notes', required: false } },
    ];
    const app = await mockApp({ parameters: { user_input_form: form } });
    const key = uniqueKey();
    const el = await widget(app.api, { inputs: '{"notes":"from the page"}' }, key);
    await until(el, () => part(el, 'form'), 'the form');
    const f = part(el, 'form')!;
    expect([...f.querySelectorAll('label')].map((l) => l.textContent!.trim())).to.deep.equal(['Your name *', 'Topic (optional)', 'Order number (optional)']);
    const input = part<HTMLTextAreaElement>(el, 'input')!;
    input.value = 'Where is my order?';
    input.dispatchEvent(new Event('input'));
    await el.updateComplete;
    part<HTMLButtonElement>(el, 'send-button')!.click();
    await until(el, () => f.querySelector('.field-error'), 'the missing field is named');
    expect(f.querySelector('.field-error')!.textContent).to.contain('Your name');
    expect(f.querySelector('#form-name')!.getAttribute('aria-invalid')).to.equal('true');
    await until(el, () => input.value === 'Where is my order?', 'the typed text is kept');
    expect(el.messages).to.have.length(0);
    const name = f.querySelector<HTMLInputElement>('#form-name')!;
    name.value = 'Mia';
    name.dispatchEvent(new Event('input'));
    const topic = f.querySelector<HTMLSelectElement>('#form-topic')!;
    topic.value = 'Tea';
    topic.dispatchEvent(new Event('change'));
    const order = f.querySelector<HTMLInputElement>('#form-order')!;
    order.value = '42';
    order.dispatchEvent(new Event('input'));
    await el.updateComplete;
    const answer = await el.send('Where is my order?');
    expect(answer?.status).to.equal('done');
    const sent = (await app.requests()).find((r) => r.path === '/chat-messages')!.json!;
    expect(sent.inputs).to.deep.equal({ name: 'Mia', topic: 'Tea', order: 42, notes: 'from the page' });
    expect(part(el, 'form'), 'not asked again in this conversation').to.equal(null);
    el.reset();
    await until(el, () => part(el, 'form'), 'asked for a new conversation');
    expect(part(el, 'form')!.querySelector<HTMLInputElement>('#form-name')!.value, 'kept per storage key').to.equal('Mia');
  });

  it('workflow apps run {api}/workflows/run with the text in the first text input; completion apps use completion-messages', async () => {
    const wf = await mockApp({ mode: 'workflow' });
    const el = await widget(wf.api);
    const answer = await el.send('Which tea for mornings?');
    expect(answer?.status).to.equal('done');
    expect(answer!.text.length).to.be.above(10);
    const run = (await wf.requests()).find((r) => r.path === '/workflows/run')!.json!;
    expect(run.inputs).to.deep.equal({ question: 'Which tea for mornings?' });
    expect(run.response_mode).to.equal('streaming');
    expect(run).to.not.have.property('conversation_id');
    expect(part(el, 'form'), 'the text variable is not asked').to.equal(null);
    const cp = await mockApp({ mode: 'completion' });
    const el2 = await widget(cp.api);
    expect((await el2.send('Write a haiku'))?.status).to.equal('done');
    const body = (await cp.requests()).find((r) => r.path === '/completion-messages')!.json!;
    expect(body.inputs).to.deep.equal({ question: 'Write a haiku' });
  });

  it('files: attach, upload with progress, send as files, shown in the message; refusals say why and keep the text', async () => {
    const app = await mockApp();
    const el = await widget(app.api);
    await until(el, () => part(el, 'attach-button'), 'attach button');
    const picker = part(el, 'attach-button')!.querySelector<HTMLInputElement>('input[type=file]')!;
    const png = new File([new Uint8Array([137, 80, 78, 71, 13, 10, 26, 10, 0, 0, 0, 13])], 'tea.png', { type: 'image/png' });
    const exe = new File(['MZ'], 'setup.exe', { type: 'application/octet-stream' });
    const transfer = new DataTransfer();
    transfer.items.add(png);
    transfer.items.add(exe);
    picker.files = transfer.files;
    picker.dispatchEvent(new Event('change'));
    await rendered(el);
    expect(el.shadowRoot!.querySelector('.attachment-error')!.textContent).to.contain('setup.exe');
    await until(el, () => parts(el, 'attachment').length === 1 && !part(el, 'attachment')!.querySelector('progress'), 'uploaded');
    const answer = await el.send('What is this tea?');
    expect(answer?.status).to.equal('done');
    const upload = (await app.requests()).find((r) => r.path === '/files/upload')!;
    expect(upload.form!.files[0].name).to.equal('tea.png');
    const chat = (await app.requests()).find((r) => r.path === '/chat-messages')!.json!;
    expect(chat.files).to.have.length(1);
    expect((chat.files as Record<string, string>[])[0]).to.include({ type: 'image', transfer_method: 'local_file' });
    await rendered(el);
    expect(parts(el, 'message--user')[0].querySelector('img')).to.exist;
    expect(parts(el, 'attachment')).to.have.length(0);
  });

  it('voice: read aloud through {api}/text-to-audio; a refused microphone is explained', async () => {
    const app = await mockApp();
    const el = await widget(app.api);
    await el.send('hello');
    await until(el, () => part(el, 'speak-button'), 'speak button');
    part<HTMLButtonElement>(el, 'speak-button')!.click();
    await until(el, async () => (await app.requests()).some((r) => r.path === '/text-to-audio'), 'text-to-audio asked');
    const tts = (await app.requests()).find((r) => r.path === '/text-to-audio')!.json!;
    expect(tts.message_id).to.equal(el.messages.at(-1)!.messageId);
    const media = Object.getOwnPropertyDescriptor(Navigator.prototype, 'mediaDevices');
    Object.defineProperty(navigator, 'mediaDevices', {
      configurable: true,
      value: { getUserMedia: () => Promise.reject(new DOMException('denied', 'NotAllowedError')) },
    });
    try {
      await until(el, () => part(el, 'mic-button'), 'mic button');
      part<HTMLButtonElement>(el, 'mic-button')!.click();
      await until(el, () => el.shadowRoot!.querySelector('.mic-problem'), 'explained');
      expect(el.shadowRoot!.querySelector('.mic-problem')!.textContent).to.contain('microphone is blocked');
    } finally {
      delete (navigator as { mediaDevices?: unknown }).mediaDevices;
      if (media) Object.defineProperty(Navigator.prototype, 'mediaDevices', media);
    }
  });
});
