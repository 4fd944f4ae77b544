#!/usr/bin/env node
// Build the `baton` CLI in release mode and put it where Tauri's `bundle.externalBin`
// (src-tauri/tauri.release.conf.json) looks for it: src-tauri/binaries/baton-<target
// triple>[.exe]. Every installer then carries the CLI next to the app (/usr/bin/baton in
// the .deb and .rpm, Baton.app/Contents/MacOS/baton, baton.exe beside Baton.exe).
//
//   node scripts/cli-sidecar.mjs [--target TRIPLE]
//
// TRIPLE defaults to $BATON_SIDECAR_TARGET, then $TAURI_ENV_TARGET_TRIPLE, then the host.
// `universal-apple-darwin` builds both macOS architectures and joins them with `lipo`.
// Plain Node (no packages) so it runs the same on Linux, macOS and Windows runners.
import { execFileSync } from 'node:child_process';
import { copyFileSync, chmodSync, mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const run = (cmd, args) => execFileSync(cmd, args, { cwd: root, stdio: 'inherit' });

function hostTriple() {
  const out = execFileSync('rustc', ['-vV'], { encoding: 'utf8' });
  const line = out.split(/\r?\n/).find((l) => l.startsWith('host:'));
  if (!line) throw new Error('rustc -vV did not name the host triple');
  return line.slice('host:'.length).trim();
}

function argTarget() {
  const i = process.argv.indexOf('--target');
  return i > 0 ? process.argv[i + 1] : undefined;
}

const host = hostTriple();
const target =
  argTarget() || process.env.BATON_SIDECAR_TARGET || process.env.TAURI_ENV_TARGET_TRIPLE || host;
const targetDir = process.env.CARGO_TARGET_DIR
  ? resolve(process.env.CARGO_TARGET_DIR)
  : join(root, 'target');
const exe = (triple) => (triple.includes('windows') ? '.exe' : '');

/** Build the CLI for one real triple; returns the path of the binary. */
function build(triple) {
  const args = ['build', '--release', '--locked', '-p', 'baton-cli'];
  // Without --target the binary lands in target/release, as a plain `cargo build` does.
  if (triple !== host) args.push('--target', triple);
  run('cargo', args);
  const dir = triple === host ? join(targetDir, 'release') : join(targetDir, triple, 'release');
  return join(dir, `baton${exe(triple)}`);
}

const outDir = join(root, 'src-tauri', 'binaries');
mkdirSync(outDir, { recursive: true });
const out = join(outDir, `baton-${target}${exe(target)}`);

if (target === 'universal-apple-darwin') {
  const parts = ['aarch64-apple-darwin', 'x86_64-apple-darwin'].map(build);
  run('lipo', ['-create', '-output', out, ...parts]);
} else {
  copyFileSync(build(target), out);
}
if (!target.includes('windows')) chmodSync(out, 0o755);
console.log(`baton CLI for ${target}: ${out}`);
