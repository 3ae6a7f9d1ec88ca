// Checks each built package the way a consumer sees it: publint (package.json exports vs files) and
// @arethetypeswrong (types resolve for ESM and CJS under node16 and bundler resolution).
import { execFileSync } from 'node:child_process';

// The stylesheet is an export for bundlers, not a module with types: attw is told to leave it out.
const packages = { protocol: [], 'server-middleware': [], react: ['--exclude-entrypoints', './styles.css'] };
let failed = false;
for (const [name, attwExtra] of Object.entries(packages)) {
  const dir = `packages/${name}`;
  for (const [tool, args] of [
    ['publint', ['publint', dir, '--strict']],
    ['attw', ['attw', '--pack', dir, '--profile', 'node16', '--format', 'table-flipped', ...attwExtra]],
  ]) {
    try {
      execFileSync('npx', ['--no-install', ...args], { stdio: 'pipe', encoding: 'utf8' });
      console.log(`ok   ${tool} ${dir}`);
    } catch (error) {
      failed = true;
      console.error(`FAIL ${tool} ${dir}\n${error.stdout ?? ''}${error.stderr ?? ''}`);
    }
  }
}
process.exit(failed ? 1 : 0);
