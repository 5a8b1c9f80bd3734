// @vitest-environment jsdom
/**
 * Lesson Markdown rendered for a page: DOMPurify (on jsdom here, on the page's window there)
 * behind the renderer's own escaping, so no lesson text can bring script, handlers or
 * javascript: links to a page.
 */
import createDOMPurify from 'dompurify';
import { describe, expect, it } from 'vitest';
import { renderInlineMarkdown, renderMarkdown, type HtmlSanitizer } from '../../src/lessons/markdown';
import { parseLesson } from '../../src/lessons/parse';
import { fixture } from './helpers';

// The page injects the same: DOMPurify bound to its window.
const purify: HtmlSanitizer = createDOMPurify(window);

/** Parses HTML in a fresh document and reports anything that could run. */
function dangers(html: string): string[] {
  const doc = new DOMParser().parseFromString(`<body>${html}</body>`, 'text/html');
  const found: string[] = [];
  for (const el of doc.body.querySelectorAll('*')) {
    if (['SCRIPT', 'IFRAME', 'OBJECT', 'EMBED', 'STYLE', 'FORM'].includes(el.tagName)) found.push(el.tagName);
    for (const a of el.attributes) {
      if (/^on/i.test(a.name)) found.push(`${el.tagName}@${a.name}`);
      if (/^(href|src)$/i.test(a.name) && /^\s*(javascript|vbscript|data):/i.test(a.value))
        found.push(`${el.tagName}@${a.name}=${a.value}`);
    }
  }
  return found;
}

describe('renderMarkdown', () => {
  it('renders lesson Markdown: emphasis, code, lists, tables and safe links', () => {
    const html = renderMarkdown(
      'Type `USER alice`, **then** *PASS*.\n\n- one\n- two\n\n| a | b |\n| - | - |\n| 1 | 2 |\n\n[RFC 1939](https://www.rfc-editor.org/rfc/rfc1939) and [lessons](#/lessons)',
      purify,
    );
    expect(html).toContain('<code>USER alice</code>');
    expect(html).toContain('<strong>then</strong>');
    expect(html).toContain('<li>one</li>');
    expect(html).toContain('<td>1</td>');
    expect(html).toContain('<a href="https://www.rfc-editor.org/rfc/rfc1939">RFC 1939</a>');
    expect(html).toContain('<a href="#/lessons">lessons</a>');
    expect(dangers(html)).toEqual([]);
  });

  it('shows raw HTML as text and drops unsafe links, even without the parser', () => {
    const hostile = [
      'Hi <script>globalThis.pwned = 1</script>',
      '<img src=x onerror="globalThis.pwned = 1">',
      '[click](javascript:globalThis.pwned=1) [x](JaVaScRiPt:alert(1)) [d](data:text/html,<b>x</b>)',
      '![pic](javascript:alert(1))',
      '<a href="javascript:alert(1)">a</a> <iframe src="https://evil.example"></iframe>',
      '<svg onload=alert(1)>',
      '`<b>code</b>`',
    ].join('\n\n');
    const html = renderMarkdown(hostile, purify);
    expect(dangers(html)).toEqual([]);
    expect(html).toContain('&lt;script&gt;');
    expect(html).toContain('click');
    expect(html).not.toMatch(/<a [^>]*href="(javascript|data):/i);
    expect(html).toContain('<code>&lt;b&gt;code&lt;/b&gt;</code>');
    expect((globalThis as { pwned?: number }).pwned).toBeUndefined();
  });

  it('even if a renderer let markup through, the sanitizer has the last word', () => {
    // A sanitizer that refuses nothing shows what the renderer alone does; DOMPurify shows the gate.
    const raw = renderMarkdown('<b onclick="x()">bold</b>', { sanitize: (h) => h });
    expect(raw).not.toContain('<b onclick');
    const direct = purify.sanitize('<p><b onclick="x()">b</b><script>x()</script></p>', {
      ALLOWED_TAGS: ['p', 'b'],
      ALLOWED_ATTR: [],
      ALLOWED_URI_REGEXP: /^https?:/,
      ALLOW_DATA_ATTR: false,
      ALLOW_ARIA_ATTR: false,
    });
    expect(direct).toBe('<p><b>b</b></p>');
  });

  it('renders every field of a hostile lesson file safely, and inline hints too', () => {
    const text = fixture('hostile-script.md');
    // The parser refuses the file; a page that renders its parts anyway still runs nothing.
    expect(() => parseLesson(text)).toThrow(/raw HTML is not allowed/);
    for (const part of text.split('\n')) {
      expect(dangers(renderMarkdown(part, purify))).toEqual([]);
      expect(dangers(renderInlineMarkdown(part, purify))).toEqual([]);
    }
    expect(renderInlineMarkdown('Type `QUIT`.', purify)).toBe('Type <code>QUIT</code>.');
  });
});
