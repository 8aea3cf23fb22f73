// Loads ../syntaxes/trellis.tmLanguage.json with VS Code's own TextMate
// engine (vscode-textmate + vscode-oniguruma), for tokenize.js and render.js.
'use strict';

const fs = require('fs');
const path = require('path');
const vsctm = require('vscode-textmate');
const oniguruma = require('vscode-oniguruma');

const ROOT_SCOPE = 'source.trellis';
const GRAMMAR = path.join(__dirname, '..', 'syntaxes', 'trellis.tmLanguage.json');

async function loadGrammar() {
  const wasm = fs.readFileSync(require.resolve('vscode-oniguruma/release/onig.wasm'));
  const onigLib = oniguruma
    .loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength))
    .then(() => ({
      createOnigScanner: (patterns) => new oniguruma.OnigScanner(patterns),
      createOnigString: (text) => new oniguruma.OnigString(text),
    }));
  const registry = new vsctm.Registry({
    onigLib,
    loadGrammar: async (scopeName) =>
      scopeName === ROOT_SCOPE
        ? vsctm.parseRawGrammar(fs.readFileSync(GRAMMAR, 'utf8'), GRAMMAR)
        : null,
  });
  const grammar = await registry.loadGrammar(ROOT_SCOPE);
  if (!grammar) throw new Error(`cannot load ${GRAMMAR}`);
  return grammar;
}

module.exports = { ROOT_SCOPE, GRAMMAR, loadGrammar, INITIAL: vsctm.INITIAL };
