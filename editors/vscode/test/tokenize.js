#!/usr/bin/env node
// Tokenizes .trellis files with the TextMate engine of VS Code
// (vscode-textmate + vscode-oniguruma) and ../syntaxes/trellis.tmLanguage.json.
//
//   node tokenize.js FILE...
//
// For each file it prints `== FILE`, then for each line `N: <line>` followed
// by one line per token, `    <text> => <scopes>`, the scopes from the
// outermost inwards without the root scope `source.trellis`; whitespace-only
// tokens are left out. The output depends only on the grammar and the files.
//
// Exit status 1 when a token falls back to no scope: every token that is not
// whitespace or one of the punctuation characters { } ( ) , ; must carry a
// scope other than `source.trellis` and the `meta.*` region scopes. That is
// how a keyword, a type or a name that the grammar does not recognise shows up.
'use strict';

const fs = require('fs');
const { ROOT_SCOPE, loadGrammar, INITIAL } = require('./grammar');
const EXEMPT = /[\s{}(),;]/g;

/// Whether a token's scopes say anything beyond the root and meta regions.
function isScoped(scopes) {
  return scopes.some((s) => s !== ROOT_SCOPE && !s.startsWith('meta.'));
}

function tokenizeFile(grammar, file, out, problems) {
  const lines = fs.readFileSync(file, 'utf8').split('\n');
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  out.push(`== ${file}`);
  let stack = INITIAL;
  lines.forEach((raw, index) => {
    const line = raw.replace(/\r$/, '');
    const result = grammar.tokenizeLine(line, stack);
    stack = result.ruleStack;
    out.push(line === '' ? `${index + 1}:` : `${index + 1}: ${line}`);
    for (const token of result.tokens) {
      const text = line.slice(token.startIndex, Math.min(token.endIndex, line.length));
      if (text.trim() === '') continue;
      const scopes = token.scopes.filter((s) => s !== ROOT_SCOPE);
      out.push(`    ${text} => ${scopes.length ? scopes.join(' ') : ROOT_SCOPE}`);
      if (!isScoped(token.scopes) && text.replace(EXEMPT, '') !== '') {
        problems.push(`${file}:${index + 1}:${token.startIndex + 1}: "${text}" has no scope`);
      }
    }
  });
}

async function main() {
  const files = process.argv.slice(2);
  if (files.length === 0) {
    console.error('usage: node tokenize.js FILE...');
    process.exit(2);
  }
  const grammar = await loadGrammar();
  const out = [];
  const problems = [];
  for (const file of files) tokenizeFile(grammar, file, out, problems);
  process.stdout.write(out.join('\n') + '\n');
  if (problems.length) {
    console.error(`${problems.length} token(s) without a scope:\n${problems.join('\n')}`);
    process.exitCode = 1;
  }
}

main().catch((error) => {
  console.error(error && error.stack ? error.stack : String(error));
  process.exit(2);
});
