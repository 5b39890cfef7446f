/**
 * Dify's stored messages (`GET {api}/messages`) as transcript entries: each Dify message is a question and
 * its answer. Every field is checked like a stored transcript (`repairMessage`). Pure.
 */
import { repairMessage } from '../chat/repair.js';
import { isObject, str } from '../json.js';
import type { ChatMessage } from '../types.js';
import type { DifyMessage } from './api.js';


/** Image URLs of a message's files that belong to `who` (Dify: `belongs_to` user / assistant). */
function images(files: unknown, who: string, base?: string): { id?: string; type: string; url: string }[] {
  if (!Array.isArray(files)) return [];
  const out: { id?: string; type: string; url: string }[] = [];
  for (const f of files) {
    if (!isObject(f) || (f.type !== 'image' && !String(f.mime_type ?? '').startsWith('image/'))) continue;
    if ((str(f.belongs_to) ?? 'assistant') !== who) continue;
    const url = str(f.url);
    if (!url) continue;
    try {
      out.push({ id: str(f.id), type: 'image', url: new URL(url, base).href });
    } catch {
      // not a URL
    }
  }
  return out;
}

/** One Dify message → the visitor's question and the bot's answer (repaired; broken entries dropped). */
export function fromDifyMessage(m: DifyMessage, base?: string): ChatMessage[] {
  const id = str(m.id);
  if (!id) return [];
  const createdAt = typeof m.created_at === 'number' ? m.created_at * 1000 : 0;
  const feedback = isObject(m.feedback) ? m.feedback.rating : undefined;
  const question = repairMessage({ id: `u-${id}`, role: 'user', text: str(m.query) ?? '', createdAt, files: images(m.message_files, 'user', base) });
  const failed = m.status === 'error';
  const answer = repairMessage({
    id: `b-${id}`,
    role: 'bot',
    text: str(m.answer) ?? '',
    status: failed ? 'error' : 'done',
    error: failed ? (str(m.error) ?? '') : undefined,
    messageId: id,
    rating: feedback,
    createdAt,
    files: images(m.message_files, 'assistant', base),
    citations: Array.isArray(m.retriever_resources)
      ? m.retriever_resources.filter(isObject).map((r) => ({
          position: r.position,
          datasetName: r.dataset_name,
          documentName: r.document_name,
          content: r.content,
          score: r.score,
        }))
      : undefined,
    thoughts: Array.isArray(m.agent_thoughts)
      ? m.agent_thoughts.filter(isObject).map((t) => ({
          id: t.id,
          position: t.position,
          thought: t.thought,
          tool: t.tool,
          toolInput: t.tool_input,
          observation: t.observation,
        }))
      : undefined,
  });
  return [question, answer].filter((x): x is ChatMessage => Boolean(x));
}

/** A page of Dify messages (oldest first) as transcript entries. */
export function fromDifyMessages(messages: DifyMessage[], base?: string): ChatMessage[] {
  return messages.flatMap((m) => fromDifyMessage(m, base));
}
