/**
 * Part "voice" (`dist/dify-chat-voice.js`), the seed's "semi-voice chatbot" (SPEC §15): answers read aloud
 * (`{api}/text-to-audio`, or the browser's speech synthesis without `api`) and a microphone that records and
 * puts the text into the composer (`{api}/audio-to-text`, or the browser's speech recognition). A refused
 * microphone is explained.
 */
import type { TemplateResult } from 'lit/html.js';
import type { DifyApi } from '../app/api.js';
import type { PartHost } from '../app/host.js';
import type { ChatMessage } from '../types.js';
import { GHOST_STYLES, STOP_ICON } from '../view/paths.js';

const MIC_ICON = 'M12 15a3 3 0 0 0 3-3V6a3 3 0 0 0-6 0v6a3 3 0 0 0 3 3ZM19 11a7 7 0 0 1-14 0M12 18v3';
const SPEAK_ICON = 'M11 5 6 9H3v6h3l5 4V5ZM15.5 8.5a5 5 0 0 1 0 7M18.5 5.5a9 9 0 0 1 0 13';

/** What is being read aloud now (one at a time per page). */
let playing: { id: string; stop(): void } | undefined;

/** The id of the message being read aloud, if any. */
export const speaking = (): string | undefined => playing?.id;

/** The answer's text without markdown marks, for speech synthesis. */
export const plain = (markdown: string): string =>
  markdown
    .replace(/```[\s\S]*?```/g, ' ')
    .replace(/!\[[^\]]*\]\([^)]*\)/g, ' ')
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/[*_`#>|~]+/g, '')
    .replace(/\s+/g, ' ')
    .trim();

/** Reads an answer aloud (or stops it, when it is the one playing). */
export function speak(host: PartHost, message: ChatMessage, client?: DifyApi): void {
  const id = message.id;
  const was = playing?.id;
  playing?.stop();
  playing = undefined;
  host.requestUpdate();
  if (was === id) return;
  const done = () => {
    if (playing?.id === id) playing = undefined;
    host.requestUpdate();
  };
  if (client && host.api) {
    const abort = new AbortController();
    let audio: HTMLAudioElement | undefined;
    let url = '';
    playing = {
      id,
      stop: () => {
        abort.abort();
        audio?.pause();
        if (url) URL.revokeObjectURL(url);
      },
    };
    client.speech(message.messageId, message.text, abort.signal).then(
      (blob) => {
        url = URL.createObjectURL(blob);
        audio = new Audio(url);
        audio.onended = audio.onerror = () => {
          URL.revokeObjectURL(url);
          done();
        };
        // a browser may refuse to play before a gesture: then nothing happens
        audio.play().catch(done);
      },
      done,
    );
  } else if (globalThis.speechSynthesis) {
    const utterance = new SpeechSynthesisUtterance(plain(message.text));
    utterance.onend = utterance.onerror = done;
    playing = { id, stop: () => speechSynthesis.cancel() };
    speechSynthesis.cancel();
    speechSynthesis.speak(utterance);
  }
  host.requestUpdate();
}

export function renderSpeak(host: PartHost, message: ChatMessage, client?: DifyApi): TemplateResult {
  const { kit, strings: t } = host;
  const on = speaking() === message.id;
  const label = on ? t.stopSpeaking : t.speak;
  return kit.html`<button part="speak-button" class="action" type="button" aria-label=${label} title=${label}
    aria-pressed=${on ? 'true' : 'false'} @click=${() => speak(host, message, client)}>${kit.icon(on ? STOP_ICON : SPEAK_ICON, 16)}</button>`;
}

interface Recognition {
  lang: string;
  interimResults: boolean;
  onresult: ((e: { results: ArrayLike<ArrayLike<{ transcript: string }>> }) => void) | null;
  onerror: ((e: { error: string }) => void) | null;
  onend: (() => void) | null;
  start(): void;
  stop(): void;
}

/** The microphone button: record, then the text goes into the composer. */
export class Microphone {
  #state: 'idle' | 'recording' | 'transcribing' = 'idle';
  #stop?: () => void;
  #problem = '';

  constructor(
    private readonly host: PartHost,
    private readonly client?: DifyApi,
  ) {}

  async #start(): Promise<void> {
    const t = this.host.strings;
    this.#problem = '';
    if (this.client && this.host.api) {
      if (!navigator.mediaDevices?.getUserMedia || typeof MediaRecorder === 'undefined') return this.#fail(t.micUnsupported);
      let stream: MediaStream;
      try {
        stream = await navigator.mediaDevices.getUserMedia({ audio: true });
      } catch (error) {
        return this.#fail((error as Error)?.name === 'NotFoundError' ? t.micMissing : t.micDenied);
      }
      const recorder = new MediaRecorder(stream);
      const chunks: Blob[] = [];
      recorder.ondataavailable = (e) => e.data.size && chunks.push(e.data);
      recorder.onstop = () => {
        for (const track of stream.getTracks()) track.stop();
        const type = recorder.mimeType || 'audio/webm';
        this.#set('transcribing');
        this.host.announce(t.transcribing);
        this.client!.transcribe(new Blob(chunks, { type }), `speech.${type.includes('mp4') ? 'm4a' : type.includes('ogg') ? 'ogg' : 'webm'}`).then(
          (text) => {
            this.#set('idle');
            if (text) this.host.compose(text);
          },
          (error: { message?: string }) => this.#fail(error?.message || t.network),
        );
      };
      this.#stop = () => recorder.stop();
      recorder.start();
      this.#set('recording');
      return;
    }
    const Ctor = (globalThis as { SpeechRecognition?: new () => Recognition; webkitSpeechRecognition?: new () => Recognition })
      .SpeechRecognition ?? (globalThis as { webkitSpeechRecognition?: new () => Recognition }).webkitSpeechRecognition;
    if (!Ctor) return this.#fail(t.micUnsupported);
    const recognition = new Ctor();
    recognition.lang = document.documentElement.lang || navigator.language;
    recognition.interimResults = false;
    recognition.onresult = (e) => {
      const text = Array.from(e.results, (r) => r[0]?.transcript ?? '').join(' ').trim();
      if (text) this.host.compose(text);
    };
    recognition.onerror = (e) => this.#fail(e.error === 'not-allowed' || e.error === 'service-not-allowed' ? t.micDenied : e.error === 'audio-capture' ? t.micMissing : t.micUnsupported);
    recognition.onend = () => this.#state === 'recording' && this.#set('idle');
    this.#stop = () => recognition.stop();
    recognition.start();
    this.#set('recording');
  }

  #set(state: 'idle' | 'recording' | 'transcribing'): void {
    this.#state = state;
    this.host.requestUpdate();
  }

  #fail(message: string): void {
    this.#problem = message;
    this.host.announce(message, true);
    this.#set('idle');
  }

  #toggle = (): void => {
    if (this.#state === 'recording') this.#stop?.();
    else if (this.#state === 'idle') void this.#start();
  };

  render(): TemplateResult {
    const { kit, strings: t } = this.host;
    const recording = this.#state === 'recording';
    const label = recording ? t.micStop : t.mic;
    return kit.html`<button part="mic-button" class=${`round ghost${recording ? ' recording' : ''}`} type="button"
      aria-label=${label} title=${this.#problem || label} aria-pressed=${recording ? 'true' : 'false'}
      ?disabled=${this.#state === 'transcribing'} @click=${this.#toggle}>${kit.icon(recording ? STOP_ICON : MIC_ICON)}</button>
      ${this.#problem ? kit.html`<p class="mic-problem" role="alert">${this.#problem}</p>` : kit.nothing}`;
  }
}

export const styles =
  GHOST_STYLES +
  `
.ghost.recording { background: var(--_error); color: #fff; }
.mic-problem { position: absolute; inset-inline: var(--_gap); bottom: calc(100% + 4px); margin: 0; padding: 6px 10px; border-radius: 8px; background: var(--_bg); border: 1px solid var(--_error); color: var(--_error); font-size: 0.82em; }
`;

export { partStrings as strings } from '../app/strings.js';
