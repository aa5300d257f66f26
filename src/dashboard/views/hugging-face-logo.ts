import { raw, type SafeHtml } from "../../internal/html.js";

// The 🤗 drawn inline: a machine without an emoji font (a server, a minimal Linux desktop) shows a box instead of
// the character. Same size as the text around it; screen readers read the emoji.
const SVG = `<svg class="hf-logo" role="img" aria-label="🤗" viewBox="0 0 32 32" width="1.1em" height="1.1em"><circle cx="16" cy="16" r="14" fill="#FFD21E"/><circle cx="11" cy="13" r="2" fill="#3A3B45"/><circle cx="21" cy="13" r="2" fill="#3A3B45"/><path d="M9.5 18.5c1.5 3.5 4 5 6.5 5s5-1.5 6.5-5" fill="none" stroke="#3A3B45" stroke-width="2" stroke-linecap="round"/><ellipse cx="6.5" cy="22" rx="3.5" ry="2.6" fill="#FF9D0B"/><ellipse cx="25.5" cy="22" rx="3.5" ry="2.6" fill="#FF9D0B"/></svg>`;

/**
 * The Hugging Face emoji as an inline SVG (never tofu).
 * @example
 * html`<h1>${huggingFaceLogo()} Webhooks dashboard</h1>`;
 */
export function huggingFaceLogo(): SafeHtml {
  return raw(SVG);
}

/** The same drawing as a favicon (`/favicon.ico`, which browsers ask for by themselves). @example FAVICON_SVG.startsWith("<svg"); */
export const FAVICON_SVG = SVG.replace(' class="hf-logo" role="img" aria-label="🤗"', ' xmlns="http://www.w3.org/2000/svg"').replace(' width="1.1em" height="1.1em"', "");

/**
 * HTML with every 🤗 drawn as the logo (the landing text says "🤗 Webhooks"): the dashboard's header and its token
 * page alike, so neither shows a missing glyph.
 * @example
 * withHuggingFaceLogo(landingContent(info));
 */
export function withHuggingFaceLogo(content: SafeHtml): SafeHtml {
  return raw(content.toString().replaceAll("🤗", SVG));
}
