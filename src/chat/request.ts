/** Request bodies for each protocol (SPEC §4) and reading error responses. Pure. */
import { MAX_ERROR_BODY_BYTES, MAX_ERROR_CHARS, clip } from '../limits.js';
import type { ChatMessage, Protocol } from '../types.js';
import { readServerError, type ServerError } from './answer.js';

/** A file sent with a message (uploaded first to `files/upload`). */
export interface RequestFile {
  type: string;
  uploadFileId: string;
}

/** How a Dify app is asked: a chat message, a workflow run, or a completion (SPEC §15). */
export type RequestKind = 'chat' | 'workflow' | 'completion';

export interface RequestOptions {
  protocol: Protocol;
  query: string;
  inputs: Record<string, unknown>;
  conversationId: string;
  user: string;
  model?: string;
  /** The transcript before this query (for `openai`). */
  history: readonly ChatMessage[];
  /** Dify only: `chat` (default), `workflow` or `completion`. */
  kind?: RequestKind;
  /** Workflow and completion apps: the input variable that receives the visitor's text (default `query`). */
  queryField?: string;
  files?: readonly RequestFile[];
}

/** The JSON body POSTed to the endpoint. */
export function buildBody(options: RequestOptions): Record<string, unknown> {
  if (options.protocol === 'openai') {
    const messages = options.history
      .filter((m) => m.role !== 'notice' && m.text)
      .map((m) => ({ role: m.role === 'user' ? 'user' : 'assistant', content: m.text }));
    messages.push({ role: 'user', content: options.query });
    return { model: options.model ?? '', stream: true, messages };
  }
  const files = options.files?.length
    ? { files: options.files.map((f) => ({ type: f.type, transfer_method: 'local_file', upload_file_id: f.uploadFileId })) }
    : {};
  if (options.kind === 'workflow' || options.kind === 'completion') {
    // no conversation: the visitor's text is an input of the app
    const inputs = { ...options.inputs, [options.queryField || 'query']: options.query };
    return { inputs, response_mode: 'streaming', user: options.user, ...files };
  }
  return {
    query: options.query,
    inputs: options.inputs,
    conversation_id: options.conversationId,
    user: options.user,
    response_mode: 'streaming',
    ...files,
  };
}

/**
 * The first `maxBytes` of a body as text, then the rest is cancelled. A body that fails (or is aborted)
 * midway gives what arrived.
 */
export async function readLimited(response: Response, maxBytes = MAX_ERROR_BODY_BYTES): Promise<string> {
  if (!response.body) return '';
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let text = '';
  let size = 0;
  try {
    while (size < maxBytes) {
      const { value, done } = await reader.read();
      if (done) break;
      const piece = value.byteLength > maxBytes - size ? value.subarray(0, maxBytes - size) : value;
      size += piece.byteLength;
      text += decoder.decode(piece, { stream: true });
    }
  } catch {
    // unreadable or aborted: what arrived is all there is
  }
  reader.cancel().catch(() => undefined);
  return text + decoder.decode();
}

/**
 * Reads a failed response's body (at most MAX_ERROR_BODY_BYTES): its text, and the error it states in Dify's
 * or OpenAI's shape, if it is one.
 */
export async function readErrorBody(response: Response): Promise<{ text: string; error?: ServerError }> {
  const text = await readLimited(response);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  return { text, error: readServerError(parsed) };
}

/**
 * Reads a non-2xx response body into a ServerError (Dify `{code, message, status}`, OpenAI `{error}`, or
 * text). Reads at most MAX_ERROR_BODY_BYTES; the message is cut to MAX_ERROR_CHARS.
 */
export async function readErrorResponse(response: Response): Promise<ServerError> {
  const { text, error } = await readErrorBody(response);
  const plain = text.trim();
  return {
    message: clip(error?.message ?? (plain && !plain.startsWith('<') ? plain : ''), MAX_ERROR_CHARS),
    code: error?.code,
    status: response.status,
  };
}

/** Whether the server says the stored conversation cannot be continued (so start a new one). */
export function isLostConversation(error: ServerError): boolean {
  return (
    (error.status === 404 && error.code === 'not_found') ||
    (error.status === 400 && error.code === 'conversation_completed')
  );
}

/** Whether trying the same request again may help: rate limits, server errors, network trouble. */
export function isRetryable(error: ServerError): boolean {
  const status = error.status ?? 0;
  return status === 0 || status === 408 || status === 429 || status >= 500 ||
    error.code === 'too_many_requests' || error.code === 'rate_limit_error' ||
    error.code === 'completion_request_error' || error.code === 'internal_server_error';
}
