import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { Command } from 'commander';
import { registerImagesCommand } from '../../../src/cli/images/images-command.js';
import { UserError } from '../../../src/cli/user-error.js';

function program(): Command {
  const partita = new Command('partita').exitOverride().configureOutput({ writeErr: () => {}, writeOut: () => {} });
  registerImagesCommand(partita);
  for (const command of partita.commands) command.exitOverride().configureOutput({ writeErr: () => {}, writeOut: () => {} });
  return partita;
}

test('images command: an unknown image name is a UserError listing the images', async () => {
  await assert.rejects(program().parseAsync(['images', 'fetch', 'ubuntu'], { from: 'user' }), (e: unknown) => e instanceof UserError && e.message === 'unknown image "ubuntu"; images: debian, xen');
  await assert.rejects(program().parseAsync(['images', 'path', 'fedora'], { from: 'user' }), UserError);
});

test('images command: `images path debian|xen` before a fetch is a UserError saying what to run', async () => {
  process.env['XDG_CACHE_HOME'] = mkdtempSync(join(tmpdir(), 'partita-images-cmd-'));
  await assert.rejects(program().parseAsync(['images', 'path', 'debian'], { from: 'user' }), /run: partita images fetch debian/);
  await assert.rejects(program().parseAsync(['images', 'path', 'xen'], { from: 'user' }), /run: partita images fetch xen/);
});
