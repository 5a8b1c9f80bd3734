/**
 * Lesson prose as safe HTML for the page: the lessons layer renders the Markdown (raw HTML
 * escaped, unsafe links dropped) and DOMPurify, made here because only the page has a DOM,
 * sanitizes the result with the lessons layer's allow-list.
 */
import DOMPurify from 'dompurify';
import { renderInlineMarkdown, renderMarkdown, type HtmlSanitizer } from '../../lessons/index';

let sanitizer: HtmlSanitizer | null = null;

function purifier(): HtmlSanitizer {
  if (!sanitizer) {
    const purify = DOMPurify(window);
    sanitizer = { sanitize: (dirty, config) => purify.sanitize(dirty, config) };
  }
  return sanitizer;
}

/** A block of lesson Markdown (a prompt, an explanation, the introduction) as sanitized HTML. */
export function html(md: string): string {
  return renderMarkdown(md, purifier());
}

/** One line of lesson Markdown (a hint) without the paragraph around it. */
export function inlineHtml(md: string): string {
  return renderInlineMarkdown(md, purifier());
}
