// Files and voice (SPEC §15) through the element: paste, drop and remove attachments; the microphone with
// `api` (recorded, then {api}/audio-to-text) and without it (the browser's speech recognition); reading
// aloud with the browser's speech synthesis, and the app's auto-play. The browser's media APIs are
// replaced by small fakes (a headless browser has no microphone and no voices); the network is the mock
// Service API behind the dev server's proxy.
import { expect, fixture, html } from '@open-wc/testing';
import { part, parts, rendered, uniqueKey, until, type DifyChat } from '../helpers/element.js';
import { mockApp } from '../helpers/mock-app.js';

const PNG = [137, 80, 78, 71, 13, 10, 26, 10, 0, 0, 0, 13];
const png = (name: string) => new File([new Uint8Array(PNG)], name, { type: 'image/png' });
const transfer = (...files: File[]) => {
  const data = new DataTransfer();
  for (const file of files) data.items.add(file);
  return data;
};

async function widget(attrs: string, key = uniqueKey()): Promise<DifyChat> {
  const el = await fixture<DifyChat>(html`<dify-chat storage-key=${key}></dify-chat>`);
  for (const pair of attrs.split(' ')) {
    const [name, value = ''] = pair.split('=');
    el.setAttribute(name, value);
  }
  await el.updateComplete;
  return el;
}

/** Replaces a global (own property on window) for one test; returns the undo. */
function replaceGlobal(name: string, value: unknown): () => void {
  const own = Object.getOwnPropertyDescriptor(window, name);
  Object.defineProperty(window, name, { configurable: true, writable: true, value });
  return () => {
    if (own) Object.defineProperty(window, name, own);
    else delete (window as unknown as Record<string, unknown>)[name];
  };
}

const uploadsDone = (el: DifyChat, count: number) =>
  until(el, () => parts(el, 'attachment').length === count && parts(el, 'attachment').every((a) => !a.querySelector('progress')), `${count} uploaded`);

describe('<dify-chat api>: files and voice', () => {
  it('files: pasting into the composer and dropping on the panel attach; a removed file is not sent; the text stays', async () => {
    const app = await mockApp();
    const el = await widget(`api=${app.api}`);
    await until(el, () => part(el, 'attach-button'), 'attach button');
    const input = part<HTMLTextAreaElement>(el, 'input')!;
    input.value = 'What are these?';
    input.dispatchEvent(new Event('input', { bubbles: true, composed: true }));

    const paste = new ClipboardEvent('paste', { clipboardData: transfer(png('pasted.png')), bubbles: true, composed: true, cancelable: true });
    input.dispatchEvent(paste);
    expect(paste.defaultPrevented, 'a file paste is taken over').to.equal(true);
    await uploadsDone(el, 1);
    const drop = new DragEvent('drop', { dataTransfer: transfer(png('dropped.png')), bubbles: true, composed: true, cancelable: true });
    part(el, 'log')!.dispatchEvent(drop);
    expect(drop.defaultPrevented).to.equal(true);
    await uploadsDone(el, 2);
    // a text paste is left to the browser
    const textPaste = new ClipboardEvent('paste', { clipboardData: new DataTransfer(), bubbles: true, composed: true, cancelable: true });
    input.dispatchEvent(textPaste);
    expect(textPaste.defaultPrevented).to.equal(false);

    const [first] = parts(el, 'attachment');
    expect(first.textContent).to.contain('pasted.png');
    first.querySelector<HTMLButtonElement>('button.remove')!.click();
    await rendered(el);
    expect(parts(el, 'attachment').map((a) => a.textContent!.trim())).to.have.length(1);
    expect(part(el, 'attachment')!.textContent).to.contain('dropped.png');
    expect(input.value, 'the typed text stays').to.equal('What are these?');

    part<HTMLButtonElement>(el, 'send-button')!.click();
    await until(el, () => el.messages.at(-1)?.status === 'done', 'answered');
    const requests = await app.requests();
    const uploads = requests.filter((r) => r.path === '/files/upload').map((r) => r.form!.files[0].name);
    expect(uploads).to.deep.equal(['pasted.png', 'dropped.png']);
    const chat = requests.find((r) => r.path === '/chat-messages')!.json!;
    expect(chat.query).to.equal('What are these?');
    expect(chat.files).to.have.length(1);
    expect(parts(el, 'attachment')).to.have.length(0);
  });

  it('the new-conversation button starts over like reset(): an attached file goes too', async () => {
    const app = await mockApp();
    const el = await widget(`api=${app.api}`);
    await el.send('hello');
    await until(el, () => part(el, 'attach-button'), 'attach button');
    part(el, 'log')!.dispatchEvent(new DragEvent('drop', { dataTransfer: transfer(png('menu.png')), bubbles: true, composed: true, cancelable: true }));
    await uploadsDone(el, 1);
    part<HTMLButtonElement>(el, 'reset-button')!.click();
    await rendered(el);
    expect(el.messages).to.have.length(0);
    expect(parts(el, 'attachment')).to.have.length(0);
  });

  it('the microphone with api: records, sends the recording to {api}/audio-to-text, puts the text in the composer', async () => {
    const app = await mockApp();
    let tracksStopped = 0;
    const stream = { getTracks: () => [{ stop: () => tracksStopped++ }] };
    class FakeRecorder {
      static started = 0;
      mimeType = 'audio/webm';
      ondataavailable: ((e: { data: Blob }) => void) | null = null;
      onstop: (() => void) | null = null;
      constructor(readonly source: unknown) {
        expect(source).to.equal(stream);
      }
      start() {
        FakeRecorder.started++;
      }
      stop() {
        this.ondataavailable?.({ data: new Blob([new Uint8Array(256)], { type: 'audio/webm' }) });
        this.onstop?.();
      }
    }
    const media = Object.getOwnPropertyDescriptor(Navigator.prototype, 'mediaDevices');
    Object.defineProperty(navigator, 'mediaDevices', { configurable: true, value: { getUserMedia: async () => stream } });
    const undo = replaceGlobal('MediaRecorder', FakeRecorder);
    try {
      const el = await widget(`api=${app.api}`);
      await until(el, () => part(el, 'mic-button'), 'mic button');
      const mic = () => part<HTMLButtonElement>(el, 'mic-button')!;
      mic().click();
      await until(el, () => mic().getAttribute('aria-pressed') === 'true', 'recording');
      expect(FakeRecorder.started).to.equal(1);
      mic().click(); // stop: the recording goes to audio-to-text
      await until(el, () => part<HTMLTextAreaElement>(el, 'input')!.value !== '', 'text in the composer');
      expect(part<HTMLTextAreaElement>(el, 'input')!.value).to.equal('What teas do you sell?');
      expect(mic().getAttribute('aria-pressed')).to.equal('false');
      expect(tracksStopped, 'the microphone is released').to.equal(1);
      const upload = (await app.requests()).find((r) => r.path === '/audio-to-text')!;
      expect(upload.form!.files[0]).to.include({ type: 'audio/webm', name: 'speech.webm' });
      expect(upload.form!.fields.user).to.be.a('string').and.not.equal('');
      expect(el.messages, 'nothing is sent by itself').to.have.length(0);
    } finally {
      undo();
      delete (navigator as { mediaDevices?: unknown }).mediaDevices;
      if (media) Object.defineProperty(Navigator.prototype, 'mediaDevices', media);
    }
  });

  it('without api: `stt` uses the browser’s speech recognition, `tts` its speech synthesis', async () => {
    const recognitions: FakeRecognition[] = [];
    class FakeRecognition {
      lang = '';
      interimResults = true;
      onresult: ((e: { results: { transcript: string }[][] }) => void) | null = null;
      onerror: ((e: { error: string }) => void) | null = null;
      onend: (() => void) | null = null;
      constructor() {
        recognitions.push(this);
      }
      start() {}
      stop() {
        this.onend?.();
      }
    }
    const spoken: string[] = [];
    const synthesis = {
      cancel() {},
      speak(utterance: SpeechSynthesisUtterance) {
        spoken.push(utterance.text);
      },
    };
    const undo = [replaceGlobal('SpeechRecognition', FakeRecognition), replaceGlobal('speechSynthesis', synthesis)];
    try {
      const el = await widget('endpoint=/api/chat stt tts');
      await until(el, () => part(el, 'mic-button'), 'mic button');
      part<HTMLButtonElement>(el, 'mic-button')!.click();
      await until(el, () => recognitions.length === 1, 'recognition started');
      expect(recognitions[0].interimResults).to.equal(false);
      recognitions[0].onresult!({ results: [[{ transcript: 'green tea' }], [{ transcript: 'please' }]] });
      recognitions[0].onend!();
      await rendered(el);
      expect(part<HTMLTextAreaElement>(el, 'input')!.value).to.equal('green tea please');

      await el.send('Say **hello**');
      await until(el, () => part(el, 'speak-button'), 'speak button');
      part<HTMLButtonElement>(el, 'speak-button')!.click();
      expect(spoken).to.have.length(1);
      // read as plain text: no markdown marks, no code block, link text without its URL
      expect(el.messages.at(-1)!.text).to.contain('```').and.contain('](https://');
      expect(spoken[0]).to.contain('You asked: Say hello').and.contain('See the API reference for more');
      expect(spoken[0]).not.to.match(/[*#`]|shop\.carts|https:/);
      await rendered(el);
      expect(part(el, 'speak-button')!.getAttribute('aria-pressed')).to.equal('true');
    } finally {
      for (const u of undo) u();
    }
  });

  it('auto-play: when the app says so, each finished answer is read aloud through {api}/text-to-audio', async () => {
    const app = await mockApp({ parameters: { text_to_speech: { enabled: true, autoPlay: 'enabled', voice: 'alloy', language: 'en-US' } } });
    const el = await widget(`api=${app.api}`);
    const answer = await el.send('hello');
    await until(el, async () => (await app.requests()).some((r) => r.path === '/text-to-audio'), 'read aloud without a click');
    const tts = (await app.requests()).find((r) => r.path === '/text-to-audio')!.json!;
    expect(tts.message_id).to.equal(answer!.messageId);

    const quiet = await mockApp({ parameters: { text_to_speech: { enabled: true, autoPlay: 'disabled' } } });
    const other = await widget(`api=${quiet.api}`);
    await other.send('hello');
    await rendered(other);
    await new Promise((r) => setTimeout(r, 200));
    expect((await quiet.requests()).some((r) => r.path === '/text-to-audio'), 'not without auto-play').to.equal(false);
  });
});
