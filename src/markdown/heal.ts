// Mid-stream cosmetics: make the unfinished end of an answer render as it will look once finished.

/** A line that ends inline markup before it: a heading or a table row. */
const ENDS = / {0,3}[#|]/y;
/** A line that starts a new block (and so ends the paragraph before it). */
const STARTS = / {0,3}(?:[#>|]|[-*+] |\d{1,9}[.)] )/y;

/**
 * Close dangling inline markers at the end of an incomplete markdown block so a stream mid-word does
 * not show raw markers (`**bo` → `**bo**`, `` `co `` → `` `co` ``, `~~x` → `~~x~~`,
 * `[text](http://a` → `text`, an unfinished image is dropped, a trailing lone `**` is dropped).
 * Only the last paragraph (after the last blank line) is changed, and only at its end (link syntax
 * inside it may be removed). Never touches fenced code content: inside an open fence the block is
 * returned unchanged. Only used while streaming.
 */
export function healMarkdown(block: string): string {
  // find the last paragraph-like segment, skipping fenced code
  let fence = '';
  let seg = 0;
  let pos = 0;
  for (const line of block.split('\n')) {
    const m = /^\s*(`{3,}|~{3,})(.*)/.exec(line);
    pos += line.length + 1;
    if (fence) {
      if (m && m[1][0] === fence[0] && m[1].length >= fence.length && !m[2].trim()) {
        fence = '';
        seg = pos;
      }
    } else if (m && !(m[1][0] === '`' && m[2].includes('`'))) fence = m[1];
    else if (!line.trim()) seg = pos;
  }
  if (fence) return block;

  let s = block.slice(seg);
  const ws = /\s*$/.exec(s)![0];
  s = s.slice(0, s.length - ws.length);
  const stack: string[] = [];
  let code = '';
  let extra = '';
  let lb = -1; // last unclosed '['
  let depth = 0; // emphasis stack depth at that '['
  let line = 0;
  for (let i = 0; i < s.length; ) {
    const c = s[i];
    let j = i + 1;
    if (c === '\\') {
      i += 2;
      continue;
    }
    if ('`*_~'.includes(c)) while (s[j] === c) j++;
    const run = s.slice(i, j);
    const end = j === s.length;
    if (c === '`') {
      // a code span closes with a run of exactly the same length
      let k = j;
      let e = 0;
      while ((k = s.indexOf(run, k)) >= 0) {
        for (e = k; s[e] === '`'; ) e++;
        if (e - k === run.length) break;
        k = e;
      }
      if (k >= 0) {
        i = e;
        continue;
      }
      // unclosed: close it (what follows is code), or drop a run with nothing after it
      if (end) s = s.slice(0, i);
      else code = run;
      break;
    }
    if (c === '*' || c === '_' || c === '~') {
      const prev = s[i - 1] || ' ';
      const next = s[j] || ' ';
      const top = stack[stack.length - 1];
      if (top?.[0] === c && /\S/.test(prev) && !(c === '_' && /\w/.test(next))) {
        stack.pop();
        if (end && run.length < top.length) extra = c.repeat(top.length - run.length);
      } else if (/\S/.test(next) && !(c === '_' && /\w/.test(prev))) stack.push(run);
      else if (end && !(run.length > 2 && !s.slice(line, i).trim())) {
        // a lone marker at the very end (not a thematic break): hide it until its text arrives
        s = s.slice(0, i);
        break;
      }
    } else if (c === '[') {
      lb = i;
      depth = stack.length;
    } else if (c === ']' && lb >= 0) {
      if (s[j] === '(') {
        const k = s.indexOf(')', j);
        if (k < 0) break; // unfinished destination: handled below
        j = k + 1;
      }
      lb = -1;
    } else if (c === '\n') {
      ENDS.lastIndex = line;
      STARTS.lastIndex = j;
      if (ENDS.test(s) || STARTS.test(s)) {
        // inline markup never spans these line boundaries
        stack.length = 0;
        lb = -1;
      }
      line = j;
    }
    i = j;
  }
  if (lb >= 0) {
    // unfinished link: keep its text only; drop an unfinished image
    const close = s.indexOf('](', lb);
    if (s[lb - 1] === '!') {
      s = s.slice(0, lb - 1);
      stack.length = depth;
    } else s = s.slice(0, lb) + s.slice(lb + 1, close < 0 ? s.length : close);
  }
  return block.slice(0, seg) + s + code + extra + stack.reverse().join('') + ws;
}
