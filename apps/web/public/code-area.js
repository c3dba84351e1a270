// Code <textarea> behaviour: Tab inserts two spaces (Esc, then Tab, moves focus on as usual, so
// keyboard users are never trapped), and the caret can be put on a 1-based line and column —
// the positions the API reports for syntax errors (counted in characters of the original source).

const INDENT = '  ';

/** Inserts text at the caret, keeping the browser's undo history where it can. */
function insert(area, text) {
  area.focus();
  // execCommand keeps Ctrl+Z working; setRangeText is the fallback where it is unavailable.
  const done = typeof document.execCommand === 'function' && document.execCommand('insertText', false, text);
  if (!done) {
    area.setRangeText(text, area.selectionStart, area.selectionEnd, 'end');
    area.dispatchEvent(new Event('input', { bubbles: true }));
  }
}

export function enhanceCodeArea(area) {
  let escaped = false;
  area.addEventListener('keydown', (e) => {
    if (e.key === 'Escape') { escaped = true; return; }
    if (e.key === 'Tab' && !e.shiftKey && !e.ctrlKey && !e.altKey && !e.metaKey && !escaped) {
      e.preventDefault();
      insert(area, INDENT);
      return;
    }
    escaped = false;
  });
  area.addEventListener('blur', () => { escaped = false; });
}

/** Character offset of a 1-based line/column in `text` (clamped to the text). */
export function offsetOf(text, line, column) {
  const lines = text.split('\n');
  const l = Math.min(Math.max(1, Math.trunc(line) || 1), lines.length);
  let offset = 0;
  for (let i = 0; i < l - 1; i++) offset += lines[i].length + 1;
  const c = Math.min(Math.max(1, Math.trunc(column) || 1), lines[l - 1].length + 1);
  return offset + c - 1;
}

/** Focuses the area with the caret at line:column and scrolls that line into view. */
export function moveCaret(area, line, column) {
  const offset = offsetOf(area.value, line, column);
  area.focus();
  area.setSelectionRange(offset, offset);
  const lineHeight = parseFloat(getComputedStyle(area).lineHeight) || 16;
  const target = (Math.max(1, line) - 1) * lineHeight;
  if (target < area.scrollTop || target > area.scrollTop + area.clientHeight - lineHeight) {
    area.scrollTop = Math.max(0, target - area.clientHeight / 3);
  }
}
