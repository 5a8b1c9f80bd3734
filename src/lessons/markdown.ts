/**
 * Lesson prose is Markdown (marked, DOM-free). Two gates keep a hostile lesson file from running
 * anything:
 *
 * 1. `markdownProblems` (used by the parser): raw HTML and links or images with a scheme other
 *    than http(s)/mailto are refused with a clear message, so `npm run lessons -- check` tells the
 *    teacher at once.
 * 2. `renderMarkdown`: raw HTML is rendered as text, unsafe links as their text, and the result
 *    goes through the injected sanitizer (DOMPurify in the page) with a short allow-list, so even
 *    text that never went through the parser cannot bring script to a page.
 */
import { Marked, type Token, type Tokens } from 'marked';

/** What the page injects: DOMPurify's `sanitize` (the core has no DOM to build one). */
export interface HtmlSanitizer {
  sanitize(dirty: string, config: SanitizeConfig): string;
}

export interface SanitizeConfig {
  ALLOWED_TAGS: string[];
  ALLOWED_ATTR: string[];
  ALLOWED_URI_REGEXP: RegExp;
  ALLOW_DATA_ATTR: boolean;
  ALLOW_ARIA_ATTR: boolean;
}

/** Links a lesson may have: the web, mail addresses, and places in the lab (#/lessons). */
const SAFE_URL = /^(?:https?:\/\/|mailto:|#)/i;

export const SANITIZE_CONFIG: SanitizeConfig = {
  ALLOWED_TAGS: [
    'p',
    'h1',
    'h2',
    'h3',
    'h4',
    'h5',
    'h6',
    'ul',
    'ol',
    'li',
    'code',
    'pre',
    'em',
    'strong',
    'del',
    'a',
    'img',
    'blockquote',
    'table',
    'thead',
    'tbody',
    'tr',
    'th',
    'td',
    'br',
    'hr',
  ],
  ALLOWED_ATTR: ['href', 'title', 'src', 'alt', 'start', 'align'],
  ALLOWED_URI_REGEXP: SAFE_URL,
  ALLOW_DATA_ATTR: false,
  ALLOW_ARIA_ATTR: false,
};

const escapeHtml = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** Longest Markdown text the renderer takes (a lesson field is far shorter). */
export const MAX_MARKDOWN = 100_000;

const marked = new Marked({ gfm: true, breaks: false, async: false });
marked.use({
  renderer: {
    // Raw HTML is shown as the text it is, never as markup.
    html({ text }: Tokens.HTML | Tokens.Tag) {
      return escapeHtml(text);
    },
    link(token: Tokens.Link) {
      const inner = this.parser.parseInline(token.tokens);
      if (!SAFE_URL.test(token.href.trim())) return inner;
      const title = token.title ? ` title="${escapeHtml(token.title)}"` : '';
      return `<a href="${escapeHtml(token.href.trim())}"${title}>${inner}</a>`;
    },
    image(token: Tokens.Image) {
      if (!/^https?:\/\//i.test(token.href.trim())) return escapeHtml(token.text);
      return `<img src="${escapeHtml(token.href.trim())}" alt="${escapeHtml(token.text)}">`;
    },
  },
});

function lex(md: string): Token[] | string {
  if (md.length > MAX_MARKDOWN) return `too long (more than ${MAX_MARKDOWN} characters)`;
  try {
    return marked.lexer(md);
  } catch (err) {
    return err instanceof RangeError ? 'too deeply nested' : `not readable Markdown (${(err as Error).message})`;
  }
}

/** What is not allowed in lesson Markdown: raw HTML, links and images that are not http(s)/mailto/#. */
export function markdownProblems(md: string): string[] {
  const tokens = lex(md);
  if (typeof tokens === 'string') return [tokens];
  const problems: string[] = [];
  const seen = new Set<string>();
  const add = (p: string) => {
    if (!seen.has(p)) problems.push(p);
    seen.add(p);
  };
  try {
    marked.walkTokens(tokens, (t) => {
      if (t.type === 'html') {
        const tag = /^<\/?([A-Za-z][\w-]*)/.exec(t.raw.trim());
        add(
          `raw HTML is not allowed in lessons (found ${tag ? `<${tag[1]}>` : JSON.stringify(t.raw.trim().slice(0, 40))}); write Markdown, and put HTML you want to show in \`code\``,
        );
      } else if (t.type === 'link' && !SAFE_URL.test(t.href.trim())) {
        add(`link "${t.href.slice(0, 60)}" is not allowed: links start with https://, http://, mailto: or #`);
      } else if (t.type === 'image' && !/^https?:\/\//i.test(t.href.trim())) {
        add(`image "${t.href.slice(0, 60)}" is not allowed: images come from https:// or http://`);
      }
    });
  } catch (err) {
    if (err instanceof RangeError) return ['too deeply nested'];
    throw err;
  }
  return problems;
}

/** Markdown to HTML that is safe to put in a page: escaped raw HTML, safe links only, sanitized. */
export function renderMarkdown(md: string, sanitizer: HtmlSanitizer): string {
  let html: string;
  if (md.length > MAX_MARKDOWN) html = `<p>${escapeHtml(md.slice(0, MAX_MARKDOWN))}</p>`;
  else {
    try {
      html = marked.parse(md, { async: false }) as string;
    } catch {
      html = `<p>${escapeHtml(md)}</p>`;
    }
  }
  return sanitizer.sanitize(html, SANITIZE_CONFIG);
}

/** Markdown of one line (a hint, a status) without the surrounding paragraph. */
export function renderInlineMarkdown(md: string, sanitizer: HtmlSanitizer): string {
  let html: string;
  try {
    html = marked.parseInline(md.slice(0, MAX_MARKDOWN), { async: false }) as string;
  } catch {
    html = escapeHtml(md);
  }
  return sanitizer.sanitize(html, SANITIZE_CONFIG);
}
