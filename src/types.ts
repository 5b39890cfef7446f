/** Who wrote a message. `notice` is a quiet line from the widget itself (e.g. "A new conversation started"). */
export type Role = 'user' | 'bot' | 'notice';

/** Where a bot answer is in its life. */
export type MessageStatus = 'pending' | 'streaming' | 'done' | 'stopped' | 'error';

/** One agent step (Dify `agent_thought`), upserted by `id` as it fills in. */
export interface AgentThought {
  id: string;
  position?: number;
  thought?: string;
  tool?: string;
  toolInput?: string;
  observation?: string;
}

/** A file the bot produced (Dify `message_file`). `url` is already checked and resolved. */
export interface MessageFile {
  id?: string;
  type: string;
  url: string;
}

/** A knowledge-base source of an answer (Dify `metadata.retriever_resources`). */
export interface Citation {
  position?: number;
  datasetName?: string;
  documentName?: string;
  content?: string;
  score?: number;
}

/** One entry of the transcript (`el.messages`). */
export interface ChatMessage {
  id: string;
  role: Role;
  /** User text, or the bot's answer (markdown, without any `<think>` block). */
  text: string;
  status?: MessageStatus;
  /** Reasoning from a leading `<think>…</think>` span, shown collapsed. */
  thinking?: string;
  thoughts?: AgentThought[];
  files?: MessageFile[];
  citations?: Citation[];
  /** The error shown in a failed answer. */
  error?: string;
  /** The code of that error (see `ChatError.code`). */
  errorCode?: string;
  /** Whether trying the failed answer again may help (a Retry button is offered). */
  retryable?: boolean;
  /** The text was shortened to fit the stored transcript's limit. */
  truncated?: boolean;
  /** The server's id of this answer (Dify `message_id`), used for feedback and follow-ups. */
  messageId?: string;
  /** The visitor's feedback on this answer. */
  rating?: 'like' | 'dislike';
  /** Unix milliseconds. */
  createdAt: number;
}

/** What went wrong with a request, as shown in `part="error"`. */
export interface ChatError {
  message: string;
  /** Dify error code (`not_found`, `too_many_requests`, …) or a widget code (`network`, `timeout`, `empty`,
   *  `incomplete`, `too_large`, `config`). */
  code?: string;
  /** HTTP status, when there was one. */
  status?: number;
  /** Whether trying again may help (network, timeout, 429, 5xx, a dropped stream). */
  retryable: boolean;
}

/** Request body shape. */
export type Protocol = 'dify' | 'openai';
