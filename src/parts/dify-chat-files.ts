/**
 * Part "files" (`dist/dify-chat-files.js`): attachments (SPEC §15). The attach button, paste and drop add
 * files; each is checked against the app's rules (types, size, count), uploaded to `{api}/files/upload`
 * with progress, shown as a removable chip, and sent with the next message as `files`. A refused file says
 * why; the typed text is never touched.
 */
import type { TemplateResult } from 'lit/html.js';
import type { DifyApi, UploadedFile } from '../app/api.js';
import type { FileKind, FileRules } from '../app/config.js';
import type { PartHost } from '../app/host.js';
import type { RequestFile } from '../chat/request.js';
import { format } from '../strings.js';
import type { MessageFile } from '../types.js';
import { CLOSE_ICON, GHOST_STYLES } from '../view/paths.js';

/** File extensions of each kind, as Dify sorts them. */
const KINDS: Record<Exclude<FileKind, 'custom'>, string[]> = {
  image: ['jpg', 'jpeg', 'png', 'gif', 'webp', 'svg'],
  document: ['txt', 'md', 'markdown', 'mdx', 'pdf', 'html', 'htm', 'xlsx', 'xls', 'vtt', 'properties', 'doc', 'docx', 'csv', 'eml', 'msg', 'pptx', 'ppt', 'xml', 'epub'],
  audio: ['mp3', 'm4a', 'wav', 'amr', 'mpga'],
  video: ['mp4', 'mov', 'mpeg', 'webm'],
};

/** Which of the app's kinds a file is, or undefined when the app does not take it. */
export function kindOf(name: string, rules: FileRules): FileKind | undefined {
  const ext = name.toLowerCase().split('.').pop() ?? '';
  for (const kind of rules.kinds) {
    if (kind === 'custom' ? rules.extensions.includes(`.${ext}`) : KINDS[kind].includes(ext)) return kind;
  }
  return undefined;
}

const size = (bytes: number) => (bytes >= 1024 * 1024 ? `${Math.round(bytes / 1024 / 102.4) / 10} MB` : `${Math.ceil(bytes / 1024)} KB`);

/** Why a file can't be attached (already `count` attached), or '' when it can. */
export function refusal(file: { name: string; size: number }, count: number, rules: FileRules, t: PartHost['strings']): string {
  if (count >= rules.limit) return format(t.tooManyFiles, { count: rules.limit });
  const kind = kindOf(file.name, rules);
  if (!kind) return format(t.fileType, { name: file.name });
  if (file.size > rules.maxBytes[kind]) return format(t.fileTooBig, { name: file.name, size: size(rules.maxBytes[kind]) });
  return '';
}

interface Item {
  key: number;
  file: File;
  kind: FileKind;
  progress: number;
  uploaded?: UploadedFile;
  error?: string;
  abort(): void;
  preview?: string;
}

let keys = 0;

export class Attachments {
  #items: Item[] = [];
  #refused: string[] = [];

  constructor(
    private readonly host: PartHost,
    private readonly client: DifyApi,
    private readonly rules: FileRules,
  ) {}

  /** Checks and uploads files (from the button, a paste or a drop). */
  add(files: FileList | File[]): void {
    const t = this.host.strings;
    this.#refused = [];
    for (const file of Array.from(files)) {
      const why = refusal(file, this.#items.length, this.rules, t);
      if (why) {
        this.#refused.push(why);
        continue;
      }
      const kind = kindOf(file.name, this.rules)!;
      const upload = this.client.upload(file, (fraction) => {
        item.progress = fraction;
        this.host.requestUpdate();
      });
      const item: Item = {
        key: keys++,
        file,
        kind,
        progress: 0,
        abort: upload.abort,
        preview: kind === 'image' ? URL.createObjectURL(file) : undefined,
      };
      this.#items.push(item);
      upload.done.then(
        (uploaded) => {
          item.uploaded = uploaded;
          this.host.requestUpdate();
        },
        (error: { name?: string; message?: string }) => {
          if (error?.name === 'AbortError') return;
          item.error = format(t.uploadFailed, { name: file.name, message: error?.message || t.network });
          this.host.announce(item.error, true);
          this.host.requestUpdate();
        },
      );
    }
    if (this.#refused.length) this.host.announce(this.#refused.join(' '), true);
    this.host.requestUpdate();
  }

  /** Removes one attachment (cancelling its upload). */
  remove(key: number): void {
    const item = this.#items.find((i) => i.key === key);
    if (!item) return;
    item.abort();
    if (item.preview) URL.revokeObjectURL(item.preview);
    this.#items = this.#items.filter((i) => i !== item);
    this.host.requestUpdate();
  }

  clear(): void {
    for (const item of this.#items) item.abort();
    this.#items = [];
    this.#refused = [];
  }

  /**
   * The uploaded files for the message being sent, and what the visitor sees of them; undefined while an
   * upload is still running (the message waits, the text stays). Failed uploads are dropped.
   */
  take(_text: string): { files: RequestFile[]; shown: MessageFile[] } | undefined {
    if (this.#items.some((i) => !i.uploaded && !i.error)) {
      this.host.announce(this.host.strings.waitUploads, true);
      return undefined;
    }
    const done = this.#items.filter((i) => i.uploaded);
    const result = {
      files: done.map((i) => ({ type: i.kind, uploadFileId: i.uploaded!.id })),
      shown: done
        .filter((i) => i.kind === 'image')
        .map((i) => ({ id: i.uploaded!.id, type: 'image', url: i.uploaded!.url ?? i.preview ?? '' }))
        .filter((f) => f.url),
    };
    this.#items = [];
    this.#refused = [];
    return result;
  }

  renderButton(): TemplateResult {
    const { kit, strings: t } = this.host;
    const accept = this.rules.kinds.flatMap((k) => (k === 'custom' ? this.rules.extensions : KINDS[k].map((e) => `.${e}`))).join(',');
    const pick = (e: Event) => {
      const input = e.target as HTMLInputElement;
      if (input.files) this.add(input.files);
      input.value = '';
    };
    return kit.html`<label part="attach-button" class="round ghost" title=${t.attach}>
      <input class="visually-hidden" type="file" multiple accept=${accept} aria-label=${t.attach} @change=${pick} />
      ${kit.icon('M21 11.5 12.6 20a5.5 5.5 0 0 1-7.8-7.8l8.5-8.5a3.7 3.7 0 0 1 5.2 5.2l-8.5 8.5a1.8 1.8 0 0 1-2.6-2.6l7.8-7.8')}
    </label>`;
  }

  render(): TemplateResult | unknown {
    const { kit, strings: t } = this.host;
    if (!this.#items.length && !this.#refused.length) return kit.nothing;
    return kit.html`<div class="attachments">
      ${this.#refused.map((r) => kit.html`<p class="attachment-error">${r}</p>`)}
      ${this.#items.map(
        (i) => kit.html`<div part="attachment" class=${i.error ? 'failed' : ''}>
          ${i.preview ? kit.html`<img src=${i.preview} alt="" />` : kit.html`<span class="file-kind">${i.kind}</span>`}
          <span class="file-name">${i.file.name}</span>
          ${i.uploaded || i.error
            ? kit.nothing
            : kit.html`<progress max="1" .value=${i.progress} aria-label=${format(t.uploading, { name: i.file.name })}></progress>`}
          <button type="button" class="remove" aria-label=${format(t.removeFile, { name: i.file.name })} title=${format(t.removeFile, { name: i.file.name })}
            @click=${() => this.remove(i.key)}>${kit.icon(CLOSE_ICON, 14)}</button>
        </div>`,
      )}
    </div>`;
  }
}

export const styles =
  GHOST_STYLES +
  `
.attachments { display: flex; flex-wrap: wrap; gap: 6px; margin: 0 var(--_gap) 8px; }
[part~='attachment'] { display: flex; align-items: center; gap: 6px; max-width: 100%; padding: 4px 4px 4px 6px; border: 1px solid var(--_border); border-radius: 10px; background: var(--_bg); font-size: 0.82em; }
[part~='attachment'].failed { border-color: var(--_error); color: var(--_error); }
[part~='attachment'] img { width: 28px; height: 28px; border-radius: 6px; object-fit: cover; }
.file-kind { padding: 2px 6px; border-radius: 6px; background: var(--_surface); text-transform: uppercase; font-size: 0.8em; font-weight: 700; }
.file-name { max-width: 14em; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
[part~='attachment'] progress { width: 48px; }
.remove { display: grid; place-items: center; width: 28px; height: 28px; padding: 0; border: 0; border-radius: 50%; background: none; color: var(--_muted); }
.remove:hover { background: var(--_surface); }
.attachment-error { flex-basis: 100%; margin: 0; color: var(--_error); font-size: 0.82em; }
[part~='attach-button'] { cursor: pointer; }
.ghost:focus-within { outline: 2px solid var(--_accent); outline-offset: 2px; }
`;

export { partStrings as strings } from '../app/strings.js';
