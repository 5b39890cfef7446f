/**
 * The Service API routes the widget uses (SPEC §15), and nothing else. Each route is a fixed list of
 * path segments, where `:id` stands for one id segment that must match {@link ID_SEGMENT}.
 */

/** Names of the forwarded routes (usable in `options.routes` to forward fewer). */
export type DifyRouteName =
  | 'chat'
  | 'chat-stop'
  | 'parameters'
  | 'site'
  | 'info'
  | 'meta'
  | 'messages'
  | 'suggested'
  | 'feedback'
  | 'upload'
  | 'audio-to-text'
  | 'text-to-audio'
  | 'workflow'
  | 'workflow-stop'
  | 'completion'
  | 'completion-stop';

/** What a request body must be for a route. */
export type BodyKind = 'none' | 'json' | 'multipart';

export interface DifyRoute {
  readonly name: DifyRouteName;
  readonly method: 'GET' | 'POST';
  /** path segments below the prefix; `:id` is one id segment */
  readonly segments: readonly string[];
  readonly body: BodyKind;
  /** query parameters passed on (GET routes); any other is dropped */
  readonly query: readonly string[];
}

/** Task, message and conversation ids: UUIDs in Dify, but any short token of these characters. */
export const ID_SEGMENT = /^[A-Za-z0-9_-]{1,64}$/;

/** A literal path segment of a route. */
const WORD_SEGMENT = /^[a-z][a-z0-9-]{0,31}$/;

const route = (
  name: DifyRouteName,
  method: 'GET' | 'POST',
  path: string,
  body: BodyKind,
  query: readonly string[] = [],
): DifyRoute => ({ name, method, segments: path.split('/'), body, query });

export const ROUTES: readonly DifyRoute[] = [
  route('chat', 'POST', 'chat-messages', 'json'),
  route('chat-stop', 'POST', 'chat-messages/:id/stop', 'json'),
  route('parameters', 'GET', 'parameters', 'none', ['user']),
  route('site', 'GET', 'site', 'none', ['user']),
  route('info', 'GET', 'info', 'none', ['user']),
  route('meta', 'GET', 'meta', 'none', ['user']),
  route('messages', 'GET', 'messages', 'none', ['conversation_id', 'user', 'first_id', 'limit']),
  route('suggested', 'GET', 'messages/:id/suggested', 'none', ['user']),
  route('feedback', 'POST', 'messages/:id/feedbacks', 'json'),
  route('upload', 'POST', 'files/upload', 'multipart'),
  route('audio-to-text', 'POST', 'audio-to-text', 'multipart'),
  route('text-to-audio', 'POST', 'text-to-audio', 'json'),
  route('workflow', 'POST', 'workflows/run', 'json'),
  route('workflow-stop', 'POST', 'workflows/tasks/:id/stop', 'json'),
  route('completion', 'POST', 'completion-messages', 'json'),
  route('completion-stop', 'POST', 'completion-messages/:id/stop', 'json'),
];

export type PathMatch =
  | { kind: 'route'; route: DifyRoute; segments: string[] }
  /** the path exists for another method */
  | { kind: 'method'; allow: string[] }
  | { kind: 'none' };

/**
 * Normalise a prefix option: `''` or `/a/b` (leading slash, no trailing slash, plain segments only).
 */
export function normalisePrefix(prefix: string | undefined): string {
  const trimmed = (prefix ?? '').trim().replace(/\/+$/, '');
  if (!trimmed) return '';
  const withSlash = trimmed.startsWith('/') ? trimmed : `/${trimmed}`;
  if (!/^(\/[A-Za-z0-9_~-][A-Za-z0-9._~-]*)+$/.test(withSlash) || /\/\.\.?(\/|$)/.test(withSlash)) {
    throw new TypeError('createDifyProxy: prefix must be a plain path such as "/api/dify"');
  }
  return withSlash;
}

/** Whether a (raw) path is the prefix itself or below it (`/api/difyx` is not below `/api/dify`). */
export function underPrefix(path: string, prefix: string): boolean {
  if (!prefix) return path.startsWith('/');
  return path === prefix || path.startsWith(`${prefix}/`);
}

/**
 * Refuse path tricks in a raw (not yet normalised) path: dot segments, percent-encoded dots, slashes
 * and backslashes, empty segments, control characters. Returns true when the path is clean.
 */
export function isCleanPath(rawPath: string): boolean {
  if (rawPath.length > 2048 || !rawPath.startsWith('/')) return false;
  if (/[\\\x00-\x20\x7f]/.test(rawPath)) return false;
  if (/%(2e|2f|5c|00)/i.test(rawPath)) return false;
  if (rawPath.includes('//')) return false;
  return !rawPath.split('/').some((segment) => segment === '.' || segment === '..');
}

/** Match the part of the path below the prefix (e.g. `chat-messages/abc/stop`) against the routes. */
export function matchRoute(rest: string, method: string, enabled: ReadonlySet<DifyRouteName>): PathMatch {
  if (rest === '' || rest.length > 512) return { kind: 'none' };
  const parts = rest.split('/');
  if (parts.length > 4) return { kind: 'none' };
  const allow: string[] = [];
  for (const r of ROUTES) {
    if (!enabled.has(r.name) || r.segments.length !== parts.length) continue;
    const fits = r.segments.every((seg, i) =>
      seg === ':id' ? ID_SEGMENT.test(parts[i]!) : WORD_SEGMENT.test(parts[i]!) && seg === parts[i],
    );
    if (!fits) continue;
    if (r.method === method) return { kind: 'route', route: r, segments: parts };
    allow.push(r.method);
  }
  return allow.length ? { kind: 'method', allow } : { kind: 'none' };
}
