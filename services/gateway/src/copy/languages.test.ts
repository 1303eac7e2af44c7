import { COPY } from './languages';

/**
 * Where two copy trees differ: a key one language has and the other lacks, a sentence whose numbers
 * (the rules it states: limits, minutes, examples) or HTML tags differ, and a template that takes other
 * parameters or shows other data (`d.invoiceId`, `qty`…) than its twin.
 */
function differences(id: unknown, en: unknown, path = 'copy'): string[] {
  if (typeof id !== typeof en) return [`${path}: ${typeof id} in id, ${typeof en} in en`];
  if (typeof id === 'function') {
    const [a, b] = [placeholders(id as Fn), placeholders(en as Fn)];
    return a === b ? [] : [`${path}: uses ${a} in id, ${b} in en`];
  }
  if (typeof id === 'string') {
    const [a, b] = [fixed(id), fixed(en as string)];
    return a === b ? [] : [`${path}: states ${a} in id, ${b} in en`];
  }
  if (id && typeof id === 'object') {
    const [a, b] = [id as Record<string, unknown>, en as Record<string, unknown>];
    return [...new Set([...Object.keys(a), ...Object.keys(b)])].flatMap((key) =>
      !(key in a)
        ? [`${path}.${key}: missing in id`]
        : !(key in b)
          ? [`${path}.${key}: missing in en`]
          : differences(a[key], b[key], `${path}.${key}`),
    );
  }
  return id === en ? [] : [`${path}: ${String(id)} in id, ${String(en)} in en`];
}

type Fn = (...args: never[]) => unknown;

/** "(d) d.invoiceId d.totalPayment": the parameters, then every use of them in the body, sorted. */
function placeholders(fn: Fn): string {
  const source = fn.toString();
  const params = /^(?:function\s*\w*\s*)?\(([^)]*)\)|^(\w+)\s*=>/.exec(source);
  const names = (params?.[1] ?? params?.[2] ?? '')
    .split(',')
    .map((p) => p.split('=')[0].trim())
    .filter(Boolean);
  const body = codeOnly(source.slice(params?.[0].length ?? 0));
  const uses = names.flatMap(
    (name) => body.match(new RegExp(`(?<![\\w.])${name}(?:\\??\\.\\w+)*(?!\\w)`, 'g')) ?? [],
  );
  return `(${names.join(', ')}) ${[...new Set(uses.map((u) => u.replace(/\?\./g, '.')))].sort().join(' ')}`;
}

/**
 * The source without its comments and the words inside its strings ("Fraud flags: none" is no use of
 * `flags`); what `${…}` holds stays.
 */
function codeOnly(source: string): string {
  let code = '';
  const stack: string[] = ['code']; // 'code' | a quote | '`'; a template's `${` pushes 'code' with a brace
  let braces = [0];
  for (let i = 0; i < source.length; i++) {
    const c = source[i];
    const top = stack[stack.length - 1];
    if (top === 'code') {
      if (c === '/' && source[i + 1] === '/')
        i = source.indexOf('\n', i) === -1 ? source.length : source.indexOf('\n', i);
      else if (c === '/' && source[i + 1] === '*') i = source.indexOf('*/', i) + 1;
      else if (c === "'" || c === '"' || c === '`') stack.push(c);
      else if (c === '{') braces[braces.length - 1]++;
      else if (c === '}' && stack.length > 1 && braces[braces.length - 1] === 0) {
        stack.pop();
        braces = braces.slice(0, -1);
        continue;
      } else if (c === '}') braces[braces.length - 1]--;
      code += c;
    } else if (c === '\\') i++;
    else if (c === top) stack.pop();
    else if (top === '`' && c === '$' && source[i + 1] === '{') {
      stack.push('code');
      braces = [...braces, 0];
      code += ' ';
      i++;
    }
  }
  return code;
}

/** What a finished sentence states that no translation may change: its numbers and its markup. */
const fixed = (sentence: string) =>
  [...(sentence.match(/\d+(?:[.,]\d+)*/g) ?? []), ...(sentence.match(/<\/?\w+[^>]*>/g) ?? [])]
    .sort()
    .join(' ');

describe('the two languages', () => {
  it('have every key of each other, with the same data in each text', () => {
    expect(differences(COPY.id, COPY.en)).toEqual([]);
  });

  it('name the language button the same in both, so anyone finds it', () => {
    expect(COPY.id.buttons.language).toBe('🌐 Bahasa / Language');
    expect(COPY.en.buttons.language).toBe(COPY.id.buttons.language);
  });

  it('tell a missing key, a sentence with another number, and a template showing other data', () => {
    const id = {
      a: 'Halo',
      b: 'Minimal 5 menit',
      nested: { c: (d: { x: number; y: number }) => `${d.x} ${d.y}` },
      d: (n: number) => `<b>${n}</b>`,
    };
    const en = {
      b: 'At least 10 minutes',
      nested: { c: (d: { x: number; y: number }) => `${d.x}` },
      d: (m: number) => `<b>${m}</b>`,
      extra: 'Hi',
    };
    expect(differences(id, en)).toEqual([
      'copy.a: missing in en',
      'copy.b: states 5 in id, 10 in en',
      'copy.nested.c: uses (d) d.x d.y in id, (d) d.x in en',
      'copy.d: uses (n) n in id, (m) m in en',
      'copy.extra: missing in id',
    ]);
  });
});
