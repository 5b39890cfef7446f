/**
 * Part "form" (`dist/dify-chat-form.js`): the pre-chat form from the app's `user_input_form` (SPEC §15):
 * text, paragraph, select and number fields, required and maximum length enforced, the answers kept per
 * storage key and sent as `inputs` with the first message. Fields the page fills through `inputs` are not
 * asked.
 */
import type { TemplateResult } from 'lit/html.js';
import type { FormField } from '../app/config.js';
import type { PartHost } from '../app/host.js';
import { format } from '../strings.js';

type Values = Record<string, string>;

/** Errors shown under the fields, by element (the part has no state of its own otherwise). */
const errors = new WeakMap<PartHost, Map<string, string>>();

/** The fields the widget asks (the page's `inputs` answer the others). */
export const asked = (host: PartHost, fields: FormField[]) => fields.filter((f) => !(f.variable in host.inputs));

/** The stored answers (defaults for fields never answered). */
export function values(host: PartHost, fields: FormField[]): Values {
  let stored: unknown;
  try {
    stored = JSON.parse(host.storage.get('form') ?? '{}');
  } catch {
    stored = {};
  }
  const out: Values = {};
  for (const f of fields) {
    const v = (stored as Record<string, unknown>)?.[f.variable];
    out[f.variable] = typeof v === 'string' ? v.slice(0, f.maxLength ?? 100_000) : (f.default ?? '');
  }
  return out;
}

function save(host: PartHost, fields: FormField[], variable: string, value: string): void {
  const all = values(host, fields);
  all[variable] = value;
  host.storage.set('form', JSON.stringify(all));
  errors.get(host)?.delete(variable);
}

/** What is wrong with one answer, or '' when it is fine. */
export function problem(field: FormField, value: string, t: PartHost['strings']): string {
  const v = value.trim();
  if (!v) return field.required ? format(field.type === 'select' ? t.formChoose : t.formRequired, { label: field.label }) : '';
  if (field.maxLength && v.length > field.maxLength) return format(t.formTooLong, { label: field.label, max: field.maxLength });
  if (field.type === 'number' && !Number.isFinite(Number(v))) return format(t.formNumber, { label: field.label });
  if (field.type === 'select' && !field.options?.includes(v)) return format(t.formChoose, { label: field.label });
  return '';
}

/**
 * Checks every asked field. Returns the `inputs` to send, or undefined after showing what is missing
 * (focus moves to the first field to fix; the typed message stays in the composer).
 */
export function check(host: PartHost, all: FormField[]): Record<string, unknown> | undefined {
  const fields = asked(host, all);
  const answers = values(host, fields);
  const found = new Map<string, string>();
  const inputs: Record<string, unknown> = {};
  for (const f of fields) {
    const error = problem(f, answers[f.variable], host.strings);
    if (error) found.set(f.variable, error);
    else if (answers[f.variable].trim()) inputs[f.variable] = f.type === 'number' ? Number(answers[f.variable]) : answers[f.variable].trim();
  }
  errors.set(host, found);
  if (!found.size) return inputs;
  host.requestUpdate();
  host.announce([...found.values()][0], true);
  return undefined;
}

export function render(host: PartHost, all: FormField[]): TemplateResult | unknown {
  const { kit, strings: t } = host;
  const { html, nothing } = kit;
  const fields = asked(host, all);
  if (!fields.length) return nothing;
  const answers = values(host, fields);
  const shown = errors.get(host);
  const id = (f: FormField) => `form-${f.variable}`;
  const input = (f: FormField) => (e: Event) => {
    save(host, all, f.variable, (e.target as HTMLInputElement).value);
    host.requestUpdate();
  };
  const control = (f: FormField) => {
    const error = shown?.get(f.variable);
    const common = { id: id(f), invalid: error ? 'true' : 'false', described: error ? `${id(f)}-error` : nothing };
    switch (f.type) {
      case 'paragraph':
        return html`<textarea id=${common.id} name=${f.variable} rows="3" maxlength=${f.maxLength ?? nothing} ?required=${f.required}
          aria-invalid=${common.invalid} aria-describedby=${common.described} .value=${answers[f.variable]} @input=${input(f)}></textarea>`;
      case 'select':
        return html`<select id=${common.id} name=${f.variable} ?required=${f.required} aria-invalid=${common.invalid}
          aria-describedby=${common.described} @change=${input(f)}>
          <option value="" ?selected=${!answers[f.variable]}>—</option>
          ${f.options!.map((o) => html`<option value=${o} ?selected=${answers[f.variable] === o}>${o}</option>`)}
        </select>`;
      default:
        return html`<input id=${common.id} name=${f.variable} type=${f.type === 'number' ? 'number' : 'text'}
          inputmode=${f.type === 'number' ? 'decimal' : nothing} maxlength=${f.type === 'number' ? nothing : (f.maxLength ?? nothing)}
          ?required=${f.required} aria-invalid=${common.invalid} aria-describedby=${common.described}
          .value=${answers[f.variable]} @input=${input(f)} />`;
    }
  };
  return html`<form part="form" class="form" novalidate @submit=${(e: Event) => e.preventDefault()}>
    <p class="form-title">${t.formTitle}</p>
    ${fields.map((f) => {
      const error = shown?.get(f.variable);
      return html`<div class="field">
        <label for=${id(f)}>${f.label}${f.required ? html`<span aria-hidden="true"> *</span>` : html` <span class="optional">(${t.optional})</span>`}</label>
        ${control(f)}
        ${error ? html`<span class="field-error" id=${`${id(f)}-error`}>${error}</span>` : nothing}
      </div>`;
    })}
  </form>`;
}

export const styles = `
.form { display: flex; flex-direction: column; gap: 10px; padding: 14px; border: 1px solid var(--_border); border-radius: var(--_radius); background: var(--_bg); }
.form-title { margin: 0; font-weight: 650; }
.field { display: flex; flex-direction: column; gap: 4px; }
.field label { font-size: 0.86em; font-weight: 600; }
.optional { color: var(--_muted); font-weight: 400; }
.field :is(input, textarea, select) { min-height: 44px; padding: 8px 10px; border: 1px solid var(--_border); border-radius: 10px; background: var(--_bg); color: inherit; font: inherit; }
.field textarea { resize: vertical; }
.field [aria-invalid='true'] { border-color: var(--_error); }
.field-error { color: var(--_error); font-size: 0.82em; }
@media (max-width: 640px) { .field :is(input, textarea, select) { font-size: max(16px, 1em); } }
`;

export { partStrings as strings } from '../app/strings.js';
