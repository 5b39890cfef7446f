/**
 * A Dify app's own configuration, read from `{api}/info`, `{api}/parameters` and `{api}/site` (SPEC §15,
 * dify-protocol.md §5), into what the widget needs. Pure: no DOM, no Lit, no network. Every field is
 * checked; anything missing or malformed is left out, so the widget falls back to its attributes.
 */
import { isObject, type Json } from '../json.js';

export type AppMode = 'chat' | 'agent-chat' | 'advanced-chat' | 'agent' | 'workflow' | 'completion';
/** How the widget talks to the app: a conversation, a workflow run, or a text completion. */
export type AppKind = 'chat' | 'workflow' | 'completion';
export type FieldType = 'text-input' | 'paragraph' | 'select' | 'number';
export type FileKind = 'image' | 'document' | 'audio' | 'video' | 'custom';

/** One field of the pre-chat form (`user_input_form`). */
export interface FormField {
  variable: string;
  label: string;
  type: FieldType;
  required: boolean;
  maxLength?: number;
  options?: string[];
  default?: string;
}

/** What files the visitor may attach (`file_upload` + `system_parameters`). */
export interface FileRules {
  enabled: boolean;
  kinds: FileKind[];
  /** Lower-case extensions with the dot, for the `custom` kind. */
  extensions: string[];
  /** Most files per message. */
  limit: number;
  /** Largest size in bytes, by kind. */
  maxBytes: Record<FileKind, number>;
}

export interface AppConfig {
  mode?: AppMode;
  kind: AppKind;
  title?: string;
  welcome?: string;
  suggestions: string[];
  placeholder?: string;
  /** Accent colour, and a text colour on it that meets 4.5:1 (the accent is darkened when neither does). */
  accent?: string;
  accentText?: string;
  avatar?: { url?: string; emoji?: string; background?: string };
  disclaimer?: string;
  /** The app's language (`default_language`, e.g. `en-US`, `zh-Hans`). */
  language?: string;
  followups: boolean;
  tts: { enabled: boolean; autoPlay: boolean; voice?: string };
  stt: boolean;
  files: FileRules;
  form: FormField[];
  /** Workflow and completion apps: the variable that receives the visitor's text (else `query`). */
  queryField?: string;
}

const text = (v: unknown, max = 2000): string | undefined =>
  typeof v === 'string' && v.trim() ? v.slice(0, max) : undefined;
const enabled = (v: unknown): boolean => isObject(v) && v.enabled === true;
const MB = 1024 * 1024;

const MODES: readonly AppMode[] = ['chat', 'agent-chat', 'advanced-chat', 'agent', 'workflow', 'completion'];
const FIELD_TYPES: readonly FieldType[] = ['text-input', 'paragraph', 'select', 'number'];
const FILE_KINDS: readonly FileKind[] = ['image', 'document', 'audio', 'video', 'custom'];

/** `#rgb` / `#rrggbb` → [r, g, b] (0–255), or undefined. */
export function parseHex(color: string): [number, number, number] | undefined {
  const m = /^#([\da-f]{3}|[\da-f]{6})$/i.exec(color.trim());
  if (!m) return undefined;
  const hex = m[1].length === 3 ? [...m[1]].map((c) => c + c).join('') : m[1];
  return [0, 2, 4].map((i) => parseInt(hex.slice(i, i + 2), 16)) as [number, number, number];
}

const hex = (rgb: number[]) => `#${rgb.map((c) => Math.round(c).toString(16).padStart(2, '0')).join('')}`;

function luminance([r, g, b]: number[]): number {
  const f = (c: number) => {
    const x = c / 255;
    return x <= 0.03928 ? x / 12.92 : ((x + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
}

/** WCAG contrast ratio of two colours. */
export function contrastRatio(a: number[], b: number[]): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}

/**
 * The app's colour as an accent with readable text on it: white or near-black, whichever contrasts more;
 * when neither reaches 4.5:1 the colour is darkened step by step until white text does.
 */
export function accessibleAccent(color: string): { accent: string; text: string } | undefined {
  let rgb = parseHex(color);
  if (!rgb) return undefined;
  const white = [255, 255, 255];
  const dark = [17, 24, 39];
  for (let i = 0; i < 20; i++) {
    const onWhite = contrastRatio(rgb, white);
    const onDark = contrastRatio(rgb, dark);
    if (onDark >= 4.5 && onDark > onWhite) return { accent: hex(rgb), text: '#111827' };
    if (onWhite >= 4.5) return { accent: hex(rgb), text: '#ffffff' };
    rgb = rgb.map((c) => c * 0.9) as [number, number, number];
  }
  return undefined;
}

function readField(entry: unknown): FormField | undefined {
  // `{ "text-input": { label, variable, required, max_length, default, options } }`
  if (!isObject(entry)) return undefined;
  const type = FIELD_TYPES.find((t) => isObject(entry[t]));
  if (!type) return undefined; // file, file-list, external data tools…: not asked by the widget
  const f = entry[type] as Json;
  const variable = text(f.variable, 100);
  if (!variable || !/^[\w-]+$/.test(variable)) return undefined;
  const field: FormField = { variable, label: text(f.label, 200) ?? variable, type, required: f.required === true };
  if (typeof f.max_length === 'number' && f.max_length > 0) field.maxLength = Math.min(f.max_length, 100_000);
  if (type === 'select') {
    field.options = Array.isArray(f.options) ? f.options.filter((o): o is string => typeof o === 'string').slice(0, 200) : [];
    if (!field.options.length) return undefined;
  }
  const value = typeof f.default === 'number' ? String(f.default) : text(f.default);
  if (value !== undefined) field.default = value;
  return field;
}

function readFiles(upload: unknown, system: unknown): FileRules {
  const u = isObject(upload) ? upload : {};
  const sys = isObject(system) ? system : {};
  const size = (key: string, fallback: number) => {
    const v = sys[key];
    return (typeof v === 'number' && v > 0 ? v : fallback) * MB;
  };
  const image = isObject(u.image) ? u.image : {};
  let kinds = Array.isArray(u.allowed_file_types)
    ? FILE_KINDS.filter((k) => (u.allowed_file_types as unknown[]).includes(k))
    : [];
  // older apps only have the image block
  if (!kinds.length && image.enabled === true) kinds = ['image'];
  const methods = Array.isArray(u.allowed_file_upload_methods)
    ? u.allowed_file_upload_methods
    : Array.isArray(image.transfer_methods)
      ? image.transfer_methods
      : ['local_file'];
  const limit = typeof u.number_limits === 'number' ? u.number_limits : typeof image.number_limits === 'number' ? image.number_limits : 3;
  return {
    enabled: (u.enabled === true || image.enabled === true) && kinds.length > 0 && methods.includes('local_file'),
    kinds,
    extensions: Array.isArray(u.allowed_file_extensions)
      ? u.allowed_file_extensions.filter((e): e is string => typeof e === 'string').map((e) => (e.startsWith('.') ? e : `.${e}`).toLowerCase())
      : [],
    limit: Math.max(0, Math.min(Math.floor(limit), 20)),
    maxBytes: {
      image: size('image_file_size_limit', 10),
      document: size('file_size_limit', 15),
      audio: size('audio_file_size_limit', 50),
      video: size('video_file_size_limit', 100),
      custom: size('file_size_limit', 15),
    },
  };
}

/** Reads the three configuration bodies (any of them may be missing: its request failed). */
export function readAppConfig(info?: unknown, parameters?: unknown, site?: unknown, apiBase?: string): AppConfig {
  const i = isObject(info) ? info : {};
  const p = isObject(parameters) ? parameters : {};
  const s = isObject(site) ? site : {};
  const mode = MODES.find((m) => m === i.mode);
  const kind: AppKind = mode === 'workflow' ? 'workflow' : mode === 'completion' ? 'completion' : 'chat';
  let form = Array.isArray(p.user_input_form) ? p.user_input_form.map(readField).filter((f): f is FormField => Boolean(f)) : [];
  let queryField: string | undefined;
  if (kind !== 'chat') {
    // the visitor's text goes into the first text/paragraph variable, which the form then does not ask
    queryField = form.find((f) => f.type === 'text-input' || f.type === 'paragraph')?.variable;
    form = form.filter((f) => f.variable !== queryField);
  }
  const tts = isObject(p.text_to_speech) ? p.text_to_speech : {};
  const color = text(s.chat_color_theme, 20);
  const accent = color ? accessibleAccent(color) : undefined;
  const config: AppConfig = {
    mode,
    kind,
    title: text(s.title, 120) ?? text(i.name, 120),
    welcome: text(p.opening_statement, 20_000),
    suggestions: Array.isArray(p.suggested_questions)
      ? p.suggested_questions.filter((q): q is string => typeof q === 'string' && Boolean(q.trim())).slice(0, 10).map((q) => q.slice(0, 500))
      : [],
    placeholder: text(s.input_placeholder, 200),
    accent: accent?.accent,
    accentText: accent?.text,
    disclaimer: text(s.custom_disclaimer, 1000),
    language: text(s.default_language, 20),
    followups: kind === 'chat' && enabled(p.suggested_questions_after_answer),
    tts: { enabled: enabled(tts), autoPlay: tts.autoPlay === 'enabled', voice: text(tts.voice, 100) },
    stt: enabled(p.speech_to_text),
    files: readFiles(p.file_upload, p.system_parameters),
    form,
    queryField,
  };
  if (s.icon_type === 'image' && typeof s.icon_url === 'string') {
    try {
      const url = new URL(s.icon_url, apiBase);
      if (url.protocol === 'https:' || url.protocol === 'http:') config.avatar = { url: url.href };
    } catch {
      // no picture
    }
  } else if (s.icon_type === 'emoji' && typeof s.icon === 'string' && [...s.icon].length <= 4) {
    const background = text(s.icon_background, 20);
    config.avatar = { emoji: s.icon, background: background && parseHex(background) ? background : undefined };
  }
  return config;
}
