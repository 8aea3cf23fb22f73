// The Trellis extension for VS Code. Highlighting comes from the TextMate
// grammar and the language configuration declared in package.json; this file
// only starts the language server, `trellisc lsp`, over stdio, when trellisc
// can be found. Plain JavaScript: no build step.
'use strict';

const fs = require('fs');
const os = require('os');
const path = require('path');
const vscode = require('vscode');

const SETTING = 'trellis.server.path';
const MISSING_SERVER_SHOWN = 'trellis.missingServerShown';

/** @type {import('vscode-languageclient/node').LanguageClient | undefined} */
let client;

function isExecutableFile(file) {
  try {
    if (!fs.statSync(file).isFile()) return false;
    if (process.platform !== 'win32') fs.accessSync(file, fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The `trellis.server.path` setting, or '' when it is not set. */
function configuredCommand() {
  return vscode.workspace.getConfiguration().get(SETTING, '').trim();
}

/**
 * The program to run: the setting if given, else `trellisc`. A name without
 * a directory is looked up on the PATH. Undefined when there is no such program.
 */
function findServer(command) {
  if (command.startsWith('~')) command = path.join(os.homedir(), command.slice(1));
  if (command.includes('/') || command.includes('\\')) {
    return isExecutableFile(command) ? path.resolve(command) : undefined;
  }
  const suffixes =
    process.platform === 'win32' ? ['', ...(process.env.PATHEXT || '.EXE;.CMD;.BAT').split(';')] : [''];
  for (const dir of (process.env.PATH || '').split(path.delimiter)) {
    if (!dir) continue;
    for (const suffix of suffixes) {
      const candidate = path.join(dir, command + suffix);
      if (isExecutableFile(candidate)) return candidate;
    }
  }
  return undefined;
}

async function startClient(context) {
  const configured = configuredCommand();
  const command = findServer(configured || 'trellisc');
  if (!command) {
    if (configured) {
      vscode.window.showErrorMessage(
        `Trellis: "${SETTING}" is "${configured}", which is not a program; the language server is not running.`
      );
    } else if (!context.globalState.get(MISSING_SERVER_SHOWN)) {
      // Said once: highlighting works without the server.
      context.globalState.update(MISSING_SERVER_SHOWN, true);
      vscode.window
        .showInformationMessage(
          'Trellis: `trellisc` is not on the PATH, so .trellis files are highlighted but not checked or ' +
            `formatted. Install trellisc, or set "${SETTING}" to where it is.`,
          'Open Settings'
        )
        .then((choice) => {
          if (choice) vscode.commands.executeCommand('workbench.action.openSettings', SETTING);
        });
    }
    return;
  }

  let languageClient;
  try {
    languageClient = require('vscode-languageclient/node');
  } catch {
    vscode.window.showErrorMessage(
      'Trellis: the vscode-languageclient module is missing: run `npm install` in the extension folder.'
    );
    return;
  }
  const { LanguageClient, TransportKind } = languageClient;
  const watcher = vscode.workspace.createFileSystemWatcher('**/*.trellis');
  context.subscriptions.push(watcher);
  client = new LanguageClient(
    'trellis',
    'Trellis language server',
    { command, args: ['lsp'], transport: TransportKind.stdio },
    {
      documentSelector: [
        { scheme: 'file', language: 'trellis' },
        { scheme: 'untitled', language: 'trellis' },
      ],
      synchronize: { fileEvents: watcher },
    }
  );
  try {
    await client.start();
  } catch (error) {
    vscode.window.showErrorMessage(`Trellis: \`${command} lsp\` did not start: ${error && error.message}`);
  }
}

async function stopClient() {
  const running = client;
  client = undefined;
  if (running) await running.stop();
}

async function activate(context) {
  context.subscriptions.push(
    vscode.workspace.onDidChangeConfiguration(async (event) => {
      if (!event.affectsConfiguration(SETTING)) return;
      await stopClient();
      await startClient(context);
    })
  );
  await startClient(context);
}

function deactivate() {
  return stopClient();
}

module.exports = { activate, deactivate };
