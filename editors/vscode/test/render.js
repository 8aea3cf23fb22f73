#!/usr/bin/env node
// Renders a .trellis file as an SVG picture of highlighted code, coloured by
// the scopes that VS Code's TextMate engine (vscode-textmate +
// vscode-oniguruma) gives with ../syntaxes/trellis.tmLanguage.json.
//
//   node render.js FILE [--lines FIRST-LAST] [--title NAME] > out.svg
//
// --lines renders only that range of lines (the whole file is still
// tokenized, so a range that starts inside a block is coloured right);
// --title names the file in the tab above the code (default: FILE's name).
//
// The colours are a small map in the spirit of VS Code's Dark+ theme, not the
// theme itself: each token takes the colour of its innermost scope that the
// map knows, and of that scope the longest matching prefix. The SVG comes
// out right in browsers, librsvg and ImageMagick's own SVG renderer alike.
//
// docs/images/highlighted-example.{svg,png} were made from the repository
// root (after `npm ci` in this folder) with:
//
//   node editors/vscode/test/render.js examples/shop/orders.trellis --lines 1-42 \
//     > docs/images/highlighted-example.svg
//   convert -density 144 docs/images/highlighted-example.svg -depth 8 -strip \
//     docs/images/highlighted-example.png
'use strict';

const fs = require('fs');
const path = require('path');
const { ROOT_SCOPE, loadGrammar, INITIAL } = require('./grammar');

// Scope prefix => style. A prefix matches a scope equal to it or starting
// with it and a dot.
const THEME = {
  'comment': { color: '#6a9955' },
  'comment.line.documentation': { color: '#6a9955', italic: true },
  'keyword.declaration': { color: '#c586c0' },
  'keyword.other': { color: '#569cd6' },
  'keyword.operator': { color: '#d4d4d4' },
  'keyword.operator.word': { color: '#569cd6' },
  'keyword.operator.logical': { color: '#569cd6' },
  'storage.type': { color: '#4ec9b0' },
  'storage.modifier': { color: '#569cd6' },
  'entity.name.type': { color: '#4ec9b0', bold: true },
  'entity.name.tag': { color: '#d7ba7d' },
  'entity.name.namespace': { color: '#4ec9b0' },
  'entity.name.function': { color: '#dcdcaa' },
  'variable.other.member': { color: '#9cdcfe' },
  'variable.other.old-name': { color: '#9cdcfe' },
  'variable.parameter': { color: '#9cdcfe' },
  'string': { color: '#ce9178' },
  'constant.character.escape': { color: '#d7ba7d' },
  'constant.numeric': { color: '#b5cea8' },
  'constant.language': { color: '#569cd6' },
  'support.constant': { color: '#4ec9b0' },
  'support.type': { color: '#4ec9b0' },
};
const DEFAULT_STYLE = { color: '#d4d4d4' };

const BACKGROUND = '#1e1e1e';
const TAB_BAR = '#252526';
const LINE_NUMBER = '#858585';
const FONT_FAMILY = 'DejaVu Sans Mono'; // one name: ImageMagick's renderer takes no list
// 13.3px rather than 14: ImageMagick's renderer draws DejaVu Sans Mono at
// any size from 13.3 to 14.1 with the glyphs of 13.3, 8px apart (12px at
// -density 144), so only at 13.3 do its glyphs sit on the same grid as in a
// browser or librsvg. Each piece of text is placed at its column on that grid.
const FONT_SIZE = 13.3;
const CHAR_WIDTH = FONT_SIZE * (1233 / 2048); // DejaVu Sans Mono's advance: 8.007px
const LINE_HEIGHT = 19;
const TAB_SIZE = 2;

function styleOf(scopes) {
  for (let i = scopes.length - 1; i >= 0; i--) {
    const scope = scopes[i].replace(/\.trellis$/, '');
    let best;
    for (const prefix of Object.keys(THEME)) {
      if ((scope === prefix || scope.startsWith(prefix + '.')) && (!best || prefix.length > best.length)) {
        best = prefix;
      }
    }
    if (best) return THEME[best];
  }
  return DEFAULT_STYLE;
}

function escapeXml(text) {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]);
}

function usage(message) {
  if (message) console.error(`render.js: ${message}`);
  console.error('usage: node render.js FILE [--lines FIRST-LAST] [--title NAME] > out.svg');
  process.exit(2);
}

function parseArgs(argv) {
  const options = { file: undefined, first: 1, last: Infinity, title: undefined };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--lines') {
      const match = /^(\d+)-(\d+)$/.exec(argv[++i] || '');
      if (!match) usage('--lines takes FIRST-LAST, e.g. 1-40');
      options.first = Number(match[1]);
      options.last = Number(match[2]);
      if (options.first < 1 || options.last < options.first) usage(`bad line range ${argv[i]}`);
    } else if (arg === '--title') {
      if (i + 1 >= argv.length) usage('--title takes a name');
      options.title = argv[++i];
    } else if (arg.startsWith('-')) {
      usage(`unknown option ${arg}`);
    } else if (options.file === undefined) {
      options.file = arg;
    } else {
      usage('one FILE only');
    }
  }
  if (options.file === undefined) usage();
  if (options.title === undefined) options.title = path.basename(options.file);
  return options;
}

/// The lines of the file, each as a list of { column, text, style } pieces:
/// neighbouring tokens of one style make one piece, blanks between them go
/// with them, and a run of two or more blanks ends a piece (each piece is
/// placed at its own column, so no renderer has to keep blanks).
function tokenize(grammar, source) {
  const lines = source.split('\n');
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  let stack = INITIAL;
  return lines.map((raw) => {
    const line = raw.replace(/\r$/, '');
    const result = grammar.tokenizeLine(line, stack);
    stack = result.ruleStack;
    // Characters with their styles, tabs expanded; blanks have no style.
    const cells = [];
    for (const token of result.tokens) {
      const style = styleOf(token.scopes);
      for (const c of line.slice(token.startIndex, Math.min(token.endIndex, line.length))) {
        if (c === '\t') {
          do cells.push({ c: ' ', style: null }); while (cells.length % TAB_SIZE !== 0);
        } else {
          cells.push({ c, style: /\s/.test(c) ? null : style });
        }
      }
    }
    const pieces = [];
    let piece = null;
    cells.forEach((cell, column) => {
      if (cell.style === null) {
        if (piece) piece.text += ' ';
        return;
      }
      const blanks = piece ? piece.text.length - piece.text.trimEnd().length : 0;
      if (!piece || piece.style !== cell.style || blanks >= 2) {
        if (piece) piece.text = piece.text.trimEnd();
        piece = { column, text: '', style: cell.style };
        pieces.push(piece);
      }
      piece.text += cell.c;
    });
    if (piece) piece.text = piece.text.trimEnd();
    return { pieces, width: cells.length };
  });
}

// ImageMagick's own SVG renderer (what `convert` uses when it is built
// without librsvg) takes a text that starts or ends with a quote for a quoted
// string and drops the quote. Such a piece gets a no-break space before it
// (starting one column early) or after it, which every renderer draws as
// nothing (librsvg keeps it only with xml:space="preserve").
function shielded(piece) {
  let { column, text } = piece;
  if (/^['"]/.test(text)) {
    column -= 1;
    text = '\u00a0' + text;
  }
  if (/['"]$/.test(text)) text += '\u00a0';
  return { column, text };
}

function render(lines, first, title) {
  const numberWidth = String(first + lines.length - 1).length;
  const gutter = 16 + numberWidth * CHAR_WIDTH + 24; // left margin, numbers, gap
  const tabHeight = 35;
  const top = tabHeight + 10;
  const maxColumns = Math.max(40, ...lines.map((l) => l.width));
  const width = Math.ceil(gutter + maxColumns * CHAR_WIDTH + 24);
  const height = Math.ceil(top + lines.length * LINE_HEIGHT + 12);
  const baseline = (index) => (top + index * LINE_HEIGHT + 14).toFixed(1);
  const x = (column) => (gutter + column * CHAR_WIDTH).toFixed(2);
  const tabWidth = Math.ceil(Math.max(140, (title.length + 6) * 7.5));

  // Plain attributes, stroke="none" and one <text> per piece: ImageMagick's
  // own renderer gets those right too.
  const out = [];
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">`,
    `<rect width="${width}" height="${height}" fill="${BACKGROUND}" stroke="none"/>`,
    `<rect width="${width}" height="${tabHeight}" fill="${TAB_BAR}" stroke="none"/>`,
    `<rect width="${tabWidth}" height="${tabHeight}" fill="${BACKGROUND}" stroke="none"/>`,
    `<text x="16" y="22" font-family="DejaVu Sans" font-size="13" stroke="none" fill="#ffffff">${escapeXml(title)}</text>`,
    `<g font-family="${FONT_FAMILY}" font-size="${FONT_SIZE}" stroke="none">`
  );
  lines.forEach((line, index) => {
    const number = String(first + index);
    const y = baseline(index);
    out.push(`<text x="${x(-2 - number.length)}" y="${y}" fill="${LINE_NUMBER}">${number}</text>`);
    for (const piece of line.pieces) {
      const { column, text } = shielded(piece);
      const s = piece.style;
      const attrs = [`x="${x(column)}"`, `y="${y}"`, `fill="${s.color}"`, 'xml:space="preserve"'];
      if (s.italic) attrs.push('font-style="italic"');
      if (s.bold) attrs.push('font-weight="bold"');
      out.push(`<text ${attrs.join(' ')}>${escapeXml(text)}</text>`);
    }
  });
  out.push('</g>', '</svg>');
  return out.join('\n') + '\n';
}

async function main() {
  const options = parseArgs(process.argv.slice(2));
  let source;
  try {
    source = fs.readFileSync(options.file, 'utf8');
  } catch (error) {
    console.error(`render.js: cannot read ${options.file}: ${error.message}`);
    process.exit(2);
  }
  const grammar = await loadGrammar();
  const all = tokenize(grammar, source);
  if (options.first > all.length) usage(`${options.file} has ${all.length} lines`);
  const lines = all.slice(options.first - 1, Math.min(options.last, all.length));
  process.stdout.write(render(lines, options.first, options.title));
}

main().catch((error) => {
  console.error(error && error.stack ? error.stack : String(error));
  process.exit(2);
});
