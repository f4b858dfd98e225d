/**
 * The Content-Security-Policy of every page of the desk, in both shells (sent as a header from app:// in Electron
 * and from loopback in browser mode; the renderer's index.html carries the same as a meta tag). No inline script,
 * no eval, nothing from the network; `blob:` frames only for showing a receipt PDF produced in the page.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "font-src 'self'",
  "connect-src 'self'",
  "frame-src 'self' blob:",
  "worker-src 'none'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');
