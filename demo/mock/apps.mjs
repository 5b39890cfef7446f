// Mock Dify apps: what /info, /parameters and /site say, by app. The default app answers behind
// /api/dify; tests make more with POST /api/_mock/apps (see demo/mock-dify.mjs for the contract).
import { randomBytes } from 'node:crypto';

export const DEFAULT_APP_ID = 'default';
export const MODES = ['chat', 'agent-chat', 'advanced-chat', 'workflow', 'completion'];
export const CHAT_MODES = new Set(['chat', 'agent-chat', 'advanced-chat', 'agent']);
const MAX_APPS = 200;

/** Dify's system_parameters (sizes in MB), as a self-hosted instance reports them by default. */
const SYSTEM_PARAMETERS = {
  image_file_size_limit: 10,
  video_file_size_limit: 100,
  audio_file_size_limit: 50,
  file_size_limit: 15,
  workflow_file_upload_limit: 10,
};

/** The default app's /parameters: every feature on (Chatflow features dict + the newer file_upload keys). */
export function defaultParameters(mode = 'advanced-chat') {
  const chat = CHAT_MODES.has(mode);
  const nameField = {
    'text-input': { label: 'Your name', variable: 'name', type: 'text-input', required: false, max_length: 48, default: '', options: [] },
  };
  return {
    opening_statement: chat
      ? "Hi! I'm **Pink**, the Blossom & Brew tea assistant. Ask me about orders, shipping or our teas. ☕"
      : null,
    suggested_questions: chat ? ['What teas do you sell?', 'How long does shipping take?', 'Can I return an opened pouch?'] : [],
    suggested_questions_after_answer: { enabled: chat },
    speech_to_text: { enabled: true },
    text_to_speech: { enabled: true, voice: 'alloy', language: 'en-US', autoPlay: 'disabled' },
    retriever_resource: { enabled: true },
    annotation_reply: { enabled: false },
    more_like_this: { enabled: false },
    // workflow and completion apps take the visitor's text in their first text/paragraph variable
    user_input_form: chat
      ? [nameField]
      : [
          { paragraph: { label: 'Question', variable: 'question', type: 'paragraph', required: true, max_length: 4000, default: '', options: [] } },
          nameField,
        ],
    sensitive_word_avoidance: { enabled: false, type: '', configs: [] },
    file_upload: {
      enabled: true,
      allowed_file_types: ['image', 'document'],
      // only consulted for the "custom" type, as in Dify
      allowed_file_extensions: [],
      allowed_file_upload_methods: ['local_file', 'remote_url'],
      number_limits: 3,
      image: { enabled: true, number_limits: 3, detail: 'high', transfer_methods: ['local_file', 'remote_url'] },
      fileUploadConfig: { ...SYSTEM_PARAMETERS, batch_count_limit: 5 },
    },
    system_parameters: { ...SYSTEM_PARAMETERS },
  };
}

export function defaultSite() {
  return {
    title: 'Blossom & Brew',
    chat_color_theme: '#be185d',
    chat_color_theme_inverted: false,
    icon_type: 'emoji',
    icon: '🍵',
    icon_background: '#FDE7F1',
    icon_url: null,
    description: 'The Blossom & Brew help desk: orders, shipping and our teas.',
    copyright: 'Blossom & Brew',
    privacy_policy: 'https://example.com/privacy',
    custom_disclaimer: 'Answers are written by AI and may be wrong. Check order details in your account.',
    default_language: 'en-US',
    show_workflow_steps: true,
    use_icon_as_answer_icon: false,
  };
}

export function defaultInfo(mode = 'advanced-chat') {
  return {
    name: 'Blossom & Brew',
    description: 'Mock Dify app served by npm start.',
    tags: [],
    mode,
    author_name: 'Blossom & Brew',
  };
}

const isObject = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);

/**
 * Make an app from a `POST /api/_mock/apps` body: `{ mode?, parameters?, site?, info?, fail? }`.
 * Overrides are merged onto the defaults one top-level key at a time (a key given replaces the default
 * value whole). Throws a message string for a bad config.
 */
export function makeApp(id, config = {}) {
  if (!isObject(config)) throw 'The app config must be a JSON object.';
  const mode = config.mode ?? config.info?.mode ?? 'advanced-chat';
  if (!MODES.includes(mode)) throw `mode must be one of ${MODES.join(', ')}.`;
  for (const key of ['parameters', 'site', 'info', 'fail']) {
    if (config[key] !== undefined && !isObject(config[key])) throw `${key} must be an object.`;
  }
  const fail = {};
  for (const [route, status] of Object.entries(config.fail ?? {})) {
    if (!['parameters', 'site', 'info', 'meta'].includes(route)) throw `fail.${route}: only parameters, site, info and meta can fail.`;
    if (!Number.isInteger(status) || status < 400 || status > 599) throw `fail.${route} must be an HTTP status 400-599.`;
    fail[route] = status;
  }
  return {
    id,
    key: id === DEFAULT_APP_ID ? 'app-mock-default' : `app-mock-${id}-${randomBytes(6).toString('hex')}`,
    mode,
    parameters: { ...defaultParameters(mode), ...(config.parameters ?? {}) },
    site: { ...defaultSite(), ...(config.site ?? {}) },
    info: { ...defaultInfo(mode), ...(config.info ?? {}), mode },
    fail,
    /** conversation id → { id, user, inputs, messages: [message ids], createdAt } */
    conversations: new Map(),
    /** message id → stored message (chat and completion) */
    messages: new Map(),
    /** upload id → { meta, bytes, user } */
    files: new Map(),
    fileBytes: 0,
    /** every request the upstream received for this app, oldest first (capped) */
    requests: [],
    /** task id → { wire, user, kind } */
    running: new Map(),
    /** end-user string → stable uuid (created_by) */
    endUsers: new Map(),
  };
}

/** The registry of apps: by id and by key. */
export function createApps() {
  const byId = new Map();
  const byKey = new Map();
  const add = (app) => {
    byId.set(app.id, app);
    byKey.set(app.key, app);
    while (byId.size > MAX_APPS) {
      // forget the oldest test app (never the default one)
      const oldest = [...byId.values()].find((a) => a.id !== DEFAULT_APP_ID);
      if (!oldest) break;
      byId.delete(oldest.id);
      byKey.delete(oldest.key);
    }
    return app;
  };
  add(makeApp(DEFAULT_APP_ID));
  return {
    byId,
    byKey,
    create(config) {
      const id = `a${randomBytes(5).toString('hex')}`;
      return add(makeApp(id, config));
    },
  };
}
