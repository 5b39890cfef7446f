/**
 * The Service API routes the widget uses besides the chat itself (SPEC §15, dify-protocol.md §5), under
 * the `api` base (the site's proxy, `dify-chat/proxy`). Every call is scoped by the visitor's `user`.
 * No DOM besides `fetch`/`XMLHttpRequest`, no Lit.
 */
import { MAX_ERROR_CHARS, clip } from '../limits.js';
import { readServerError, type ServerError } from '../chat/answer.js';
import { readErrorBody, readLimited } from '../chat/request.js';

/** The ApiError for a failed call whose body stated `error` (or nothing readable). */
const failure = (error: ServerError | undefined, status: number) =>
  new ApiError(clip(error?.message ?? '', MAX_ERROR_CHARS), status, error?.code ?? '');

/** A failed call: Dify's `{code, message, status}` when the server said so. */
export class ApiError extends Error {
  constructor(
    message: string,
    readonly status = 0,
    readonly code = '',
  ) {
    super(message);
  }
}

/** One file uploaded to `files/upload` (`201` body). */
export interface UploadedFile {
  id: string;
  name: string;
  size: number;
  mimeType: string;
  extension: string;
  url?: string;
}

/** One message of `GET messages` (a question and its answer), as Dify returns it. */
export type DifyMessage = Record<string, unknown>;

export interface HistoryPage {
  messages: DifyMessage[];
  hasMore: boolean;
}

const jsonHeaders = { 'Content-Type': 'application/json', Accept: 'application/json' };

export class DifyApi {
  /**
   * @param base the `api` URL (absolute)
   * @param user the visitor's Dify `user`
   * @param headers extra request headers (the element's `headers`)
   */
  constructor(
    readonly base: string,
    private readonly user: () => string,
    private readonly headers: () => Record<string, string> = () => ({}),
  ) {}

  /** `{api}/<path>` (path without leading slash). */
  url(path: string, query: Record<string, string | undefined> = {}): string {
    const url = new URL(`${this.base.replace(/\/+$/, '')}/${path}`);
    for (const [k, v] of Object.entries(query)) if (v !== undefined) url.searchParams.set(k, v);
    return url.href;
  }

  private async call(path: string, init: RequestInit = {}, query: Record<string, string | undefined> = {}): Promise<Response> {
    let response: Response;
    try {
      response = await fetch(this.url(path, query), { ...init, headers: { ...this.headers(), ...(init.headers as Record<string, string>) } });
    } catch (error) {
      if ((error as Error)?.name === 'AbortError') throw error;
      throw new ApiError('network', 0, 'network');
    }
    if (!response.ok) {
      throw failure((await readErrorBody(response)).error, response.status);
    }
    return response;
  }

  private async json(path: string, init?: RequestInit, query?: Record<string, string | undefined>): Promise<unknown> {
    const response = await this.call(path, init, query);
    const text = await readLimited(response, 2 * 1024 * 1024);
    try {
      return JSON.parse(text);
    } catch {
      throw new ApiError('The server sent something that is not JSON.', response.status, 'invalid_json');
    }
  }

  /** `GET info`, `parameters`, `site`: the app's configuration. */
  config(name: 'info' | 'parameters' | 'site'): Promise<unknown> {
    return this.json(name, { headers: { Accept: 'application/json' } });
  }

  /** One page of history, oldest first; `firstId` asks for the page before that message. */
  async messages(conversationId: string, firstId?: string, limit = 20): Promise<HistoryPage> {
    const body = await this.json('messages', { headers: { Accept: 'application/json' } }, {
      conversation_id: conversationId,
      user: this.user(),
      first_id: firstId,
      limit: String(limit),
    });
    const b = (body ?? {}) as { data?: unknown; has_more?: unknown };
    const messages = Array.isArray(b.data) ? (b.data.filter((m) => m && typeof m === 'object') as DifyMessage[]) : [];
    return { messages, hasMore: b.has_more === true };
  }

  /** Follow-up questions for an answer. */
  async suggested(messageId: string): Promise<string[]> {
    const body = (await this.json(`messages/${encodeURIComponent(messageId)}/suggested`, { headers: { Accept: 'application/json' } }, { user: this.user() })) as { data?: unknown };
    return Array.isArray(body?.data) ? body.data.filter((q): q is string => typeof q === 'string' && Boolean(q.trim())).slice(0, 5).map((q) => q.slice(0, 300)) : [];
  }

  /**
   * Likes, dislikes (with an optional comment) or revokes (null) the visitor's feedback on an answer. The
   * calls for one answer go one after another, so the server ends with the visitor's last word however fast
   * they clicked (parallel requests may arrive in any order).
   */
  async feedback(messageId: string, rating: 'like' | 'dislike' | null, content?: string): Promise<void> {
    const send = () =>
      this.call(`messages/${encodeURIComponent(messageId)}/feedbacks`, {
        method: 'POST',
        headers: jsonHeaders,
        body: JSON.stringify({ rating, user: this.user(), ...(content ? { content: content.slice(0, 2000) } : {}) }),
      });
    const call = (this.#feedback.get(messageId) ?? Promise.resolve()).then(send, send).then(() => undefined);
    this.#feedback.set(messageId, call);
    try {
      await call;
    } finally {
      if (this.#feedback.get(messageId) === call) this.#feedback.delete(messageId);
    }
  }

  /** The last feedback call of each answer still going. */
  readonly #feedback = new Map<string, Promise<void>>();

  /** Reads an answer aloud: the audio bytes of `text-to-audio`. */
  async speech(messageId: string | undefined, text: string, signal?: AbortSignal): Promise<Blob> {
    const response = await this.call('text-to-audio', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(messageId ? { message_id: messageId, user: this.user() } : { text: text.slice(0, 10_000), user: this.user() }),
      signal,
    });
    return response.blob();
  }

  /** Turns a recording into text (`audio-to-text`). */
  async transcribe(audio: Blob, name: string): Promise<string> {
    const form = new FormData();
    form.append('file', audio, name);
    form.append('user', this.user());
    const body = (await this.json('audio-to-text', { method: 'POST', body: form })) as { text?: unknown };
    return typeof body?.text === 'string' ? body.text.slice(0, 20_000) : '';
  }

  /**
   * Uploads one file (`files/upload`) with progress (0–1). XMLHttpRequest, because fetch reports no upload
   * progress. `abort()` cancels it (the promise then rejects with an AbortError).
   */
  upload(file: File, onProgress: (fraction: number) => void): { done: Promise<UploadedFile>; abort(): void } {
    const xhr = new XMLHttpRequest();
    const done = new Promise<UploadedFile>((resolve, reject) => {
      xhr.open('POST', this.url('files/upload'));
      for (const [k, v] of Object.entries(this.headers())) xhr.setRequestHeader(k, v);
      xhr.upload.onprogress = (e) => e.lengthComputable && onProgress(e.loaded / e.total);
      xhr.onerror = () => reject(new ApiError('network', 0, 'network'));
      xhr.onabort = () => reject(new DOMException('aborted', 'AbortError'));
      xhr.onload = () => {
        let body: unknown;
        try {
          body = JSON.parse(xhr.responseText.slice(0, 64 * 1024));
        } catch {
          body = undefined;
        }
        const b = (body ?? {}) as Record<string, unknown>;
        if (xhr.status >= 200 && xhr.status < 300 && typeof b.id === 'string') {
          onProgress(1);
          resolve({
            id: b.id,
            name: typeof b.name === 'string' ? b.name : file.name,
            size: typeof b.size === 'number' ? b.size : file.size,
            mimeType: typeof b.mime_type === 'string' ? b.mime_type : file.type,
            extension: typeof b.extension === 'string' ? b.extension : '',
            url: typeof b.source_url === 'string' ? b.source_url : undefined,
          });
        } else {
          reject(failure(readServerError(body), xhr.status));
        }
      };
      const form = new FormData();
      form.append('file', file, file.name);
      form.append('user', this.user());
      xhr.send(form);
    });
    return { done, abort: () => xhr.abort() };
  }
}
