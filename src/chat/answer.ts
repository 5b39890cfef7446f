/**
 * Turns decoded stream items (Dify events, OpenAI chunks, blocking bodies, plain text) into the state of one
 * bot answer. Pure: no DOM, no Lit, no network. See SPEC §5 and the Dify protocol reference §2, §11.
 */
import type { StreamItem } from '../stream/decoder.js';
import type { AgentThought, Citation, MessageFile } from '../types.js';
import { safeUrl } from '../markdown/url.js';
import { isObject, str, type Json } from '../json.js';
import {
  MAX_ANSWER_CHARS,
  MAX_CITATION_CHARS,
  MAX_CITATIONS,
  MAX_FILES,
  MAX_THOUGHT_FIELD_CHARS,
  MAX_THOUGHTS,
  clip,
  validId,
} from '../limits.js';

/** An error reported inside the stream or in an error body. */
export interface ServerError {
  message: string;
  code?: string;
  status?: number;
}

/** Characters of the answer's start kept apart (`AnswerReader.plain`). */
const HEAD_CHARS = 64;
const THINK = '<think>';

/** The widget's own error for an answer that went past a limit (`src/limits.ts`). */
export const TOO_LARGE: ServerError = { message: '', code: 'too_large' };


/** Reads a Dify `{code, message, status}` or OpenAI `{error: {message, type, code}}` body; undefined if it is neither. */
export function readServerError(body: unknown): ServerError | undefined {
  if (!isObject(body)) return undefined;
  const inner = body.error;
  if (isObject(inner) && str(inner.message)) {
    return { message: inner.message as string, code: str(inner.code) ?? str(inner.type) };
  }
  if (str(inner)) return { message: inner as string };
  const message = str(body.message);
  if (message === undefined || !(str(body.code) || typeof body.status === 'number')) return undefined;
  return {
    message,
    code: str(body.code),
    status: typeof body.status === 'number' ? body.status : undefined,
  };
}

const num = (value: unknown): number | undefined => (typeof value === 'number' && Number.isFinite(value) ? value : undefined);
const short = (value: unknown, max = 500): string | undefined => {
  const s = str(value);
  return s === undefined ? undefined : clip(s, max);
};

/** The retriever resources of `message_end`/a blocking body (all of them: the caller enforces the limit). */
function readCitations(metadata: unknown): Citation[] {
  const list = isObject(metadata) ? metadata.retriever_resources : undefined;
  if (!Array.isArray(list)) return [];
  return list.filter(isObject).map((r) => ({
    position: num(r.position),
    datasetName: short(r.dataset_name),
    documentName: short(r.document_name),
    content: short(r.content, MAX_CITATION_CHARS),
    score: num(r.score),
  }));
}

/**
 * A workflow's final `outputs` as answer text: the one text output (or `answer`/`text`/`result`/`output`),
 * else all of them as a JSON code block.
 */
export function outputsText(outputs: Json): string {
  const texts = Object.entries(outputs).filter(([, v]) => typeof v === 'string') as [string, string][];
  const named = texts.find(([k]) => ['answer', 'text', 'result', 'output'].includes(k));
  if (named) return named[1];
  if (texts.length === 1 && Object.keys(outputs).length === 1) return texts[0][1];
  return Object.keys(outputs).length ? `\`\`\`json\n${JSON.stringify(outputs, null, 2)}\n\`\`\`` : '';
}

/** Friendly progress text for a Chatflow node, by its type. */
export type Progress = { kind: 'knowledge' } | { kind: 'node'; title: string } | { kind: 'working' };

/**
 * The answer being read. Call `apply()` for every decoded item; read the fields after each call.
 * `changed` tells whether anything visible changed since the last `takeChanged()`.
 */
export class AnswerReader {
  /** The whole answer so far, as the server sent it (may contain `<think>`). */
  text = '';
  thoughts: AgentThought[] = [];
  files: MessageFile[] = [];
  citations: Citation[] = [];
  progress?: Progress;
  conversationId?: string;
  taskId?: string;
  messageId?: string;
  /** A terminal event arrived: Dify `message_end` or a succeeded `workflow_finished`, OpenAI `[DONE]`/finish_reason, or a whole blocking body. */
  ended = false;
  /** Nothing more will come for this answer (so reading can stop): all terminal events but `workflow_finished`, which Chatflow may send before `message_end` and its citations. */
  complete = false;
  error?: ServerError;
  /** The body was recognised as a Dify event stream (so it must end with a terminal event). */
  sawDifyEvent = false;
  #sawAgentDelta = false;
  #dirty = false;
  /** The first characters of `text`, kept apart so reading them never copies a long, growing answer. */
  #head = '';

  /** @param baseUrl what relative file URLs are resolved against (the endpoint). */
  constructor(private readonly baseUrl?: string) {}

  /** True once after anything visible changed. */
  takeChanged(): boolean {
    const was = this.#dirty;
    this.#dirty = false;
    return was;
  }

  apply(item: StreamItem): void {
    if (this.error) return; // nothing changes a failed answer
    if (item.type === 'text') this.#append(item.text);
    else if (item.type === 'done') this.#end();
    else if (item.type === 'overflow') this.#fail(TOO_LARGE);
    else if (item.type === 'json' && isObject(item.value)) this.#applyObject(item.value, item.event);
    // `invalid` blocks are ignored: one garbled frame must not end the answer
  }

  #end(): void {
    this.ended = true;
    this.complete = true;
  }

  #append(text: string | undefined): void {
    if (!text) return;
    if (this.#head.length < HEAD_CHARS) this.#head = (this.#head + text).slice(0, HEAD_CHARS);
    this.#setText(this.text + text);
  }

  #replace(text: string): void {
    this.#head = text.slice(0, HEAD_CHARS);
    this.#setText(text);
  }

  /**
   * True when the answer does not start with a `<think>` block and never will (its first characters are
   * something else): then `text` is the visible answer as it is, without looking at the text itself.
   */
  get plain(): boolean {
    const start = this.#head.trimStart();
    return start.length >= THINK.length && !start.startsWith(THINK);
  }

  /** The answer becomes `text`, or as much of it as the limit allows and then a `too_large` error. */
  #setText(text: string): void {
    this.text = text.length > MAX_ANSWER_CHARS ? text.slice(0, MAX_ANSWER_CHARS) : text;
    this.progress = undefined;
    this.#dirty = true;
    if (text.length > MAX_ANSWER_CHARS) this.#fail(TOO_LARGE);
  }

  #applyObject(value: Json, sseEvent?: string): void {
    const event = str(value.event) ?? sseEvent;
    if (event) {
      this.#applyDifyEvent(event, value);
      return;
    }
    const choices = value.choices;
    if (Array.isArray(choices)) {
      this.#applyOpenAI(choices);
      return;
    }
    const error = readServerError(value);
    if (error) {
      this.#fail(error);
      return;
    }
    if (typeof value.answer === 'string') {
      // blocking Dify body without an event name: {answer, conversation_id, metadata…}
      this.#track(value);
      this.#applyBlocking(value);
    }
  }

  /** A blocking-mode body: the whole answer at once, with its citations. */
  #applyBlocking(value: Json): void {
    this.#replace(str(value.answer) ?? '');
    this.#setCitations(value.metadata);
    this.#end();
  }

  #setCitations(metadata: unknown): void {
    const citations = readCitations(metadata);
    this.citations = citations.slice(0, MAX_CITATIONS);
    if (citations.length > MAX_CITATIONS) this.#fail(TOO_LARGE);
  }

  #applyOpenAI(choices: unknown[]): void {
    const choice = choices[0];
    if (!isObject(choice)) return;
    const delta = choice.delta;
    const message = choice.message;
    if (isObject(delta)) this.#append(str(delta.content));
    else if (isObject(message)) {
      this.#replace(str(message.content) ?? '');
      this.#end();
    }
    if (str(choice.finish_reason)) this.#end();
  }

  /** Ids from the envelope; ids that are too long or contain path syntax are ignored (§6 limits). */
  #track(value: Json): void {
    const { conversation_id: conversationId, task_id: taskId, message_id: messageId } = value;
    // (every event repeats them: checked only when they change)
    if (!this.conversationId && validId(conversationId)) this.conversationId = conversationId;
    if (taskId !== this.taskId && validId(taskId)) this.taskId = taskId;
    if (messageId !== this.messageId && validId(messageId)) this.messageId = messageId;
  }

  #fail(error: ServerError): void {
    this.error = error;
    this.progress = undefined;
    this.#dirty = true;
  }

  #applyDifyEvent(event: string, value: Json): void {
    this.sawDifyEvent = true;
    this.#track(value);
    const answer = str(value.answer);
    const data = isObject(value.data) ? value.data : {};
    switch (event) {
      case 'agent_message':
        this.#sawAgentDelta = true;
        this.#append(answer);
        break;
      case 'message':
        if (typeof value.mode === 'string' || isObject(value.metadata)) {
          this.#applyBlocking(value); // Dify's blocking body also says "event": "message"
        } else if (this.#sawAgentDelta && answer !== undefined) {
          // New Agent apps close with one `message` carrying the complete answer: replace, don't duplicate
          this.#replace(answer);
        } else {
          this.#append(answer);
        }
        break;
      case 'message_replace':
        this.#replace(answer ?? '');
        break;
      case 'message_file':
        if (answer !== undefined) this.#append(answer); // Dify quirk: text deltas sent as message_file
        else this.#addFile(value);
        break;
      case 'agent_thought':
        this.#upsertThought(value);
        break;
      case 'message_end':
        this.#setCitations(value.metadata);
        this.#end();
        this.#dirty = true;
        break;
      case 'workflow_started':
        if (!this.text) this.#setProgress({ kind: 'working' });
        break;
      case 'node_started':
        if (!this.text) {
          const title = str(data.title);
          this.#setProgress(
            data.node_type === 'knowledge-retrieval'
              ? { kind: 'knowledge' }
              : title
                ? { kind: 'node', title }
                : { kind: 'working' },
          );
        }
        break;
      case 'workflow_finished':
        if (data.status === 'failed') {
          this.#fail({ message: str(data.error) ?? 'The workflow failed.', code: 'workflow_failed' });
        } else if (data.status === 'succeeded' || data.status === 'partial-succeeded') {
          this.ended = true;
          // a workflow run that streamed no text: its final outputs are the answer
          if (!this.text && isObject(data.outputs)) this.#replace(outputsText(data.outputs));
        }
        break;
      case 'error':
        this.#fail({
          message: str(value.message) ?? 'The bot reported an error.',
          code: str(value.code),
          status: typeof value.status === 'number' ? value.status : undefined,
        });
        break;
      case 'text_chunk':
        this.#append(str(data.text));
        break;
      default:
        // any other event with a string `answer` appends; ping, tts_* and unknown events are ignored
        this.#append(answer);
    }
  }

  #setProgress(progress: Progress): void {
    this.progress = progress;
    this.#dirty = true;
  }

  #addFile(value: Json): void {
    const type = str(value.type) ?? 'file';
    const url = str(value.url);
    const safe = url && type === 'image' ? safeUrl(url, 'image', this.baseUrl) : null;
    if (!safe) return;
    const id = validId(value.id) ? value.id : undefined;
    if (id && this.files.some((f) => f.id === id)) return;
    if (this.files.length >= MAX_FILES) return this.#fail(TOO_LARGE);
    this.files = [...this.files, { id, type, url: safe }];
    this.#dirty = true;
  }

  #upsertThought(value: Json): void {
    const id = validId(value.id) ? value.id : String(this.thoughts.length);
    const field = (v: unknown) => short(v, MAX_THOUGHT_FIELD_CHARS);
    const thought: AgentThought = {
      id,
      position: num(value.position),
      thought: field(value.thought),
      tool: short(value.tool, 200),
      toolInput: field(value.tool_input),
      observation: field(value.observation),
    };
    const index = this.thoughts.findIndex((t) => t.id === id);
    if (index < 0 && this.thoughts.length >= MAX_THOUGHTS) return this.#fail(TOO_LARGE);
    this.thoughts =
      index < 0
        ? [...this.thoughts, thought]
        : this.thoughts.map((t, i) => (i === index ? thought : t));
    this.#dirty = true;
  }
}
